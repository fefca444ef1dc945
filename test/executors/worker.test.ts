/**
 * WorkerExecutor on its own, without a scheduler: options, results and errors crossing the thread
 * boundary, missing tasks, hard timeouts, crashed threads, its queue and its lifecycle.
 *
 * The executor's timers (timeouts, `killAfter`) run on a virtual clock the test moves; the worker
 * threads are real, so the tests wait for their answers (outcomes, or messages the fixture tasks
 * of `observed.mjs` post on a BroadcastChannel) and never for a fixed time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, getPriority } from 'node:os';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BroadcastChannel, threadId as mainThreadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExecutorError, InvalidArgumentError, TaskNotFoundError } from '../../src/errors.js';
import type { RunOutcome, RunRequest } from '../../src/executors/executor.js';
import { WorkerExecutor, type WorkerExecutorOptions } from '../../src/executors/worker/index.js';
import type { JsonValue } from '../../src/json.js';
import { VirtualClock } from '../../src/testing/index.js';
import { executorContext, runRequest, T0 } from '../helpers/executor.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/worker/${name}`, import.meta.url));
const TASKS = fixture('tasks.mjs');
/** tasks.mjs plus tasks that report on a BroadcastChannel (see the fixture). */
const OBSERVED = fixture('observed.mjs');

let clock: VirtualClock;
let executors: WorkerExecutor[] = [];
let channels: BroadcastChannel[] = [];
const unhandled = vi.fn();

beforeEach(() => {
  clock = new VirtualClock();
  unhandled.mockReset();
  process.on('unhandledRejection', unhandled);
});

afterEach(async () => {
  for (const executor of executors) await executor.shutdown({ wait: false });
  executors = [];
  for (const channel of channels) channel.close();
  channels = [];
  process.off('unhandledRejection', unhandled);
  expect(unhandled).not.toHaveBeenCalled();
});

/** A worker executor (one thread unless told otherwise), removed after the test. */
function executor(options: Partial<WorkerExecutorOptions> = {}): WorkerExecutor {
  const made = new WorkerExecutor({ taskModule: TASKS, workers: 1, ...options });
  executors.push(made);
  return made;
}

/** A started worker executor, its log spy and a submit by task name. */
async function started(options: Partial<WorkerExecutorOptions> = {}, alias = 'cpu') {
  const made = executor(options);
  const context = executorContext(clock, alias);
  await made.start(context);
  return {
    executor: made,
    log: context.log,
    submit: (task: string, args: JsonValue[] = [], overrides: Partial<RunRequest> = {}) => made.submit(request(task, args, overrides)),
  };
}

/** A run of a task of the module; calling it in this thread is a test failure. */
function request(task: string, args: JsonValue[] = [], overrides: Partial<RunRequest> = {}): RunRequest {
  return runRequest(
    () => {
      throw new Error('a worker executor must not call the task in the main thread');
    },
    { task, args, ...overrides },
  ).req;
}

/** Tracks an outcome promise so tests can tell whether it has resolved yet. */
function track(outcome: Promise<RunOutcome>): { value: RunOutcome | undefined; promise: Promise<RunOutcome> } {
  const box: { value: RunOutcome | undefined; promise: Promise<RunOutcome> } = { value: undefined, promise: outcome };
  void outcome.then((value) => {
    box.value = value;
  });
  return box;
}

/** The return value of a successful run (fails the test with what happened otherwise). */
function returned(outcome: RunOutcome): unknown {
  expect(outcome, `expected a success, got ${describeOutcome(outcome)}`).toMatchObject({ status: 'success' });
  return (outcome as { returnValue: unknown }).returnValue;
}

function describeOutcome(outcome: RunOutcome): string {
  if (outcome.status !== 'error') return JSON.stringify(outcome);
  return `error ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
}

/** The thread a successful run of `add` or of a task returning its threadId ran on. */
function threadOf(outcome: RunOutcome): number {
  const value = returned(outcome);
  const id = typeof value === 'number' ? value : (value as { threadId: number }).threadId;
  expect(typeof id).toBe('number');
  return id;
}

/** What a task of observed.mjs posted. */
interface Told {
  threadId: number;
  event: string;
  name?: string;
  code?: string;
  message?: string;
  isError?: boolean;
}

/**
 * A BroadcastChannel of this test, to hear from tasks of observed.mjs and to release `gate`:
 * `next(event)` resolves with the next message of that event (messages are kept until taken).
 */
function listen() {
  const name = `worker-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  const heard: Told[] = [];
  const waiting: { event: string; resolve: (told: Told) => void }[] = [];
  channel.onmessage = (message: unknown) => {
    const told = (message as { data: Told }).data;
    const index = waiting.findIndex((waiter) => waiter.event === told.event);
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(told);
    else heard.push(told);
  };
  return {
    name,
    next(event: string): Promise<Told> {
      const index = heard.findIndex((told) => told.event === event);
      if (index >= 0) return Promise.resolve(heard.splice(index, 1)[0] as Told);
      return new Promise((resolve) => waiting.push({ event, resolve }));
    },
    release(): void {
      channel.postMessage('release');
    },
  };
}

