/**
 * Every path that takes a trigger checks it the same way (a trigger with no fire time left, or a
 * broken one, is refused with the same error and nothing changes), and whatever a custom trigger
 * throws or returns comes out as a SchedulerError with a code.
 */
import { describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore, SchedulerError } from '../../src/index.js';
import type { Scheduler, Trigger, TriggerInput } from '../../src/index.js';
import { T0, makeScheduler } from '../helpers/scheduler.js';

const every5 = () => new IntervalTrigger({ seconds: 5, startDate: new Date(T0 + 5_000) });

/** How a custom trigger misbehaves. */
type Fault =
  | 'returns a string' | 'returns an Invalid Date' | 'throws a TypeError' | 'throws a RangeError' | 'throws a string'
  | 'returns null' | 'toJSON throws' | 'toJSON returns a string' | 'toJSON returns a Date field' | 'toJSON returns no type'
  | 'toString throws' | 'toString returns an object' | 'toString returns a number';

/** What the error must look like for each fault (`cause`: the value the trigger threw). */
const EXPECTED: Record<Fault, { field: string | RegExp; cause?: unknown }> = {
  'returns a string': { field: 'getNextFireTime' },
  'returns an Invalid Date': { field: 'getNextFireTime' },
  'throws a TypeError': { field: 'getNextFireTime', cause: expect.any(TypeError) },
  'throws a RangeError': { field: 'getNextFireTime', cause: expect.any(RangeError) },
  'throws a string': { field: 'getNextFireTime', cause: 'nope' },
  'returns null': { field: 'trigger' },
  'toJSON throws': { field: 'toJSON()', cause: expect.any(TypeError) },
  'toJSON returns a string': { field: 'toJSON()' },
  'toJSON returns a Date field': { field: /toJSON\(\)\.when/ },
  'toJSON returns no type': { field: 'toJSON()' },
  'toString throws': { field: 'toString()', cause: expect.any(Error) },
  'toString returns an object': { field: 'toString()' },
  'toString returns a number': { field: 'toString()' },
};
const FIRE_FAULTS: Fault[] = [
  'returns a string', 'returns an Invalid Date', 'throws a TypeError', 'throws a RangeError', 'throws a string', 'returns null',
];
const TEXT_FAULTS: Fault[] = [
  'toJSON throws', 'toJSON returns a string', 'toJSON returns a Date field', 'toJSON returns no type',
  'toString throws', 'toString returns an object', 'toString returns a number',
];

/** A custom trigger that fires every second until `fault` is set, then misbehaves that way. */
function customTrigger(initial: Fault | null): Trigger & { fault: Fault | null } {
  const trigger = {
    fault: initial,
    getNextFireTime(previous: Date | null, now: Date): Date | null {
      switch (trigger.fault) {
        case 'returns a string': return 'soon' as never;
        case 'returns an Invalid Date': return new Date(Number.NaN);
        case 'throws a TypeError': return (undefined as never as { x: Date }).x;
        case 'throws a RangeError': return new Date(new Date(Number.NaN).toISOString());
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        case 'throws a string': throw 'nope';
        case 'returns null': return null;
        default: return new Date((previous ?? now).getTime() + 1_000);
      }
    },
    toJSON() {
      switch (trigger.fault) {
        case 'toJSON throws': throw new TypeError('circular config');
        case 'toJSON returns a string': return 'every second' as never;
        case 'toJSON returns a Date field': return { type: 'every-second', when: new Date(0) } as never;
        case 'toJSON returns no type': return { seconds: 1 } as never;
        default: return { type: 'every-second' };
      }
    },
    toString() {
      switch (trigger.fault) {
        case 'toString throws': throw new Error('no name');
        case 'toString returns an object': return { name: 'every second' } as never;
        case 'toString returns a number': return 1 as never;
        default: return 'every-second';
      }
    },
  };
  return trigger;
}

/** A way into the scheduler that takes a trigger, on a scheduler holding job 'j' (paused or not). */
interface Path {
  label: string;
  paused: boolean;
  call: (scheduler: Scheduler, trigger: TriggerInput) => Promise<unknown>;
}

