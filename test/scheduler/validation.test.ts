import { describe, expect, it } from 'vitest';
import { IntervalTrigger, MemoryJobStore, OrTrigger, PromiseExecutor, Scheduler, type AnyTriggerSpec, type TriggerSpec } from '../../src/index.js';
import { T0, makeScheduler } from '../helpers/scheduler.js';

const every5 = () => new IntervalTrigger({ seconds: 5, startDate: new Date(T0 + 5_000) });

/** An array nested `depth` levels deep: `[[[...[]...]]]`. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let k = 1; k < depth; k++) value = [value];
  return value;
}

describe('new Scheduler() rejects bad options', () => {
  const cases: Array<[string, unknown, string]> = [
    ['unknown key', { timezon: 'UTC' }, 'options.timezon'],
    ['not an object', 'UTC', 'options'],
    ['unknown zone', { timezone: 'Mars/Olympus' }, 'options.timezone'],
    ['negative grace', { jobDefaults: { misfireGraceTime: -1 } }, 'options.jobDefaults.misfireGraceTime'],
    ['NaN jitter', { jobDefaults: { jitter: Number.NaN } }, 'options.jobDefaults.jitter'],
    ['zero maxInstances', { jobDefaults: { maxInstances: 0 } }, 'options.jobDefaults.maxInstances'],
    ['bad coalesce', { jobDefaults: { coalesce: 'sometimes' } }, 'options.jobDefaults.coalesce'],
    ['unknown job default', { jobDefaults: { retries: 3 } }, 'options.jobDefaults.retries'],
    ['zero timeout', { jobDefaults: { timeout: 0 } }, 'options.jobDefaults.timeout'],
    ['store without methods', { stores: { default: {} } }, 'options.stores.default'],
    ['executor without methods', { executors: { default: { submit() {} } } }, 'options.executors.default'],
    ['clock without methods', { clock: { now: () => 0 } }, 'options.clock'],
    ['logger without methods', { logger: { log() {} } }, 'options.logger'],
    ['task not a function', { tasks: { send: 'send' } }, 'task "send"'],
    ['empty identity', { identity: '' }, 'options.identity'],
    ['zero maxWait', { maxWait: 0 }, 'options.maxWait'],
  ];
  for (const [label, options, field] of cases) {
    it(label, () => {
      let error: unknown;
      try {
        new Scheduler(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field });
      expect((error as Error).message).toContain(field);
    });
  }
});

describe('addJob rejects bad input and changes nothing', () => {
  const cases: Array<[string, () => [unknown, unknown, unknown], string, string]> = [
    ['unknown option', () => [() => 1, every5(), { idd: 'x' }], 'ERR_INVALID_ARGUMENT', 'options.idd'],
    ['task of the wrong type', () => [42, every5(), {}], 'ERR_INVALID_ARGUMENT', 'task'],
    ['unregistered task name', () => ['nope', every5(), {}], 'ERR_TASK_NOT_FOUND', ''],
    ['registry key __proto__', () => ['__proto__', every5(), {}], 'ERR_TASK_NOT_FOUND', ''],
    ['zero interval', () => [() => 1, { type: 'interval', seconds: 0 }, {}], 'ERR_INVALID_TRIGGER', 'interval'],
    ['negative interval', () => [() => 1, { type: 'interval', minutes: -1 }, {}], 'ERR_INVALID_TRIGGER', 'interval.minutes'],
    ['unknown trigger type', () => [() => 1, { type: 'weekly' }, {}], 'ERR_INVALID_TRIGGER', 'type'],
    ['invalid crontab string', () => [() => 1, '*/5 * * *', {}], 'ERR_INVALID_TRIGGER', 'cron.expression'],
    ['impossible crontab date', () => [() => 1, '0 0 31 2 *', {}], 'ERR_INVALID_TRIGGER', 'cron.expression'],
    ['invalid cron field', () => [() => 1, { type: 'cron', hour: '22-2' }, {}], 'ERR_INVALID_TRIGGER', 'cron.hour'],
    ['trigger of the wrong type', () => [() => 1, 5, {}], 'ERR_INVALID_TRIGGER', 'trigger'],
    ['end before start', () => [() => 1, { type: 'interval', seconds: 1, startDate: '2026-02-01T00:00:00Z', endDate: '2026-01-01T00:00:00Z' }, {}], 'ERR_INVALID_TRIGGER', 'interval.endDate'],
    ['unknown trigger zone', () => [() => 1, { type: 'interval', seconds: 1, timezone: 'Nowhere/City' }, {}], 'ERR_INVALID_TRIGGER', 'interval.timezone'],
    ['impossible date', () => [() => 1, { type: 'date', runDate: '2024-02-30T10:00:00' }, {}], 'ERR_INVALID_TRIGGER', 'date.runDate'],
    ['finished trigger', () => [() => 1, { type: 'interval', seconds: 1, startDate: '2020-01-01T00:00:00Z', endDate: '2020-01-02T00:00:00Z' }, {}], 'ERR_INVALID_TRIGGER', 'trigger'],
    ['NaN grace', () => [() => 1, every5(), { misfireGraceTime: Number.NaN }], 'ERR_INVALID_ARGUMENT', 'options.misfireGraceTime'],
    ['negative jitter', () => [() => 1, every5(), { jitter: -2 }], 'ERR_INVALID_ARGUMENT', 'options.jitter'],
    ['fractional maxInstances', () => [() => 1, every5(), { maxInstances: 1.5 }], 'ERR_INVALID_ARGUMENT', 'options.maxInstances'],
    ['coalesce string', () => [() => 1, every5(), { coalesce: 'yes' }], 'ERR_INVALID_ARGUMENT', 'options.coalesce'],
    ['bad nextRunTime', () => [() => 1, every5(), { nextRunTime: 'tomorrow' }], 'ERR_INVALID_ARGUMENT', 'options.nextRunTime'],
    ['args not an array', () => [() => 1, every5(), { args: 'a' }], 'ERR_INVALID_ARGUMENT', 'options.args'],
    ['args not JSON', () => [() => 1, every5(), { args: [1, { when: new Date() }] }], 'ERR_INVALID_ARGUMENT', 'options.args[1].when'],
    ['args nested 100,000 deep', () => [() => 1, every5(), { args: [nested(100_000)] }], 'ERR_INVALID_ARGUMENT', `options.args[0]${'[0]'.repeat(63)}`],
    ['metadata nested 65 deep', () => [() => 1, every5(), { metadata: { a: nested(64) } }], 'ERR_INVALID_ARGUMENT', `options.metadata.a${'[0]'.repeat(63)}`],
    ['metadata not an object', () => [() => 1, every5(), { metadata: [1] }], 'ERR_INVALID_ARGUMENT', 'options.metadata'],
    ['empty id', () => [() => 1, every5(), { id: '' }], 'ERR_INVALID_ARGUMENT', 'options.id'],
    ['paused not boolean', () => [() => 1, every5(), { paused: 'yes' }], 'ERR_INVALID_ARGUMENT', 'options.paused'],
    ['unknown store', () => [() => 1, every5(), { store: 'nope' }], 'ERR_STORE_NOT_FOUND', ''],
    ['unknown executor', () => [() => 1, every5(), { executor: 'nope' }], 'ERR_EXECUTOR_NOT_FOUND', ''],
    ['duplicate id', () => [() => 1, every5(), { id: 'existing' }], 'ERR_CONFLICTING_ID', ''],
  ];
  for (const started of [false, true]) {
    for (const [label, args, code, field] of cases) {
      it(`${label} (${started ? 'running' : 'stopped'})`, async () => {
        const { scheduler } = makeScheduler();
        if (started) await scheduler.start();
        await scheduler.addJob(() => 0, every5(), { id: 'existing', args: [1], metadata: { a: 1 } });
        const before = await scheduler.getJobs();
        const [task, trigger, options] = args();
        const error = await scheduler.addJob(task as never, trigger as never, options as never).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toMatchObject({ code });
        if (field) expect(error).toMatchObject({ field });
        if (field) expect((error as Error).message).toContain(field);
        expect(await scheduler.getJobs()).toEqual(before);
        expect(scheduler.state).toBe(started ? 'running' : 'stopped');
        if (started) await scheduler.shutdown();
      });
    }
  }

  it('names the value in the message', async () => {
    const { scheduler } = makeScheduler();
    await expect(scheduler.addJob(() => 1, every5(), { maxInstances: -3 })).rejects.toThrow(/options\.maxInstances: -3/);
    await expect(scheduler.addJob(() => 1, { type: 'interval', seconds: 1, timezone: 'Nowhere/City' })).rejects.toThrow(/Nowhere\/City/);
  });

  it('refuses an inline function for a persistent store', async () => {
    const persistent = Object.assign(new MemoryJobStore(), { persistent: true });
    const { scheduler } = makeScheduler({ stores: { db: persistent } });
    await scheduler.start();
    await expect(scheduler.addJob(function notRegistered() {}, every5(), { store: 'db' })).rejects.toMatchObject({
      code: 'ERR_TASK_NOT_FOUND', task: 'notRegistered',
    });
    const custom = { getNextFireTime: () => null, toJSON: () => ({ type: 'custom' }), toString: () => 'custom' };
    scheduler.registerTask('t', () => 1);
    await expect(scheduler.addJob('t', custom, { store: 'db' })).rejects.toMatchObject({ code: 'ERR_SERIALIZATION' });
    const combined = new OrTrigger([custom, new IntervalTrigger({ seconds: 5 })]);
    await expect(scheduler.addJob('t', combined, { store: 'db' })).rejects.toMatchObject({ code: 'ERR_SERIALIZATION' });
    expect(await persistent.getJobs()).toEqual([]);
    await scheduler.shutdown();
  });
});