/** OS threads of this process (Linux), to see that worker threads are gone; null elsewhere. */
function osThreads(): number | null {
  if (!existsSync('/proc/self/status')) return null;
  const match = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? null : Number(match[1]);
}

/**
 * Waits (bounded) until this process has no more OS threads than `before`: no worker thread is
 * left. A terminated thread leaves the OS some time after `terminate()` resolves: it must first
 * be scheduled to see its termination, and the executor's threads run niced (10 by default), so
 * while the other test files load both cores that can take seconds. A thread that is never
 * stopped does not leave at all.
 */
async function expectNoThreadLeft(before: number | null): Promise<void> {
  if (before === null) return;
  await vi.waitFor(() => expect(osThreads()).toBeLessThanOrEqual(before), { timeout: 10_000, interval: 10 });
}

describe('WorkerExecutor options', () => {
  it.each<[string, unknown, string]>([
    ['an unknown key', { taskModule: TASKS, wrokers: 2 }, 'options.wrokers'],
    ['workers 0', { taskModule: TASKS, workers: 0 }, 'options.workers'],
    ['workers 1.5', { taskModule: TASKS, workers: 1.5 }, 'options.workers'],
    ["workers 'x'", { taskModule: TASKS, workers: 'x' }, 'options.workers'],
    ['workers NaN', { taskModule: TASKS, workers: Number.NaN }, 'options.workers'],
    ['maxQueue -1', { taskModule: TASKS, maxQueue: -1 }, 'options.maxQueue'],
    ['maxQueue 1.5', { taskModule: TASKS, maxQueue: 1.5 }, 'options.maxQueue'],
    ['killAfter -1', { taskModule: TASKS, killAfter: -1 }, 'options.killAfter'],
    ['killAfter NaN', { taskModule: TASKS, killAfter: Number.NaN }, 'options.killAfter'],
    ['resourceLimits with an unknown key', { taskModule: TASKS, resourceLimits: { heapMb: 64 } }, 'options.resourceLimits.heapMb'],
    ['resourceLimits with a bad value', { taskModule: TASKS, resourceLimits: { maxOldGenerationSizeMb: 0 } }, 'options.resourceLimits.maxOldGenerationSizeMb'],
    ['resourceLimits with a string value', { taskModule: TASKS, resourceLimits: { stackSizeMb: '4' } }, 'options.resourceLimits.stackSizeMb'],
    ['resourceLimits not an object', { taskModule: TASKS, resourceLimits: 16 }, 'options.resourceLimits'],
    ['execArgv with a non-string', { taskModule: TASKS, execArgv: ['--no-warnings', 1] }, 'options.execArgv'],
    ['execArgv not an array', { taskModule: TASKS, execArgv: '--no-warnings' }, 'options.execArgv'],
    ['niceness -1', { taskModule: TASKS, niceness: -1 }, 'options.niceness'],
    ['niceness 20', { taskModule: TASKS, niceness: 20 }, 'options.niceness'],
    ['niceness 2.5', { taskModule: TASKS, niceness: 2.5 }, 'options.niceness'],
    ['taskModule missing', {}, 'options.taskModule'],
    ["taskModule ''", { taskModule: '' }, 'options.taskModule'],
    ['taskModule a number', { taskModule: 42 }, 'options.taskModule'],
    ['taskModule an http: URL', { taskModule: new URL('https://example.com/tasks.mjs') }, 'options.taskModule'],
    ['options not an object', undefined, 'options'],
  ])('rejects %s with an InvalidArgumentError naming it', (_label, options, field) => {
    const attempt = () => new WorkerExecutor(options as WorkerExecutorOptions);
    expect(attempt).toThrow(InvalidArgumentError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field }));
  });

  it.runIf(process.platform === 'linux')('runs its threads below the main thread: niceness 10 by default, or as given', async () => {
    const mainThread = getPriority(0);
    const byDefault = await started();
    expect(returned(await byDefault.submit('priority'))).toBe(Math.min(19, mainThread + 10));
    const given = await started({ niceness: 3 });
    expect(returned(await given.submit('priority'))).toBe(Math.min(19, mainThread + 3));
  });

  it('rejects an http: URL given as a string, as it rejects one given as a URL', () => {
    const attempt = () => new WorkerExecutor({ taskModule: 'https://example.com/tasks.mjs' });
    expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', field: 'options.taskModule' }));
  });

  it('accepts the limits at their bounds and Infinity as maxQueue', () => {
    expect(() => new WorkerExecutor({ taskModule: TASKS, workers: 1_024, maxQueue: Infinity, killAfter: 0 })).not.toThrow();
    expect(() => new WorkerExecutor({ taskModule: TASKS, maxQueue: 0, killAfter: 3_600 })).not.toThrow();
    expect(() => new WorkerExecutor({ taskModule: TASKS, workers: 1_025 })).toThrow(expect.objectContaining({ field: 'options.workers' }));
    expect(() => new WorkerExecutor({ taskModule: TASKS, killAfter: 3_601 })).toThrow(expect.objectContaining({ field: 'options.killAfter' }));
  });

  it('exposes workers (default: the CPUs Node reports) and the task module as a file: URL', () => {
    expect(new WorkerExecutor({ taskModule: TASKS }).workers).toBe(Math.max(1, availableParallelism()));
    expect(new WorkerExecutor({ taskModule: TASKS, workers: 3 }).workers).toBe(3);
    const href = pathToFileURL(TASKS).href;
    expect(new WorkerExecutor({ taskModule: TASKS }).taskModule).toBe(href);
    expect(new WorkerExecutor({ taskModule: pathToFileURL(TASKS) }).taskModule).toBe(href);
    expect(new WorkerExecutor({ taskModule: href }).taskModule).toBe(href);
  });

  it('resolves a relative path against the working directory, and runs its tasks', async () => {
    const relativePath = relative(process.cwd(), TASKS);
    expect(relativePath.startsWith('/')).toBe(false);
    const made = executor({ taskModule: relativePath });
    expect(made.taskModule).toBe(pathToFileURL(resolve(process.cwd(), relativePath)).href);
    await made.start(executorContext(clock));
    expect(returned(await made.submit(request('add', [1, 2])))).toMatchObject({ sum: 3 });
  });
});

