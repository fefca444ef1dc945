import { describe, expect, it } from 'vitest';
import { DateTrigger, IntervalTrigger, JobTimeoutError, PromiseExecutor } from '../../src/index.js';
import { T0, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const S = 1_000;
const at = (ms: number) => new Date(T0 + ms);

describe('a run that times out', () => {
  it('releases its job instance and its executor slot', async () => {
    const { clock, scheduler } = makeScheduler({ executors: { default: new PromiseExecutor({ concurrency: 1 }) } });
    const events = recordEvents(scheduler);
    const slowCalls: number[] = [];
    const otherCalls: number[] = [];
    // Slots at T0+1s, T0+6s, ...; the first call never settles and times out at T0+3s.
    await scheduler.addJob(
      () => {
        slowCalls.push(clock.now() - T0);
        return slowCalls.length === 1 ? new Promise<never>(() => {}) : 'done';
      },
      new IntervalTrigger({ seconds: 5, startDate: at(S) }),
      { id: 'slow', timeout: 2, maxInstances: 1 },
    );
    // Due while the executor's only slot would still be held, had the timeout not freed it.
    await scheduler.addJob(() => void otherCalls.push(clock.now() - T0), new DateTrigger(at(4 * S)), { id: 'other' });
    await scheduler.start();

    await clock.advance(3 * S);
    const errors = ofType(events, 'job:error');
    expect(errors).toHaveLength(1);
    const [timedOut] = errors;
    expect(timedOut?.jobId).toBe('slow');
    expect(timedOut?.scheduledRunTime.getTime()).toBe(T0 + S);
    expect(timedOut?.error).toBeInstanceOf(JobTimeoutError);
    expect((timedOut?.error as JobTimeoutError).code).toBe('ERR_JOB_TIMEOUT');

    await clock.advance(4 * S); // T0+7s: past the other job's time and the slow job's second slot
    expect(otherCalls).toEqual([4 * S]);
    expect(slowCalls).toEqual([S, 6 * S]);
    expect(ofType(events, 'job:max-instances')).toEqual([]);
    const executed = ofType(events, 'job:executed').map((event) => [event.jobId, event.scheduledRunTime.getTime() - T0]);
    expect(executed).toEqual([
      ['other', 4 * S],
      ['slow', 6 * S],
    ]);

    await scheduler.shutdown();
  });
});
