/**
 * How often the loop looks at a store: after errors (backing off, then back to normal once the
 * store answers) and while idle (a store's `pollInterval` caps the wait).
 */
import { describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore } from '../../src/index.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;

describe('the loop and a store', () => {
  it('retries a failing store with a doubling wait (1 s up to 30 s), and is back to normal once it answers', async () => {
    const store = new MemoryJobStore();
    const acquire = store.acquireDueJobs.bind(store);
    let down = true;
    const tries: number[] = [];
    let firstGood: number | null = null;
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    store.acquireDueJobs = async (...args) => {
      if (down) {
        tries.push(clock.now() - T0);
        throw new Error('connection refused');
      }
      firstGood ??= clock.now() - T0;
      return acquire(...args);
    };
    const events = recordEvents(scheduler);
    const runs: number[] = [];
    await scheduler.addJob(() => void runs.push(clock.now() - T0), new IntervalTrigger({ seconds: 1, startDate: new Date(T0 + S) }), {
      misfireGraceTime: null,
      coalesce: 'latest',
    });
    await scheduler.start();
    await clock.advance(100 * S);
    const gaps = tries.slice(1).map((t, i) => t - (tries[i] as number));
    expect(gaps).toEqual([1, 2, 4, 8, 16, 30, 30].map((s) => s * S));
    expect(ofType(events, 'store:error')).toHaveLength(tries.length);
    expect(runs).toEqual([]);
    // Back: the next try runs the backlog once (coalesced), then the job every second again.
    down = false;
    await clock.advance(33 * S);
    expect(firstGood).toBe((tries[tries.length - 1] as number) + 30 * S);
    expect(runs[0]).toBe(firstGood);
    expect(runs.slice(1, 4)).toEqual([1, 2, 3].map((k) => (firstGood as number) + k * S));
    await scheduler.shutdown();
  });

  it("looks at a store at least every pollInterval while nothing is due, and at most that often", async () => {
    const store = new MemoryJobStore();
    Object.defineProperty(store, 'pollInterval', { value: 2 });
    const { clock, scheduler } = makeScheduler({ stores: { default: store } });
    const acquire = store.acquireDueJobs.bind(store);
    const looks: number[] = [];
    store.acquireDueJobs = async (...args) => {
      looks.push(clock.now() - T0);
      return acquire(...args);
    };
    await scheduler.start();
    await clock.advance(10 * S);
    expect(looks).toEqual([0, 2, 4, 6, 8, 10].map((s) => s * S));
    await scheduler.shutdown();
  });
});