describe('WorkerExecutor results', () => {
  it('returns what the task returned, and gives the task the arguments and a copy of the job', async () => {
    const { submit } = await started();
    clock.jump(5_000);
    const outcome = await submit('add', [2, 3], { jobId: 'sum', scheduledRunTime: T0 + 250 });
    expect(outcome).toMatchObject({ status: 'success', startedAt: T0 + 5_000, finishedAt: T0 + 5_000 });
    const value = returned(outcome) as Record<string, unknown>;
    expect(value).toEqual({
      sum: 5,
      threadId: expect.any(Number),
      jobId: 'sum',
      trigger: { type: 'interval', seconds: 10 },
      nextRunTime: new Date(T0),
      scheduledRunTime: new Date(T0 + 250),
      signalIsAbortSignal: true,
    });
    expect(value['nextRunTime']).toBeInstanceOf(Date);
    expect(value['scheduledRunTime']).toBeInstanceOf(Date);
    expect(value['threadId']).not.toBe(mainThreadId);
  });

  it('hands the task the whole stored job as a copy, with its store', async () => {
    const { executor: made } = await started({ taskModule: OBSERVED });
    const { req } = runRequest(() => undefined, { task: 'echo', args: ['x'] });
    const record = { ...req.record, name: 'nightly', metadata: { team: 'data' }, timeout: 30, jitter: 2, nextRunTime: null };
    const outcome = await made.submit({ ...req, record, store: 'archive' });
    expect(returned(outcome)).toEqual({
      args: ['x'],
      job: {
        id: 'job-1',
        name: 'nightly',
        task: 'echo',
        args: ['x'],
        trigger: { type: 'interval', seconds: 10 },
        executor: 'default',
        store: 'archive',
        misfireGraceTime: 1,
        coalesce: 'latest',
        maxInstances: 1,
        jitter: 2,
        timeout: 30,
        nextRunTime: null,
        metadata: { team: 'data' },
      },
    });
  });

  it.each([
    ['an ES module', 'tasks.mjs', 'add', [20, 22], { sum: 42 }],
    ['a CommonJS module', 'tasks.cjs', 'double', [21], 42],
    ['a module whose default export is an object of tasks', 'default-object.mjs', 'triple', [14], 42],
  ])('runs the tasks of %s', async (_label, file, task, args, expected) => {
    const { executor: made, submit } = await started({ taskModule: fixture(file) });
    expect(made.hasTask(task)).toBe(true);
    const value = returned(await submit(task, args as JsonValue[]));
    if (typeof expected === 'object') expect(value).toMatchObject(expected);
    else expect(value).toBe(expected);
  });

  it('takes only functions as tasks: not the default object itself, nor a named non-function export', async () => {
    const { executor: made } = await started({ taskModule: fixture('default-object.mjs') });
    expect(made.hasTask('default')).toBe(false);
    expect(made.hasTask('version')).toBe(false);
  });

  it.each([
    ['a file: URL object', () => pathToFileURL(TASKS)],
    ['a file: URL string', () => pathToFileURL(TASKS).href],
    ['an absolute path', () => TASKS],
  ])('loads the module given as %s', async (_label, taskModule) => {
    const { submit } = await started({ taskModule: taskModule() });
    expect(returned(await submit('add', [1, 1]))).toMatchObject({ sum: 2 });
  });
});

