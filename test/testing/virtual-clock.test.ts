import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/testing/index.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('VirtualClock construction', () => {
  it('starts at 2026-01-01T00:00:00Z by default and does not move by itself', async () => {
    const clock = new VirtualClock();
    expect(clock.now()).toBe(T0);
    await clock.flush();
    expect(clock.now()).toBe(T0);
  });

  it('accepts a Date, epoch milliseconds and ISO strings with an offset', () => {
    expect(new VirtualClock(new Date(1_000)).now()).toBe(1_000);
    expect(new VirtualClock(-5).now()).toBe(-5);
    expect(new VirtualClock('2026-03-29T03:30:00+03:00').now()).toBe(Date.parse('2026-03-29T00:30:00Z'));
    expect(new VirtualClock('2026-03-29T03:30-05:30').now()).toBe(Date.parse('2026-03-29T09:00:00Z'));
    expect(new VirtualClock('2026-01-01T00:00:00.5Z').now()).toBe(T0 + 500);
  });

  it('rejects strings without an offset, impossible dates and non-instants', () => {
    expect(() => new VirtualClock('2026-01-01T00:00:00')).toThrow(RangeError);
    expect(() => new VirtualClock('2026-01-01')).toThrow(RangeError);
    expect(() => new VirtualClock('2026-02-30T00:00:00Z')).toThrow(RangeError);
    expect(() => new VirtualClock('2026-01-01T24:00:00Z')).toThrow(RangeError);
    expect(() => new VirtualClock('2026-01-01T00:00:00+24:00')).toThrow(RangeError);
    expect(() => new VirtualClock(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => new VirtualClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new VirtualClock({} as unknown as number)).toThrow(TypeError);
  });
});

describe('VirtualClock timers', () => {
  it('fires timers in due order, ties in arming order, each at its own due instant', async () => {
    const clock = new VirtualClock();
    const fired: [string, number][] = [];
    const record = (name: string) => () => fired.push([name, clock.now() - T0]);
    clock.setTimeout(record('c'), 300);
    clock.setTimeout(record('a1'), 100);
    clock.setTimeout(record('b'), 200);
    clock.setTimeout(record('a2'), 100);
    clock.setTimeout(record('late'), 1_001);
    await clock.advance(1_000);
    expect(fired).toEqual([['a1', 100], ['a2', 100], ['b', 200], ['c', 300]]);
    expect(clock.now()).toBe(T0 + 1_000);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerDelay()).toBe(1);
  });

  it('fires timers armed during an advance when they fall due within the window', async () => {
    const clock = new VirtualClock();
    const fired: [string, number][] = [];
    clock.setTimeout(() => {
      fired.push(['outer', clock.now() - T0]);
      clock.setTimeout(() => fired.push(['zero', clock.now() - T0]), 0);
      clock.setTimeout(() => fired.push(['inner', clock.now() - T0]), 50);
      clock.setTimeout(() => fired.push(['outside', clock.now() - T0]), 500);
    }, 100);
    await clock.advance(200);
    expect(fired).toEqual([['outer', 100], ['zero', 100], ['inner', 150]]);
    expect(clock.nextTimerDelay()).toBe(400);
  });

  it('fires zero-delay timers on advance(0) without moving time', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    clock.setTimeout(() => fired++, 0);
    await clock.advance(0);
    expect(fired).toBe(1);
    expect(clock.now()).toBe(T0);
  });

  it('clearTimeout cancels a timer and ignores fired, cleared and foreign handles', async () => {
    const clock = new VirtualClock();
    let fired = 0;
    const cleared = clock.setTimeout(() => fired++, 10);
    const kept = clock.setTimeout(() => fired++, 10);
    clock.clearTimeout(cleared);
    clock.clearTimeout(cleared);
    clock.clearTimeout({});
    clock.clearTimeout(undefined);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(10);
    clock.clearTimeout(kept);
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.nextTimerDelay()).toBeNull();
  });

  it('refuses delays a real host would mishandle', () => {
    const clock = new VirtualClock();
    const noop = (): void => undefined;
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => clock.setTimeout(noop, bad)).toThrow(RangeError);
    }
    expect(() => clock.setTimeout(noop, '5' as unknown as number)).toThrow(TypeError);
    expect(() => clock.setTimeout('x' as unknown as () => void, 5)).toThrow(TypeError);
    expect(clock.setTimeout(noop, 2 ** 31 - 1)).toBeDefined();
    expect(clock.pendingTimers).toBe(1);
  });

  it('rejects a negative or non-finite advance', async () => {
    const clock = new VirtualClock();
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('rethrows a callback error after its turn, stopping at its due instant', async () => {
    const clock = new VirtualClock();
    const boom = new Error('boom');
    let chainDone = false;
    let laterFired = false;
    clock.setTimeout(() => {
      void Promise.resolve().then(() => {
        chainDone = true;
      });
      throw boom;
    }, 100);
    clock.setTimeout(() => {
      laterFired = true;
    }, 200);
    await expect(clock.advance(1_000)).rejects.toBe(boom);
    expect(chainDone).toBe(true);
    expect(laterFired).toBe(false);
    expect(clock.now()).toBe(T0 + 100);
    await clock.advance(100);
    expect(laterFired).toBe(true);
  });

  it('runs concurrent advances one after another', async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now() - T0), 5);
    clock.setTimeout(() => fired.push(clock.now() - T0), 15);
    await Promise.all([clock.advance(10), clock.advance(10)]);
    expect(fired).toEqual([5, 15]);
    expect(clock.now()).toBe(T0 + 20);
  });
});

