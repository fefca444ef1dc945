import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, JobCancelledError, JobTimeoutError } from '../../src/errors.js';
import type { RunOutcome } from '../../src/executors/executor.js';
import { PromiseExecutor } from '../../src/executors/promise.js';
import { VirtualClock } from '../../src/testing/index.js';
import { deferred } from '../helpers/scheduler.js';
import { executorContext, runRequest, T0 } from '../helpers/executor.js';

const request = runRequest;

/** Tracks an outcome promise so tests can tell whether it has resolved yet. */
function track(outcome: Promise<RunOutcome>): { value: RunOutcome | undefined } {
  const box: { value: RunOutcome | undefined } = { value: undefined };
  void outcome.then((value) => {
    box.value = value;
  });
  return box;
}

let clock: VirtualClock;
const unhandled = vi.fn();

beforeEach(() => {
  clock = new VirtualClock();
  unhandled.mockReset();
  process.on('unhandledRejection', unhandled);
});

afterEach(() => {
  process.off('unhandledRejection', unhandled);
});

function started(options: { concurrency?: number } = {}): PromiseExecutor {
  const executor = new PromiseExecutor(options);
  executor.start(executorContext(clock));
  return executor;
}

describe('PromiseExecutor outcomes', () => {
  it('reports a synchronous return value as success, timed by the clock', async () => {
    const executor = started();
    clock.jump(5_000);
    const outcome = await executor.submit(request(() => 42).req);
    expect(outcome).toEqual({ status: 'success', returnValue: 42, startedAt: T0 + 5_000, finishedAt: T0 + 5_000 });
  });

  it('awaits a promise and reports its value with start and finish times', async () => {
    const executor = started();
    const result = track(
      executor.submit(
        request(async () => {
          await clock.sleep(1_500);
          return { rows: 3 };
        }).req,
      ),
    );
    await clock.advance(1_499);
    expect(result.value).toBeUndefined();
    await clock.advance(1);
    expect(result.value).toEqual({ status: 'success', returnValue: { rows: 3 }, startedAt: T0, finishedAt: T0 + 1_500 });
  });

  it('awaits a non-native thenable', async () => {
    const executor = started();
    const thenable = { then: (onFulfilled: (v: string) => void) => onFulfilled('ok') };
    const outcome = await executor.submit(request(() => thenable).req);
    expect(outcome).toMatchObject({ status: 'success', returnValue: 'ok' });
  });

  it('reports a synchronous throw, a rejection and non-Error throws as errors', async () => {
    const executor = started();
    const syncError = new Error('sync');
    const asyncError = new TypeError('async');
    const outcomes = await Promise.all([
      executor.submit(request(() => { throw syncError; }).req),
      executor.submit(request(() => Promise.reject(asyncError)).req),
      executor.submit(request(() => { throw 'a string'; }).req),
      executor.submit(request(async () => { throw undefined; }).req),
    ]);
    expect(outcomes).toEqual([
      { status: 'error', error: syncError, startedAt: T0, finishedAt: T0 },
      { status: 'error', error: asyncError, startedAt: T0, finishedAt: T0 },
      { status: 'error', error: 'a string', startedAt: T0, finishedAt: T0 },
      { status: 'error', error: undefined, startedAt: T0, finishedAt: T0 },
    ]);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('never calls the task synchronously inside submit', async () => {
    const executor = started();
    const call = vi.fn(() => 1);
    const outcome = executor.submit(request(call).req);
    expect(call).not.toHaveBeenCalled();
    await outcome;
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('handles a long queue of synchronous tasks without growing the stack', async () => {
    const executor = started({ concurrency: 1 });
    const outcomes = await Promise.all(Array.from({ length: 20_000 }, (_, i) => executor.submit(request(() => i).req)));
    expect(outcomes.every((o, i) => o.status === 'success' && o.returnValue === i)).toBe(true);
  });

  it('starts each quick task of a burst at the reading that ended the one before, and a later burst afresh', async () => {
    // A clock that moves 1 ms at every reading: each outcome shows which reading it got.
    let reads = 0;
    const ticking = {
      now: () => T0 + ++reads,
      setTimeout: clock.setTimeout.bind(clock),
      clearTimeout: clock.clearTimeout.bind(clock),
    };
    const executor = new PromiseExecutor();
    executor.start({ ...executorContext(clock), clock: ticking });
    const burst = await Promise.all([1, 2, 3].map((i) => executor.submit(request(() => i).req)));
    expect(burst.map((o) => o.status === 'success' && [o.startedAt - T0, o.finishedAt - T0])).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(reads).toBe(4);
    const later = await executor.submit(request(() => 4).req);
    expect(later).toMatchObject({ startedAt: T0 + 5, finishedAt: T0 + 6 });
    // A task that returns a promise ends later: the run after it reads the clock itself.
    const [slow, after] = await Promise.all([
      executor.submit(request(() => Promise.resolve('slow')).req),
      executor.submit(request(() => 'after').req),
    ]);
    expect(slow).toMatchObject({ startedAt: T0 + 7 });
    expect(after).toMatchObject({ startedAt: T0 + 8, finishedAt: T0 + 9 });
  });
});

describe('PromiseExecutor concurrency', () => {
  it('runs exactly `concurrency` tasks at once and starts the queue in FIFO order', async () => {
    const executor = started({ concurrency: 3 });
    const gates = Array.from({ length: 8 }, () => deferred<string>());
    const startOrder: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const outcomes = gates.map((gate, i) =>
      executor.submit(
        request(async () => {
          startOrder.push(i);
          running++;
          maxRunning = Math.max(maxRunning, running);
          try {
            return await gate.promise;
          } finally {
            running--;
          }
        }).req,
      ),
    );
    await clock.flush();
    expect(startOrder).toEqual([0, 1, 2]);
    gates[1]?.resolve('one');
    await clock.flush();
    expect(startOrder).toEqual([0, 1, 2, 3]);
    expect(running).toBe(3);
    for (const gate of [...gates].reverse()) gate.resolve('done');
    const results = await Promise.all(outcomes);
    expect(startOrder).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(maxRunning).toBe(3);
    expect(results.map((o) => o.status)).toEqual(Array(8).fill('success'));
  });

  it('a never-settling task keeps only its own slot', async () => {
    const executor = started({ concurrency: 2 });
    void executor.submit(request(() => new Promise(() => undefined)).req);
    const others = Array.from({ length: 5 }, (_, i) =>
      executor.submit(
        request(async () => {
          await clock.sleep(100);
          return i;
        }).req,
      ),
    );
    await clock.advance(500);
    const results = await Promise.all(others);
    expect(results.map((o) => (o.status === 'success' ? o.returnValue : o.status))).toEqual([0, 1, 2, 3, 4]);
    expect(clock.now()).toBe(T0 + 500);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('PromiseExecutor deadlines', () => {
  it('ends a run that cannot start by its deadline as missed without calling the task', async () => {
    const executor = started({ concurrency: 1 });
    const gate = deferred();
    void executor.submit(request(() => gate.promise).req);
    const late = vi.fn();
    const missed = track(executor.submit(request(late, { deadline: T0 + 1_000 }).req));
    const onTime = track(executor.submit(request(() => 'ran', { deadline: T0 + 5_000 }).req));
    await clock.advance(5_000);
    gate.resolve(undefined);
    await clock.flush();
    expect(missed.value).toEqual({ status: 'missed', checkedAt: T0 + 5_000 });
    expect(late).not.toHaveBeenCalled();
    expect(onTime.value).toMatchObject({ status: 'success', returnValue: 'ran', startedAt: T0 + 5_000 });
  });

  it('judges the deadline by the wall clock, so a jump past it misses', async () => {
    const executor = started();
    clock.jump(2_000);
    const outcome = await executor.submit(request(() => 1, { deadline: T0 + 1_999 }).req);
    expect(outcome).toEqual({ status: 'missed', checkedAt: T0 + 2_000 });
  });
});

describe('PromiseExecutor timeouts', () => {
  it('aborts the signal, ends as timeout, frees the slot and ignores the late settlement', async () => {
    const executor = started({ concurrency: 1 });
    const gate = deferred();
    const { req, signal } = request(() => gate.promise, { jobId: 'slow', timeoutMs: 1_500 });
    const first = track(executor.submit(req));
    const nextStartedAt: number[] = [];
    const second = track(executor.submit(request(() => nextStartedAt.push(clock.now())).req));
    await clock.advance(1_499);
    expect(signal.aborted).toBe(false);
    expect(first.value).toBeUndefined();
    await clock.advance(1);
    expect(first.value).toEqual({ status: 'timeout', startedAt: T0, finishedAt: T0 + 1_500 });
    expect(signal.reason).toBeInstanceOf(JobTimeoutError);
    expect(signal.reason).toMatchObject({ code: 'ERR_JOB_TIMEOUT', jobId: 'slow' });
    expect((signal.reason as Error).message).toContain('1.5 s');
    expect(nextStartedAt).toEqual([T0 + 1_500]);
    expect(second.value?.status).toBe('success');
    gate.reject(new Error('too late'));
    await clock.flush();
    expect(first.value?.status).toBe('timeout');
    expect(unhandled).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(0);
  });

  it('clears the timeout timer when the task settles first', async () => {
    const executor = started();
    const { req, signal } = request(async () => {
      await clock.sleep(100);
      return 'fast';
    }, { timeoutMs: 1_000 });
    const outcome = track(executor.submit(req));
    await clock.flush();
    expect(clock.pendingTimers).toBe(2);
    await clock.advance(100);
    expect(outcome.value).toMatchObject({ status: 'success', returnValue: 'fast' });
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(5_000);
    expect(signal.aborted).toBe(false);
  });

  it('arms timeouts beyond 2^31-1 ms in steps and fires them on time', async () => {
    const executor = started();
    const timeoutMs = 2 ** 31 + 5_000;
    const outcome = track(executor.submit(request(() => new Promise(() => undefined), { timeoutMs }).req));
    await clock.flush();
    expect(clock.nextTimerDelay()).toBe(2 ** 31 - 1);
    await clock.advance(timeoutMs - 1);
    expect(outcome.value).toBeUndefined();
    await clock.advance(1);
    expect(outcome.value).toEqual({ status: 'timeout', startedAt: T0, finishedAt: T0 + timeoutMs });
    expect(clock.pendingTimers).toBe(0);
  });

  it('still reports the timeout when the abort hook throws', async () => {
    const executor = started();
    const { req } = request(() => new Promise(() => undefined), { timeoutMs: 10 });
    const outcome = track(executor.submit({ ...req, abort: () => { throw new Error('hook'); } }));
    await clock.advance(10);
    expect(outcome.value?.status).toBe('timeout');
  });

  it('reports an invalid timeoutMs as an error without calling the task', async () => {
    const executor = started();
    const call = vi.fn();
    const outcome = await executor.submit(request(call, { timeoutMs: -1 }).req);
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'ERR_INVALID_ARGUMENT', field: 'request.timeoutMs' } });
    expect(call).not.toHaveBeenCalled();
  });
});

describe('PromiseExecutor lifecycle', () => {
  it('cancels runs submitted before start, without calling the task', async () => {
    const executor = new PromiseExecutor();
    const call = vi.fn();
    const outcome = await executor.submit(request(call).req);
    expect(outcome.status).toBe('cancelled');
    expect(call).not.toHaveBeenCalled();
  });

  it('shutdown({ wait: true }) waits for running and queued runs, then refuses new ones', async () => {
    const executor = started({ concurrency: 1 });
    const gates = [deferred<string>(), deferred<string>()];
    const outcomes = gates.map((gate) => track(executor.submit(request(() => gate.promise).req)));
    await clock.flush();
    let done = false;
    void executor.shutdown({ wait: true }).then(() => {
      done = true;
    });
    const refused = await executor.submit(request(() => 'never').req);
    expect(refused).toEqual({ status: 'cancelled', checkedAt: T0 });
    gates[0]?.resolve('a');
    await clock.flush();
    expect(outcomes[0]?.value?.status).toBe('success');
    expect(outcomes[1]?.value).toBeUndefined();
    expect(done).toBe(false);
    gates[1]?.resolve('b');
    await clock.flush();
    expect(outcomes[1]?.value).toMatchObject({ status: 'success', returnValue: 'b' });
    expect(done).toBe(true);
  });

  it('shutdown({ wait: false }) cancels queued runs, aborts and ends running ones, and clears their timers', async () => {
    const executor = started({ concurrency: 1 });
    const { req, signal } = request(
      (s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason))),
      { jobId: 'running', timeoutMs: 60_000 },
    );
    const running = track(executor.submit(req));
    const queuedCall = vi.fn();
    const queued = track(executor.submit(request(queuedCall).req));
    await clock.advance(1_000);
    expect(clock.pendingTimers).toBe(1);
    await executor.shutdown({ wait: false });
    expect(clock.pendingTimers).toBe(0);
    expect(signal.reason).toBeInstanceOf(JobCancelledError);
    expect(signal.reason).toMatchObject({ jobId: 'running' });
    await clock.flush();
    expect(queued.value).toEqual({ status: 'cancelled', checkedAt: T0 + 1_000 });
    expect(queuedCall).not.toHaveBeenCalled();
    // The running run ends at once as cancelled; its task rejecting afterwards changes nothing.
    expect(running.value).toEqual({ status: 'cancelled', checkedAt: T0 + 1_000, startedAt: T0 });
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('shutdown({ wait: false }) resolves at once even with a never-settling task, ends it and frees its slot', async () => {
    const executor = started({ concurrency: 1 });
    const outcome = track(executor.submit(request(() => new Promise(() => undefined), { timeoutMs: 10_000 }).req));
    await clock.flush();
    let done = false;
    void executor.shutdown({ wait: false }).then(() => {
      done = true;
    });
    await clock.flush();
    expect(done).toBe(true);
    expect(outcome.value).toEqual({ status: 'cancelled', checkedAt: T0, startedAt: T0 });
    expect(clock.pendingTimers).toBe(0);
    // After a restart the one slot is free again: the abandoned task no longer holds it.
    executor.start(executorContext(clock));
    expect((await executor.submit(request(() => 'next').req)).status).toBe('success');
  });

  it('a forced shutdown releases an earlier graceful one', async () => {
    const executor = started();
    void executor.submit(request(() => new Promise(() => undefined)).req);
    await clock.flush();
    let graceful = false;
    void executor.shutdown({ wait: true }).then(() => {
      graceful = true;
    });
    await clock.flush();
    expect(graceful).toBe(false);
    await executor.shutdown({ wait: false });
    await clock.flush();
    expect(graceful).toBe(true);
  });

  it('refuses to start without a clock', () => {
    const executor = new PromiseExecutor();
    expect(() => executor.start({ alias: 'default' } as never)).toThrow(
      expect.objectContaining({ field: 'context.clock' }),
    );
  });

  it('can be started again after a shutdown', async () => {
    const executor = started();
    await executor.shutdown({ wait: true });
    expect((await executor.submit(request(() => 1).req)).status).toBe('cancelled');
    executor.start(executorContext(clock));
    expect((await executor.submit(request(() => 2).req)).status).toBe('success');
  });
});

describe('PromiseExecutor options', () => {
  it('defaults to a concurrency of 100', () => {
    expect(new PromiseExecutor().concurrency).toBe(100);
    expect(new PromiseExecutor({ concurrency: 1 }).concurrency).toBe(1);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null])('rejects concurrency %s', (value) => {
    const attempt = () => new PromiseExecutor({ concurrency: value as number });
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ field: 'options.concurrency' }));
  });

  it('rejects unknown option keys and non-object options', () => {
    expect(() => new PromiseExecutor({ concurency: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'options.concurency' }),
    );
    expect(() => new PromiseExecutor(5 as never)).toThrow(expect.objectContaining({ field: 'options' }));
  });

  it('rejects a shutdown without a boolean wait', async () => {
    const executor = started();
    await expect(executor.shutdown({} as never)).rejects.toMatchObject({ field: 'options.wait' });
  });
});