describe('WorkerExecutor task errors', () => {
  it('brings an error back with its name, message, stack, code, own fields and cause', async () => {
    const { submit } = await started();
    const outcome = await submit('customError');
    expect(outcome).toMatchObject({ status: 'error', startedAt: T0, finishedAt: T0 });
    const error = (outcome as { error: Error & { code?: unknown; rows?: unknown } }).error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ReportError');
    expect(error.message).toBe('the report failed');
    expect(error.code).toBe('E_REPORT');
    expect(error.rows).toBe(42);
    expect(error.stack).toContain('tasks.mjs');
    expect(error.stack).toContain('the report failed');
    const cause = error.cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('RangeError');
    expect(cause.message).toBe('month out of range');
  });

  it('brings a thrown non-Error back as itself', async () => {
    const { submit } = await started();
    expect(await submit('throwString')).toEqual({ status: 'error', error: 'plain string', startedAt: T0, finishedAt: T0 });
  });

  it('reports a return value that cannot cross threads as an error, and the thread goes on', async () => {
    const { submit } = await started();
    const thread = threadOf(await submit('add', [1, 1]));
    const outcome = await submit('returnsFunction');
    expect(outcome.status).toBe('error');
    const error = (outcome as { error: ExecutorError }).error;
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error.code).toBe('ERR_EXECUTOR');
    expect(error.message).toMatch(/cannot be sent back from a worker thread: function/);
    expect(threadOf(await submit('add', [1, 1]))).toBe(thread);
  });
});

describe('WorkerExecutor missing tasks', () => {
  it('knows its tasks only once started: hasTask is undefined before, then true or false', async () => {
    const made = executor();
    expect(made.hasTask('add')).toBeUndefined();
    await made.start(executorContext(clock));
    expect(made.hasTask('add')).toBe(true);
    expect(made.hasTask('customError')).toBe(true);
    expect(made.hasTask('nope')).toBe(false);
    expect(made.hasTask('notATask')).toBe(false);
  });

  it.each(['nope', 'notATask'])('ends a run of %s, which the module does not export as a function, with TaskNotFoundError', async (task) => {
    const { submit } = await started({}, 'cpu');
    const outcome = await submit(task);
    expect(outcome).toMatchObject({ status: 'error', startedAt: T0, finishedAt: T0 });
    const error = (outcome as { error: unknown }).error;
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(error).toMatchObject({ code: 'ERR_TASK_NOT_FOUND', task });
    expect((error as Error).message).toContain('"cpu"');
    // The thread is fine.
    expect(returned(await submit('add', [1, 1]))).toMatchObject({ sum: 2 });
  });
});