const PATHS: Path[] = [
  { label: 'addJob', paused: false, call: (s, t) => s.addJob(() => 1, t, { id: 'new' }) },
  { label: 'addJob paused', paused: false, call: (s, t) => s.addJob(() => 1, t, { id: 'new', paused: true }) },
  { label: 'addJob with nextRunTime', paused: false, call: (s, t) => s.addJob(() => 1, t, { id: 'new', nextRunTime: new Date(T0 + 9_000) }) },
  { label: 'addJob paused with nextRunTime', paused: false, call: (s, t) => s.addJob(() => 1, t, { id: 'new', paused: true, nextRunTime: new Date(T0 + 9_000) }) },
  { label: 'addJob replacing', paused: false, call: (s, t) => s.addJob(() => 1, t, { id: 'j', replaceExisting: true }) },
  { label: 'rescheduleJob', paused: false, call: (s, t) => s.rescheduleJob('j', t) },
  { label: 'rescheduleJob of a paused job', paused: true, call: (s, t) => s.rescheduleJob('j', t) },
  { label: 'modifyJob trigger', paused: false, call: (s, t) => s.modifyJob('j', { trigger: t, name: 'changed' }) },
  { label: 'modifyJob trigger of a paused job', paused: true, call: (s, t) => s.modifyJob('j', { trigger: t, name: 'changed' }) },
  { label: 'modifyJob trigger and nextRunTime', paused: false, call: (s, t) => s.modifyJob('j', { trigger: t, nextRunTime: new Date(T0 + 9_000) }) },
];

/** A scheduler (started or not) with job 'j', and a snapshot of everything a call could change. */
async function setUp(started: boolean, paused: boolean) {
  const store = new MemoryJobStore();
  const { clock, scheduler } = makeScheduler({ stores: { default: store } });
  if (started) await scheduler.start();
  await scheduler.addJob(() => 0, every5(), { id: 'j', paused });
  const snapshot = async () => ({ jobs: await scheduler.getJobs(), records: await store.getJobs() });
  return { clock, scheduler, snapshot, before: await snapshot() };
}

async function expectRefused(attempt: Promise<unknown>, fault: Fault): Promise<void> {
  const error = await attempt.then(() => 'no error', (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SchedulerError);
  const { field, cause } = EXPECTED[fault];
  expect(error).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field });
  if (cause !== undefined) expect((error as Error).cause).toEqual(cause);
}

describe.each([false, true])('trigger checks (started: %s)', (started) => {
  describe.each(PATHS)('$label', ({ paused, call }) => {
    it.each([...FIRE_FAULTS, ...TEXT_FAULTS])('refuses a trigger that %s and changes nothing', async (fault) => {
      const { scheduler, snapshot, before } = await setUp(started, paused);
      await expectRefused(call(scheduler, customTrigger(fault)), fault);
      expect(await snapshot()).toEqual(before);
      if (started) await scheduler.shutdown();
    });

    it('refuses a cron spec in a past year and changes nothing', async () => {
      const { scheduler, snapshot, before } = await setUp(started, paused);
      const error = await call(scheduler, { type: 'cron', year: 2001 }).then(() => 'no error', (caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: 'trigger', message: expect.stringContaining('no fire time left') });
      expect(await snapshot()).toEqual(before);
      if (started) await scheduler.shutdown();
    });
  });

  describe('resumeJob', () => {
    it.each(FIRE_FAULTS.filter((fault) => fault !== 'returns null'))(
      'refuses a trigger that now %s and leaves the job paused',
      async (fault) => {
        const store = new MemoryJobStore();
        const { scheduler } = makeScheduler({ stores: { default: store } });
        if (started) await scheduler.start();
        const trigger = customTrigger(null);
        await scheduler.addJob(() => 0, trigger, { id: 'j', paused: true });
        const before = { jobs: await scheduler.getJobs(), records: await store.getJobs() };
        trigger.fault = fault;
        await expectRefused(scheduler.resumeJob('j'), fault);
        expect({ jobs: await scheduler.getJobs(), records: await store.getJobs() }).toEqual(before);
        trigger.fault = null;
        expect((await scheduler.resumeJob('j'))?.paused).toBe(false);
        if (started) await scheduler.shutdown();
      },
    );

    it('still removes a job whose trigger has finished while it was paused', async () => {
      const { clock, scheduler } = makeScheduler();
      if (started) await scheduler.start();
      const ending = new IntervalTrigger({ seconds: 1, startDate: new Date(T0), endDate: new Date(T0 + 5_000) });
      await scheduler.addJob(() => 0, ending, { id: 'j', paused: true });
      await clock.advance(10_000);
      expect(await scheduler.resumeJob('j')).toBeUndefined();
      expect(await scheduler.getJob('j')).toBeUndefined();
      if (started) await scheduler.shutdown();
    });
  });
});

it('a paused job cannot be given a trigger that resumeJob would then delete or choke on', async () => {
  const { scheduler } = makeScheduler();
  await scheduler.start();
  await scheduler.addJob(() => 0, every5(), { id: 'p', paused: true });
  await expect(scheduler.rescheduleJob('p', { type: 'cron', year: 2001 })).rejects.toMatchObject({ code: 'ERR_INVALID_TRIGGER' });
  await expect(scheduler.rescheduleJob('p', customTrigger('returns a string'))).rejects.toMatchObject({ code: 'ERR_INVALID_TRIGGER' });
  const resumed = await scheduler.resumeJob('p');
  expect(resumed?.nextRunTime?.getTime()).toBe(T0 + 5_000);
  await scheduler.shutdown();
});
