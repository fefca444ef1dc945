/**
 * The loop's timer: a precise wake on the system clock arms Node's timer `SLEEP_MS` early and
 * sleeps the rest; any other wake, and every wake on another clock, is armed for its delay as is.
 * Node's timers are observed through a spy (their callbacks are called by the test, not waited for),
 * also under a scheduler: its wake for a due instant is precise, a poll is not.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SystemClock, type Clock } from '../../src/index.js';
import { SLEEP_MS, WakeTimer } from '../../src/scheduler/wake-timer.js';
import { VirtualClock } from '../../src/testing/index.js';

const MAX_WAIT = 60_000;

/** Spies on Node's setTimeout without arming anything: the delays asked for and their callbacks. */
function spyTimers() {
  const armed: { delay: number; callback: () => void }[] = [];
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay: number) => {
    armed.push({ delay, callback });
    return armed.length as unknown as NodeJS.Timeout;
  }) as typeof setTimeout);
  const cleared = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(() => undefined);
  return { armed, cleared };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('WakeTimer on the system clock', () => {
  it('arms a precise wake SLEEP_MS early and wakes within the same callback', () => {
    const { armed } = spyTimers();
    const timer = new WakeTimer(new SystemClock(), MAX_WAIT);
    const wake = vi.fn();
    timer.arm(250, true, wake);
    expect(armed.map((a) => a.delay)).toEqual([250 - SLEEP_MS]);
    (armed[0] as { callback: () => void }).callback();
    expect(wake).toHaveBeenCalledTimes(1);
    expect(timer.immediate).toBe(false);
  });

  it('arms a wake that is not precise, or too near to sleep, for its delay as is', () => {
    const { armed } = spyTimers();
    const timer = new WakeTimer(new SystemClock(), MAX_WAIT);
    timer.arm(250, false, () => undefined);
    timer.arm(SLEEP_MS, true, () => undefined);
    timer.arm(0, true, () => undefined);
    expect(armed.map((a) => a.delay)).toEqual([250, SLEEP_MS, 0]);
    expect(timer.immediate).toBe(true);
  });

  it('cuts a wake to maxWait and a negative delay to 0', () => {
    const { armed } = spyTimers();
    const timer = new WakeTimer(new SystemClock(), MAX_WAIT);
    timer.arm(10 * MAX_WAIT, true, () => undefined);
    timer.arm(-5, true, () => undefined);
    expect(armed.map((a) => a.delay)).toEqual([MAX_WAIT - SLEEP_MS, 0]);
  });

  it('replaces the armed timer when armed again, and disarm clears it', () => {
    const { armed, cleared } = spyTimers();
    const timer = new WakeTimer(new SystemClock(), MAX_WAIT);
    timer.arm(100, true, () => undefined);
    timer.arm(200, true, () => undefined);
    expect(cleared).toHaveBeenCalledTimes(1);
    timer.disarm();
    expect(cleared).toHaveBeenCalledTimes(2);
    timer.disarm();
    expect(cleared).toHaveBeenCalledTimes(2);
    expect(armed).toHaveLength(2);
  });

  it('never sleeps for a subclass of SystemClock (its time may not be Date.now())', () => {
    const { armed } = spyTimers();
    class Shifted extends SystemClock {
      override now(): number {
        return Date.now() + 3_600_000;
      }
    }
    new WakeTimer(new Shifted(), MAX_WAIT).arm(250, true, () => undefined);
    expect(armed.map((a) => a.delay)).toEqual([250]);
  });
});

describe('WakeTimer on another clock', () => {
  it('arms the clock for the delay itself and wakes exactly at the instant', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const timer = new WakeTimer(clock, MAX_WAIT);
    const woke: number[] = [];
    timer.arm(250, true, () => woke.push(clock.now() - start));
    await clock.advance(249);
    expect(woke).toEqual([]);
    expect(timer.immediate).toBe(false);
    await clock.advance(1);
    expect(woke).toEqual([250]);
  });

  it('passes every delay to a custom clock unchanged', () => {
    const delays: number[] = [];
    const clock: Clock = {
      now: () => 0,
      setTimeout: (_callback, delay) => delays.push(delay),
      clearTimeout: () => undefined,
    };
    const timer = new WakeTimer(clock, MAX_WAIT);
    timer.arm(250, true, () => undefined);
    timer.arm(250, false, () => undefined);
    expect(delays).toEqual([250, 250]);
  });
});

describe('the scheduling loop on the system clock', () => {
  /**
   * Records Node's timers of 1 s or more without arming them (the loop's waits in these tests);
   * shorter ones (the runtime's) run as usual.
   */
  function spyLongTimers() {
    const long: { delay: number }[] = [];
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay: number) => {
      if (delay < 1_000) return real(callback, delay);
      long.push({ delay });
      return { unref: () => undefined, ref: () => undefined } as unknown as NodeJS.Timeout;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation(() => undefined);
    return long;
  }

  it('arms the wake for a due instant SLEEP_MS early, and a poll for its whole interval', async () => {
    const { MemoryJobStore, Scheduler } = await import('../../src/index.js');
    class PolledStore extends MemoryJobStore {
      readonly pollInterval = 30;
    }
    // Taken as persistent, no store is prepared ahead of an instant: the wake is the instant's.
    const persistent = <T extends object>(store: T): T => Object.defineProperty(store, 'persistent', { value: true });
    const stores = { default: persistent(new MemoryJobStore()), polled: persistent(new PolledStore()) };
    const long = spyLongTimers();
    // The wall clock stands still (the high-resolution one the sleep uses does not matter here:
    // no long timer fires), so the delays asked for are exact.
    const now = Math.ceil(Date.now() / 1_000) * 1_000;
    vi.spyOn(Date, 'now').mockReturnValue(now);
    const due = new Date(now + 10_000);
    const scheduler = new Scheduler({ stores, tasks: { noop: () => undefined } });
    await scheduler.start();
    try {
      await scheduler.addJob('noop', { type: 'date', runDate: due.toISOString() }, { id: 'due' });
      await vi.waitFor(() => expect(long[long.length - 1]?.delay).toBeLessThan(30_000));
      // The wake is for the instant less the millisecond slept (a plain timer would ask 10,000).
      expect(long[long.length - 1]?.delay).toBe(10_000 - SLEEP_MS);
      await scheduler.removeJob('due');
      scheduler.wakeup();
      await vi.waitFor(() => expect(long[long.length - 1]?.delay).toBe(30_000));
    } finally {
      await scheduler.shutdown();
    }
  });
});