describe('WorkerExecutor timeouts', () => {
  it('aborts a cooperative task at the virtual timeout with a JobTimeoutError; its thread serves the next run', async () => {
    const channel = listen();
    const { submit } = await started({ taskModule: OBSERVED, killAfter: 2 });
    const thread = threadOf(await submit('add', [1, 1]));
    const run = track(submit('cooperativeTold', [channel.name], { jobId: 'slow', timeoutMs: 1_500 }));
    await channel.next('started');
    await clock.advance(1_499);
    expect(run.value).toBeUndefined();
    await clock.advance(1);
    expect(run.value).toEqual({ status: 'timeout', startedAt: T0, finishedAt: T0 + 1_500 });
    const seen = await channel.next('aborted');
    expect(seen).toMatchObject({ threadId: thread, name: 'JobTimeoutError', code: 'ERR_JOB_TIMEOUT', isError: true });
    expect(seen.message).toContain('"slow"');
    expect(seen.message).toContain('1.5 s');
    // The task stopped, so its thread is free without being ended: the next run starts at once.
    const next = await submit('add', [2, 2]);
    expect(next).toMatchObject({ startedAt: T0 + 1_500 });
    expect(threadOf(next)).toBe(thread);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(5_000);
    expect(threadOf(await submit('add', [3, 3]))).toBe(thread);
  });

  it('ends a task that ignores its signal with its thread killAfter later; the thread is replaced', async () => {
    const channel = listen();
    const { submit, log } = await started({ taskModule: OBSERVED, killAfter: 1 });
    const thread = threadOf(await submit('add', [1, 1]));
    const before = osThreads();
    // 60 s of real spinning: if the thread were not ended, the test would time out.
    const spinning = track(submit('spinTold', [channel.name, 60_000], { timeoutMs: 1_000 }));
    const waiting = track(submit('add', [2, 2]));
    await channel.next('started');
    await clock.advance(1_000);
    expect(spinning.value).toEqual({ status: 'timeout', startedAt: T0, finishedAt: T0 + 1_000 });
    // Still spinning on the one thread: the next run has not started.
    await clock.advance(999);
    expect(waiting.value).toBeUndefined();
    await clock.advance(1);
    const next = await waiting.promise;
    // It started only when the thread was ended, killAfter after the timeout, on a new thread.
    expect(next).toMatchObject({ status: 'success', startedAt: T0 + 2_000 });
    expect(threadOf(next)).not.toBe(thread);
    expect(spinning.value?.status).toBe('timeout');
    expect(clock.pendingTimers).toBe(0);
    // Ending the thread is no failure of an idle thread.
    expect(log).not.toHaveBeenCalled();
    await expectNoThreadLeft(before);
  });

  it('waits 5 seconds after the timeout before ending the thread, by default', async () => {
    const channel = listen();
    const { submit } = await started({ taskModule: OBSERVED });
    const spinning = track(submit('spinTold', [channel.name, 60_000], { timeoutMs: 0 }));
    const waiting = track(submit('add', [2, 2]));
    await channel.next('started');
    await clock.advance(0);
    expect(spinning.value).toEqual({ status: 'timeout', startedAt: T0, finishedAt: T0 });
    await clock.advance(4_999);
    expect(waiting.value).toBeUndefined();
    await clock.advance(1);
    expect(await waiting.promise).toMatchObject({ status: 'success', startedAt: T0 + 5_000 });
  });

  it('clears the timeout when the task returns first', async () => {
    const { submit } = await started();
    const outcome = await submit('add', [1, 2], { timeoutMs: 1_000 });
    expect(returned(outcome)).toMatchObject({ sum: 3 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports an invalid timeoutMs as an error without running the task', async () => {
    const { submit } = await started({ taskModule: OBSERVED });
    const outcome = await submit('stamp', ['invalid', 'bad'], { timeoutMs: -1 });
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'ERR_INVALID_ARGUMENT', field: 'request.timeoutMs' } });
    // The one thread is free, and never ran the refused run.
    expect(returned(await submit('stamp', ['invalid', 'good']))).toEqual(['good']);
  });
});