describe('other methods reject bad input and change nothing', () => {
  it('modifyJob, pauseJob, resumeJob, removeJob, runJob and getJobs name the job or field', async () => {
    const { scheduler } = makeScheduler();
    await scheduler.start();
    await scheduler.addJob(() => 0, every5(), { id: 'j' });
    const before = await scheduler.getJobs();
    const attempts: Array<[() => Promise<unknown>, object]> = [
      [() => scheduler.modifyJob('missing', { name: 'x' }), { code: 'ERR_JOB_NOT_FOUND', jobId: 'missing' }],
      [() => scheduler.modifyJob('j', { id: 'k' } as never), { code: 'ERR_INVALID_ARGUMENT', field: 'changes.id' }],
      [() => scheduler.modifyJob('j', { name: 'ok', trigger: { type: 'interval', seconds: 0 } }), { code: 'ERR_INVALID_TRIGGER' }],
      [() => scheduler.modifyJob('j', { name: 'ok', executor: 'nope' }), { code: 'ERR_EXECUTOR_NOT_FOUND' }],
      [() => scheduler.modifyJob('j', { name: 'ok', task: 'unregistered' }), { code: 'ERR_TASK_NOT_FOUND' }],
      [() => scheduler.modifyJob('j', 'rename' as never), { code: 'ERR_INVALID_ARGUMENT', field: 'changes' }],
      // A spec from outside the code (JSON) is not type-checked: the scheduler checks it.
      [() => scheduler.rescheduleJob('j', { type: 'nope' } as AnyTriggerSpec as TriggerSpec), { code: 'ERR_INVALID_TRIGGER', field: 'type' }],
      [() => scheduler.pauseJob('missing'), { code: 'ERR_JOB_NOT_FOUND' }],
      [() => scheduler.resumeJob('missing'), { code: 'ERR_JOB_NOT_FOUND' }],
      [() => scheduler.removeJob('missing'), { code: 'ERR_JOB_NOT_FOUND' }],
      [() => scheduler.runJob('missing'), { code: 'ERR_JOB_NOT_FOUND' }],
      [() => scheduler.getJobs('nope'), { code: 'ERR_STORE_NOT_FOUND', alias: 'nope' }],
      [() => scheduler.removeAllJobs('nope'), { code: 'ERR_STORE_NOT_FOUND' }],
      [() => scheduler.removeJobStore('nope'), { code: 'ERR_STORE_NOT_FOUND' }],
      [() => scheduler.removeExecutor('nope'), { code: 'ERR_EXECUTOR_NOT_FOUND' }],
      [() => scheduler.addJobStore(new MemoryJobStore(), 'default'), { code: 'ERR_INVALID_ARGUMENT', field: 'alias' }],
      [() => scheduler.addExecutor(new PromiseExecutor(), 'default'), { code: 'ERR_INVALID_ARGUMENT', field: 'alias' }],
      [() => scheduler.addJobStore({} as never, 'x'), { code: 'ERR_INVALID_ARGUMENT', field: 'store' }],
      [() => scheduler.start({ pause: true } as never), { code: 'ERR_INVALID_ARGUMENT', field: 'options.pause' }],
      [() => scheduler.shutdown({ wait: 'yes' } as never), { code: 'ERR_INVALID_ARGUMENT', field: 'options.wait' }],
    ];
    for (const [attempt, expected] of attempts) {
      await expect(attempt()).rejects.toMatchObject(expected);
      expect(await scheduler.getJobs()).toEqual(before);
    }
    expect(scheduler.stores).toEqual(['default']);
    expect(scheduler.executors).toEqual(['default']);
    expect(scheduler.state).toBe('running');
    await scheduler.shutdown();
  });
});