describe('VirtualClock wall-clock jumps', () => {
  it('a forward jump moves now() but leaves timers on their monotonic delays', async () => {
    const clock = new VirtualClock();
    let firedAt: number | null = null;
    clock.setTimeout(() => {
      firedAt = clock.now();
    }, 60_000);
    clock.jump(3_600_000);
    expect(clock.now()).toBe(T0 + 3_600_000);
    expect(clock.nextTimerDelay()).toBe(60_000);
    await clock.advance(59_999);
    expect(firedAt).toBeNull();
    await clock.advance(1);
    expect(firedAt).toBe(T0 + 3_600_000 + 60_000);
  });

  it('a backward jump moves now() back and timers still fire after their delay', async () => {
    const clock = new VirtualClock();
    let firedAt: number | null = null;
    clock.setTimeout(() => {
      firedAt = clock.now();
    }, 1_000);
    clock.jump(-30_000);
    expect(clock.now()).toBe(T0 - 30_000);
    expect(clock.nextTimerDelay()).toBe(1_000);
    await clock.advance(1_000);
    expect(firedAt).toBe(T0 - 29_000);
  });

  it('refuses a non-finite jump', () => {
    const clock = new VirtualClock();
    expect(() => clock.jump(Number.NaN)).toThrow(RangeError);
    expect(() => clock.jump(Number.NEGATIVE_INFINITY)).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('advanceTo targets the wall clock, including after a jump', async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 90_000);
    clock.jump(60_000);
    await clock.advanceTo('2026-01-01T00:02:00Z');
    expect(clock.now()).toBe(T0 + 120_000);
    expect(fired).toEqual([]);
    expect(clock.nextTimerDelay()).toBe(30_000);
    await clock.advanceTo(new Date(T0 + 150_000));
    expect(fired).toEqual([T0 + 150_000]);
  });

  it('advanceTo rejects an instant in the past', async () => {
    const clock = new VirtualClock();
    await expect(clock.advanceTo(T0 - 1)).rejects.toThrow(RangeError);
    await expect(clock.advanceTo('not a date')).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });
});

describe('VirtualClock flush and sleep', () => {
  it('lets a callback’s promise chain settle before the next timer fires', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setTimeout(() => {
      void (async () => {
        for (let i = 0; i < 100; i++) await Promise.resolve();
        await new Promise<void>((resolve) => setImmediate(resolve));
        log.push('chain done');
      })();
    }, 10);
    clock.setTimeout(() => log.push('second timer'), 10);
    await clock.advance(10);
    expect(log).toEqual(['chain done', 'second timer']);
  });

  it('flush settles pending chains without moving time', async () => {
    const clock = new VirtualClock();
    let done = false;
    void (async () => {
      for (let i = 0; i < 50; i++) await Promise.resolve();
      done = true;
    })();
    expect(done).toBe(false);
    await clock.flush();
    expect(done).toBe(true);
    expect(clock.now()).toBe(T0);
  });

  it('sleep resolves once virtual time has passed', async () => {
    const clock = new VirtualClock();
    let wokeAt: number | null = null;
    void clock.sleep(5_000).then(() => {
      wokeAt = clock.now();
    });
    await clock.advance(4_999);
    expect(wokeAt).toBeNull();
    await clock.advance(1);
    expect(wokeAt).toBe(T0 + 5_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sleep rejects a bad delay instead of throwing', async () => {
    const clock = new VirtualClock();
    await expect(clock.sleep(-1)).rejects.toThrow(RangeError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a task sleeping in steps wakes at each step', async () => {
    const clock = new VirtualClock();
    const wakes: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1_000);
        wakes.push(clock.now() - T0);
      }
    })();
    await clock.advance(10_000);
    expect(wakes).toEqual([1_000, 2_000, 3_000]);
  });
});

describe('VirtualClock stays within what a Date can hold', () => {
  const LIMIT = 8.64e15;

  it('advance refuses to pass ±8.64e15 ms, naming the call, before time moves', async () => {
    const clock = new VirtualClock(LIMIT - 1_000);
    let fired = 0;
    clock.setTimeout(() => fired++, 500);
    await expect(clock.advance(1_001)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.MAX_VALUE)).rejects.toThrow(/VirtualClock\.advance/);
    expect(clock.now()).toBe(LIMIT - 1_000);
    expect(fired).toBe(0);
    await clock.advance(1_000); // up to the limit itself is fine
    expect(clock.now()).toBe(LIMIT);
    expect(new Date(clock.now()).toISOString()).toBe('+275760-09-13T00:00:00.000Z');
    expect(fired).toBe(1);
  });

  it('checks a queued advance against the time its turn starts from', async () => {
    const clock = new VirtualClock(LIMIT - 1_000);
    const first = clock.advance(600);
    const second = clock.advance(600);
    await first;
    await expect(second).rejects.toThrow(/VirtualClock\.advance/);
    expect(clock.now()).toBe(LIMIT - 400);
  });

  it('advanceTo refuses an instant beyond the range', async () => {
    const clock = new VirtualClock();
    await expect(clock.advanceTo(LIMIT + 1)).rejects.toThrow(/VirtualClock\.advanceTo/);
    await expect(clock.advanceTo(Number.MAX_SAFE_INTEGER)).rejects.toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('jump refuses to step the wall clock beyond the range, either way', () => {
    const clock = new VirtualClock();
    expect(() => clock.jump(LIMIT)).toThrow(/VirtualClock\.jump/);
    expect(() => clock.jump(-LIMIT - T0 - 1)).toThrow(RangeError);
    expect(() => clock.jump(Number.MAX_VALUE)).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
    clock.jump(-LIMIT - T0);
    expect(clock.now()).toBe(-LIMIT);
  });

  it('the constructor refuses a start no Date can hold', () => {
    expect(() => new VirtualClock(LIMIT + 1)).toThrow(RangeError);
    expect(new VirtualClock(-LIMIT).now()).toBe(-LIMIT);
  });
});