describe('WorkerExecutor crashed threads', () => {
  // A thread that runs out of memory (resourceLimits): worker-oom.test.ts, in a child process,
  // since Node can abort the whole process on that path (nodejs/node#47224).
  it.each<[string, string, JsonValue[], Partial<WorkerExecutorOptions>, RegExp, (cause: Error & { code?: unknown }) => void]>([
    ['exits', 'exitNow', [3], {}, /exited with code 3/, (cause) => expect(cause.message).toContain('code: 3')],
    [
      'throws outside the task while it runs',
      'throwWhileRunning',
      [],
      {},
      /failed outside the task \(Error: thrown by a timer while the task ran\)/,
      (cause) => expect(cause.message).toBe('thrown by a timer while the task ran'),
    ],
  ])('reports a run whose thread %s with an ExecutorError, and the next run works on a new thread', async (_label, task, args, options, message, checkCause) => {
    const { submit, log } = await started(options, 'cpu');
    const thread = threadOf(await submit('add', [1, 1]));
    const outcome = await submit(task, args, { jobId: 'crasher' });
    expect(outcome).toMatchObject({ status: 'error', startedAt: T0, finishedAt: T0 });
    const error = (outcome as { error: Error }).error;
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error).toMatchObject({ code: 'ERR_EXECUTOR' });
    expect(error.message).toMatch(message);
    expect(error.message).toContain('"crasher"');
    expect(error.message).toContain('"cpu"');
    checkCause(error.cause as Error);
    const next = await submit('add', [2, 2]);
    expect(returned(next)).toMatchObject({ sum: 4 });
    expect(threadOf(next)).not.toBe(thread);
    // Reported with the run, not logged as a failure of an idle thread.
    expect(log).not.toHaveBeenCalled();
  });

  it('a crash on one thread does not disturb a run on the other', async () => {
    const channel = listen();
    const { submit } = await started({ taskModule: OBSERVED, workers: 2 });
    const sleeping = submit('sleepTold', [channel.name, 300]);
    const { threadId: sleeper } = await channel.next('started');
    const crashed = await submit('exitNow', [3]);
    expect((crashed as { error: unknown }).error).toBeInstanceOf(ExecutorError);
    expect(await sleeping).toMatchObject({ status: 'success', returnValue: sleeper });
    const after = await Promise.all([submit('add', [1, 1]), submit('add', [2, 2])]);
    expect(after.map((outcome) => (returned(outcome) as { sum: number }).sum)).toEqual([2, 4]);
  });

  it('logs a thread that fails while idle (a timer its last task left), replaces it, and the run stays a success', async () => {
    const { submit, log } = await started();
    const thread = threadOf(await submit('add', [1, 1]));
    expect(await submit('strayThrow')).toMatchObject({ status: 'success', returnValue: 'returned' });
    await vi.waitFor(() => expect(log).toHaveBeenCalled(), { timeout: 5_000, interval: 10 });
    expect(log).toHaveBeenCalledWith(
      'error',
      expect.stringContaining('no task was running'),
      expect.objectContaining({ message: 'thrown by a timer after the task returned' }),
    );
    const next = await submit('add', [2, 2]);
    expect(returned(next)).toMatchObject({ sum: 4 });
    expect(threadOf(next)).not.toBe(thread);
    expect(log).toHaveBeenCalledTimes(1);
  });
});

describe('WorkerExecutor queue', () => {
  it('starts queued runs first in, first out, one at a time per thread', async () => {
    const { submit } = await started({ taskModule: OBSERVED });
    const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((tag) => submit('stamp', ['fifo', tag])));
    expect(outcomes.map((outcome) => returned(outcome))).toEqual([['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c', 'd']]);
  });

  it('ends a run that cannot start by its deadline as missed, without running it', async () => {
    const channel = listen();
    const { submit } = await started({ taskModule: OBSERVED });
    const first = submit('gate', [channel.name]);
    const late = track(submit('stamp', ['deadline', 'late'], { deadline: T0 + 1_000 }));
    const onTime = track(submit('stamp', ['deadline', 'on time'], { deadline: T0 + 5_000 }));
    await channel.next('started');
    await clock.advance(2_000);
    expect(late.value).toBeUndefined();
    channel.release();
    expect((await first).status).toBe('success');
    expect(await late.promise).toEqual({ status: 'missed', checkedAt: T0 + 2_000 });
    expect(await onTime.promise).toMatchObject({ status: 'success', startedAt: T0 + 2_000, returnValue: ['on time'] });
  });

  it('judges the deadline by the wall clock, so a jump past it misses', async () => {
    const { submit } = await started();
    clock.jump(2_000);
    expect(await submit('add', [1, 1], { deadline: T0 + 1_999 })).toEqual({ status: 'missed', checkedAt: T0 + 2_000 });
  });

  it('refuses a run beyond maxQueue at once with an ExecutorError; the others run', async () => {
    const channel = listen();
    const { submit } = await started({ taskModule: OBSERVED, maxQueue: 1 });
    const running = submit('gate', [channel.name]);
    await channel.next('started');
    const queued = track(submit('add', [1, 1]));
    clock.jump(100);
    const refused = await submit('add', [2, 2], { jobId: 'third' });
    expect(refused).toMatchObject({ status: 'error', startedAt: T0 + 100, finishedAt: T0 + 100 });
    const error = (refused as { error: Error }).error;
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error).toMatchObject({ code: 'ERR_EXECUTOR' });
    expect(error.message).toContain('"third"');
    expect(error.message).toContain('maxQueue');
    expect(queued.value).toBeUndefined();
    channel.release();
    expect((await running).status).toBe('success');
    expect(returned(await queued.promise)).toMatchObject({ sum: 2 });
  });

  it('counts only runs that wait for a thread against maxQueue: runs submitted together that free threads take are not refused', async () => {
    const { submit } = await started({ workers: 2, maxQueue: 1 });
    // Two threads are free: two runs start at once, the third waits (one waiting: within maxQueue).
    const outcomes = await Promise.all([submit('add', [1, 0]), submit('add', [2, 0]), submit('add', [3, 0])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['success', 'success', 'success']);
  });

  it('with maxQueue 0 still runs a run that finds a free thread', async () => {
    const { submit } = await started({ maxQueue: 0 });
    expect(returned(await submit('add', [1, 1]))).toMatchObject({ sum: 2 });
  });
});

