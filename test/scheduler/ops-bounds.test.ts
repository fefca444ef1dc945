/** Upper bounds of the run policies and of maxWait, the same in jobDefaults, addJob and modifyJob. */
import { describe, expect, it } from 'vitest';
import { CronTrigger, DateTrigger, IntervalTrigger, Scheduler } from '../../src/index.js';
import { T0, makeScheduler } from '../helpers/scheduler.js';

const DAYS_366 = 31_622_400;
const every5 = () => new IntervalTrigger({ seconds: 5, startDate: new Date(T0 + 5_000) });

/** [policy, the largest accepted value, the smallest refused one] */
const BOUNDS: Array<[string, number, number]> = [
  ['misfireGraceTime', DAYS_366, DAYS_366 + 0.001],
  ['jitter', DAYS_366, 1e300],
  ['timeout', DAYS_366, DAYS_366 + 1],
  ['maxInstances', 100_000, 100_001],
];

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(BOUNDS)('%s', (policy, largest, refused) => {
  it('is bounded in jobDefaults', () => {
    expect(new Scheduler({ jobDefaults: { [policy]: largest } })).toBeInstanceOf(Scheduler);
    const field = `options.jobDefaults.${policy}`;
    const error = thrown(() => new Scheduler({ jobDefaults: { [policy]: refused } }));
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field, value: refused });
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).toContain(`<= ${largest}`);
  });

  it('is bounded in addJob and modifyJob, which then change nothing', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.start();
    const job = await scheduler.addJob(() => 1, every5(), { id: 'ok', [policy]: largest });
    expect(job).toMatchObject({ [policy]: largest });
    const before = await scheduler.getJobs();
    await expect(scheduler.addJob(() => 1, every5(), { id: 'no', [policy]: refused })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT', field: `options.${policy}`, value: refused,
    });
    await expect(scheduler.modifyJob('ok', { name: 'renamed', [policy]: refused })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT', field: `changes.${policy}`, value: refused,
    });
    expect(await scheduler.getJobs()).toEqual(before);
    await scheduler.shutdown();
  });
});

describe('maxWait', () => {
  it('accepts up to 2^31-1 ms and refuses more instead of clamping it', () => {
    expect(new Scheduler({ maxWait: 2_147_483.647 })).toBeInstanceOf(Scheduler);
    const error = thrown(() => new Scheduler({ maxWait: 2_147_483.648 }));
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'options.maxWait', value: 2_147_483.648 });
    expect((error as Error).message).toContain('<= 2147483.647');
  });
});

describe('leaseTime', () => {
  it('accepts 1 to 3,600 seconds and refuses anything else, naming the option', () => {
    for (const ok of [1, 2.5, 3_600]) expect(new Scheduler({ leaseTime: ok })).toBeInstanceOf(Scheduler);
    for (const bad of [0, 0.5, 3_601, -1, Number.NaN, Infinity, '10', null]) {
      expect(thrown(() => new Scheduler({ leaseTime: bad as never }))).toMatchObject({
        code: 'ERR_INVALID_ARGUMENT', field: 'options.leaseTime',
      });
    }
  });
});

it('a one-off job with a huge jitter is refused rather than removed with a run that never comes', async () => {
  const { scheduler } = makeScheduler();
  await scheduler.start();
  await expect(scheduler.addJob(() => 1, new DateTrigger(new Date(T0 + 1_000)), { id: 'once', jitter: 1e300 })).rejects.toMatchObject({
    code: 'ERR_INVALID_ARGUMENT', field: 'options.jitter',
  });
  expect(await scheduler.getJobs()).toEqual([]);
  await scheduler.shutdown();
});

describe("a trigger's jitter", () => {
  it.each([
    ['interval', () => new IntervalTrigger({ seconds: 5, jitter: DAYS_366 + 1 })],
    ['cron', () => new CronTrigger({ second: '*/5', jitter: 1e300 })],
  ])('is bounded like a job\'s (%s)', (type, build) => {
    expect(thrown(build)).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: `${type}.jitter` });
  });

  it("of a custom trigger is held to the same bound: a one-off job's run does not wait forever", async () => {
    const { clock, scheduler } = makeScheduler({ maxWait: 2_000_000 }); // few wakes over a year
    const ran: number[] = [];
    const once = new DateTrigger(new Date(T0 + 1_000));
    const huge = { getNextFireTime: once.getNextFireTime.bind(once), toJSON: () => ({ type: 'huge' }), toString: () => 'huge', jitter: 1e300 };
    await scheduler.addJob(() => void ran.push(clock.now()), huge);
    await scheduler.start();
    await clock.advance(DAYS_366 * 1_000 + 2_000);
    expect(ran).toHaveLength(1);
    await scheduler.shutdown();
  });
});