describe('WorkerExecutor lifecycle', () => {
  it('cancels a run submitted before start, without running it', async () => {
    const made = executor();
    const outcome = await made.submit(request('add', [1, 1]));
    expect(outcome).toEqual({ status: 'cancelled', checkedAt: expect.any(Number) });
  });

  it('cancels a run submitted after shutdown', async () => {
    const { executor: made, submit } = await started();
    await made.shutdown({ wait: true });
    expect(made.hasTask('add')).toBe(true); // as of the last start
    expect(made.hasTask('nope')).toBe(false);
    expect((await submit('add', [1, 1])).status).toBe('cancelled');
  });

  it('stamps a run cancelled after shutdown with the clock it ran on', async () => {
    const { executor: made, submit } = await started();
    clock.jump(1_000);
    await made.shutdown({ wait: true });
    expect(await submit('add', [1, 1])).toEqual({ status: 'cancelled', checkedAt: T0 + 1_000 });
  });

  it.each<[string, string, (cause: Error & { code?: unknown }) => void]>([
    ['has a syntax error', 'bad-syntax.mjs', (cause) => expect(cause.name).toBe('SyntaxError')],
    ['throws while loading', 'top-throw.mjs', (cause) => expect(cause.message).toBe('the module failed while loading')],
    ['calls process.exit while loading', 'top-exit.mjs', (cause) => expect(cause.message).toContain('code: 7')],
    ['does not exist', 'no-such-module.mjs', (cause) => expect(cause.code).toBe('ERR_MODULE_NOT_FOUND')],
  ])('fails to start, with an ExecutorError naming the module, when it %s, and leaves no thread', async (_label, file, checkCause) => {
    const before = osThreads();
    const made = executor({ taskModule: fixture(file), workers: 2 });
    const context = executorContext(clock, 'cpu');
    const error = (await made.start(context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as Error;
    expect(error).toBeInstanceOf(ExecutorError);
    expect(error).toMatchObject({ code: 'ERR_EXECUTOR' });
    expect(error.message).toContain(pathToFileURL(fixture(file)).href);
    expect(error.message).toContain('"cpu"');
    expect(error.message).toContain('did not load');
    expect(error.cause).toBeInstanceOf(Error);
    checkCause(error.cause as Error);
    expect(made.hasTask('add')).toBeUndefined();
    expect((await made.submit(request('add', [1, 1]))).status).toBe('cancelled');
    await expectNoThreadLeft(before);
  });

  it('turns an execArgv that Node refuses for a worker into an error of the library, naming it', async () => {
    const before = osThreads();
    const error = await (async () => {
      const made = executor({ execArgv: ['--no-such-node-flag'] });
      await made.start(executorContext(clock));
    })().then(
      () => undefined,
      (thrown: unknown) => thrown as Error & { code?: unknown; field?: unknown },
    );
    expect(error).toBeInstanceOf(Error);
    // At construction, an InvalidArgumentError for options.execArgv; or at start, an ExecutorError.
    if (error instanceof InvalidArgumentError) expect(error.field).toBe('options.execArgv');
    else expect(error).toMatchObject({ code: 'ERR_EXECUTOR', message: expect.stringContaining('--no-such-node-flag') });
    await expectNoThreadLeft(before);
  });

  it('starts on a module that exports no function, with a warning', async () => {
    const { executor: made, log } = await started({ taskModule: fixture('empty.mjs') });
    expect(log).toHaveBeenCalledWith('warn', expect.stringContaining('exports no function'));
    expect(made.hasTask('add')).toBe(false);
  });

  it('refuses to start without a clock, and to shut down without a boolean wait', async () => {
    const made = executor();
    await expect(made.start({ alias: 'cpu', log: () => undefined } as never)).rejects.toMatchObject({ field: 'context.clock' });
    await expect(made.shutdown({} as never)).rejects.toMatchObject({ field: 'options.wait' });
  });

  it('shutdown({ wait: true }) waits for the running and queued runs, refusing new ones meanwhile', async () => {
    const channel = listen();
    const { executor: made, submit } = await started({ taskModule: OBSERVED });
    const order: string[] = [];
    const running = submit('gate', [channel.name]).then((outcome) => (order.push(`gate ${outcome.status}`), outcome));
    const queued = submit('add', [1, 1]).then((outcome) => (order.push(`queued ${outcome.status}`), outcome));
    await channel.next('started');
    const shutdown = made.shutdown({ wait: true }).then(() => order.push('shut down'));
    await clock.flush();
    expect(await submit('add', [2, 2])).toEqual({ status: 'cancelled', checkedAt: T0 });
    expect(order).toEqual([]);
    channel.release();
    await shutdown;
    expect(order).toEqual(['gate success', 'queued success', 'shut down']);
    await Promise.all([running, queued]);
  });

  it('shutdown({ wait: true }) resolves after a running sleep run succeeded', async () => {
    const { executor: made, submit } = await started();
    const order: string[] = [];
    const sleeping = submit('sleep', [300]).then((outcome) => order.push(`sleep ${outcome.status}`));
    await clock.flush();
    await made.shutdown({ wait: true });
    order.push('shut down');
    await sleeping;
    expect(order).toEqual(['sleep success', 'shut down']);
  });

  it('shutdown({ wait: true }) counts a timed-out task that ignores its signal until its thread is ended', async () => {
    const channel = listen();
    const { executor: made, submit } = await started({ taskModule: OBSERVED, killAfter: 1 });
    const spinning = track(submit('spinTold', [channel.name, 60_000], { timeoutMs: 100 }));
    await channel.next('started');
    let done = false;
    const shutdown = made.shutdown({ wait: true }).then(() => (done = true));
    await clock.advance(100);
    expect(spinning.value?.status).toBe('timeout');
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await shutdown;
    expect(done).toBe(true);
  });

  it('shutdown({ wait: false }) ends a spinning run as cancelled at once, cancels queued runs and ends the threads', async () => {
    const channel = listen();
    const before = osThreads();
    const { executor: made, submit } = await started({ taskModule: OBSERVED });
    const spinning = track(submit('spinTold', [channel.name, 60_000], { timeoutMs: 30_000 }));
    const queued = track(submit('add', [1, 1]));
    await channel.next('started');
    await clock.advance(1_000);
    // Were the spinning thread not terminated, this would wait 60 s and time the test out.
    await made.shutdown({ wait: false });
    await clock.flush();
    expect(spinning.value).toEqual({ status: 'cancelled', checkedAt: T0 + 1_000, startedAt: T0 });
    expect(queued.value).toEqual({ status: 'cancelled', checkedAt: T0 + 1_000 });
    expect(clock.pendingTimers).toBe(0);
    await expectNoThreadLeft(before);
  });

  it('starts again after a shutdown, with fresh threads', async () => {
    const { executor: made, submit } = await started();
    const thread = threadOf(await submit('add', [1, 1]));
    await made.shutdown({ wait: false });
    await made.start(executorContext(clock));
    expect(made.hasTask('add')).toBe(true);
    const next = await submit('add', [2, 3]);
    expect(returned(next)).toMatchObject({ sum: 5 });
    expect(threadOf(next)).not.toBe(thread);
  });

  it('starts one set of threads when start() is called again before the first call resolved', async () => {
    const before = osThreads();
    const made = executor({ workers: 2 });
    await Promise.all([made.start(executorContext(clock)), made.start(executorContext(clock))]);
    expect(returned(await made.submit(request('add', [1, 1])))).toMatchObject({ sum: 2 });
    await made.shutdown({ wait: false });
    await expectNoThreadLeft(before);
  });

  it('is stopped, with no thread left, after a shutdown made while start() was loading the module', async () => {
    const before = osThreads();
    const made = executor({ workers: 2 });
    const starting = made.start(executorContext(clock));
    const stopping = made.shutdown({ wait: false });
    await Promise.allSettled([starting, stopping]);
    expect((await made.submit(request('add', [1, 1]))).status).toBe('cancelled');
    await expectNoThreadLeft(before);
  });

  it('a forced shutdown releases an earlier graceful one still waiting for a run', async () => {
    const channel = listen();
    const { executor: made, submit } = await started({ taskModule: OBSERVED });
    const running = track(submit('gate', [channel.name]));
    await channel.next('started');
    let graceful = false;
    const waiting = made.shutdown({ wait: true }).then(() => (graceful = true));
    await clock.flush();
    expect(graceful).toBe(false);
    await made.shutdown({ wait: false });
    await waiting;
    expect(graceful).toBe(true);
    expect(running.value).toEqual({ status: 'cancelled', checkedAt: T0, startedAt: T0 });
  });
});
