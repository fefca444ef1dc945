/**
 * The scheduler with an executor that runs tasks by name in worker threads: which tasks a job on
 * it may name (checked at addJob and modifyJob once the executor knows its module, else at run
 * time), a promise executor as `default` beside a worker executor as `cpu` in one scheduler with
 * every store, and timeouts that free the job's instance. The threads are real; the scheduler's
 * clock is virtual, so runs are due when the test says.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  JobTimeoutError,
  TaskNotFoundError,
  type Executor,
  type JobStore,
  type RunOutcome,
  type RunRequest,
  type Scheduler,
  type SchedulerEventMap,
} from '../../src/index.js';
import { WorkerExecutor } from '../../src/executors/worker/index.js';
import { MysqlJobStore } from '../../src/stores/mysql.js';
import { PostgresJobStore } from '../../src/stores/postgres.js';
import { SqliteJobStore } from '../../src/stores/sqlite.js';
import type { VirtualClock } from '../../src/testing/index.js';
import { PG_URL, describeWithServer, mysqlScratch, pgScratch, probe, sqliteScratch } from '../helpers/databases.js';
import { T0, deferred, makeScheduler, ofType, recordEvents } from '../helpers/scheduler.js';

const TASKS = fileURLToPath(new URL('../fixtures/worker/tasks.mjs', import.meta.url));
const at = (ms: number): string => new Date(T0 + ms).toISOString();

let running: Scheduler[] = [];
afterEach(async () => {
  for (const scheduler of running) if (scheduler.state !== 'stopped') await scheduler.shutdown({ wait: false });
  running = [];
});

/** A scheduler on a virtual clock with a worker executor as `cpu` (and the default promise one). */
function withWorkers(options: { stores?: Record<string, JobStore>; workers?: number; killAfter?: number } = {}) {
  const cpu = new WorkerExecutor({ taskModule: TASKS, workers: options.workers ?? 1, killAfter: options.killAfter ?? 1 });
  const made = makeScheduler({ executors: { cpu }, ...(options.stores ? { stores: options.stores } : {}) });
  running.push(made.scheduler);
  return { ...made, cpu, events: recordEvents(made.scheduler) };
}

/** The next `name` event for which `match` holds. */
function next<K extends keyof SchedulerEventMap>(
  scheduler: Scheduler,
  name: K,
  match: (event: SchedulerEventMap[K]) => boolean = () => true,
): Promise<SchedulerEventMap[K]> {
  return new Promise((resolve) => {
    const off = scheduler.on(name, (event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}

describe('jobs on an executor that runs tasks by name', () => {
  it('name a task of its module: a missing one is refused at addJob once the executor started, with nothing stored', async () => {
    const { scheduler } = withWorkers();
    await scheduler.start();
    const refused = await scheduler.addJob('nope', '*/5 * * * * *', { executor: 'cpu' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TaskNotFoundError);
    expect((refused as TaskNotFoundError).message).toContain('executor "cpu"');
    expect(await scheduler.getJobs()).toEqual([]);
    // A task of the module needs no registration in this thread.
    const job = await scheduler.addJob('add', '*/5 * * * * *', { executor: 'cpu', args: [1, 2] });
    expect(job.task).toBe('add');
  });

  it('refuse a function as the task (it cannot cross into a thread)', async () => {
    const { scheduler } = withWorkers();
    await scheduler.start();
    const refused = await scheduler.addJob(() => 1, '*/5 * * * * *', { executor: 'cpu' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidArgumentError);
    expect((refused as InvalidArgumentError).field).toBe('task');
  });

  it('added before start with a task the module lacks: accepted, then reported as job:invalid when due', async () => {
    const { scheduler, clock, events } = withWorkers();
    await scheduler.addJob('nope', { type: 'date', runDate: at(1_000) }, { executor: 'cpu', id: 'early' });
    await scheduler.start();
    const invalid = next(scheduler, 'job:invalid');
    await clock.advance(1_000);
    const event = await invalid;
    expect(event.jobId).toBe('early');
    expect(event.error).toBeInstanceOf(TaskNotFoundError);
    expect(ofType(events, 'job:submitted')).toEqual([]);
  });

  it('run the module export, not a task of the same name registered in this thread', async () => {
    const { scheduler, clock } = withWorkers();
    let calledHere = false;
    scheduler.registerTask('add', () => (calledHere = true));
    await scheduler.start();
    await scheduler.addJob('add', { type: 'date', runDate: at(1_000) }, { executor: 'cpu', args: [20, 22], id: 'sum' });
    const executed = next(scheduler, 'job:executed');
    await clock.advance(1_000);
    const event = await executed;
    expect(event.returnValue).toMatchObject({ sum: 42, jobId: 'sum', trigger: { type: 'date' } });
    expect(calledHere).toBe(false);
  });

  it("report a task's error as job:error with its name, code and own fields", async () => {
    const { scheduler, clock } = withWorkers();
    await scheduler.start();
    await scheduler.addJob('customError', { type: 'date', runDate: at(1_000) }, { executor: 'cpu' });
    const failed = next(scheduler, 'job:error');
    await clock.advance(1_000);
    const error = (await failed).error as Error & { code: string; rows: number };
    expect([error.name, error.message, error.code, error.rows]).toEqual(['ReportError', 'the report failed', 'E_REPORT', 42]);
    expect((error.cause as Error).name).toBe('RangeError');
  });

  it('move between executors with modifyJob only with a task the new executor has; a refused change leaves the job as it was', async () => {
    const { scheduler } = withWorkers();
    scheduler.registerTask('local', () => 'here');
    await scheduler.start();
    await scheduler.addJob('local', '*/5 * * * * *', { id: 'j' });
    await expect(scheduler.modifyJob('j', { executor: 'cpu' })).rejects.toBeInstanceOf(TaskNotFoundError);
    expect((await scheduler.getJob('j'))?.executor).toBe('default');
    const moved = await scheduler.modifyJob('j', { executor: 'cpu', task: 'add' });
    expect([moved.executor, moved.task]).toEqual(['cpu', 'add']);
    // Back in-process, `add` is not a registered task.
    await expect(scheduler.modifyJob('j', { executor: 'default' })).rejects.toBeInstanceOf(TaskNotFoundError);
    expect((await scheduler.modifyJob('j', { executor: 'default', task: 'local' })).executor).toBe('default');
  });

  it('ask an executor that cannot know its tasks yet (hasTask undefined) nothing more: the job is accepted', async () => {
    const submitted: RunRequest[] = [];
    const remote: Executor = {
      hasTask: (name) => (name === 'unknown-yet' ? undefined : name === 'known'),
      submit: async (request): Promise<RunOutcome> => {
        submitted.push(request);
        return { status: 'success', returnValue: request.task, startedAt: 0, finishedAt: 0 };
      },
      shutdown: async () => undefined,
    };
    const { scheduler, clock } = makeScheduler({ executors: { remote } });
    running.push(scheduler);
    await scheduler.start();
    await scheduler.addJob('unknown-yet', { type: 'date', runDate: at(1_000) }, { executor: 'remote', args: ['x'] });
    await scheduler.addJob('known', { type: 'date', runDate: at(1_000) }, { executor: 'remote' });
    await expect(scheduler.addJob('other', '* * * * *', { executor: 'remote' })).rejects.toBeInstanceOf(TaskNotFoundError);
    await clock.advance(1_000);
    const seen = submitted.map((request) => [request.task, request.args, request.store, request.record.task]);
    expect(seen.sort()).toEqual([
      ['known', [], 'default', 'known'],
      ['unknown-yet', ['x'], 'default', 'unknown-yet'],
    ]);
    // An in-process call of such a run finds no registered task.
    expect(() => submitted[0]!.call()).toThrow(TaskNotFoundError);
  });
});

describe('a job timeout on the worker executor', () => {
  it('reports JobTimeoutError at the timeout and frees the instance while the thread is still being ended', async () => {
    const { scheduler, clock } = withWorkers({ workers: 2, killAfter: 5 });
    await scheduler.start();
    const hourly = { type: 'interval', hours: 1, startDate: at(1_000) } as const;
    await scheduler.addJob('spin', hourly, { executor: 'cpu', args: [60_000], id: 'spin', timeout: 1, maxInstances: 1 });
    const submitted = next(scheduler, 'job:submitted');
    const failed = next(scheduler, 'job:error');
    await clock.advance(1_000);
    await submitted;
    // The task never looks at its signal.
    await clock.advance(1_000);
    const error = (await failed).error;
    expect(error).toBeInstanceOf(JobTimeoutError);
    // The run no longer counts toward maxInstances: the job may run again now, on the other thread.
    await scheduler.modifyJob('spin', { args: [1] });
    const executed = next(scheduler, 'job:executed');
    await scheduler.runJob('spin');
    expect(typeof (await executed).returnValue).toBe('number');
  });
});

/** One scheduler, jobs on both executors in `store`: both run, each where it belongs. */
async function bothExecutors(store?: JobStore): Promise<void> {
  const { scheduler, clock } = withWorkers(store === undefined ? {} : { stores: { default: store } });
  const ranHere = deferred<string>();
  scheduler.registerTask('here', (context: { job: { store: string } }) => ranHere.resolve(context.job.store));
  await scheduler.start();
  await scheduler.addJob('here', { type: 'date', runDate: at(1_000) }, { id: 'main-thread' });
  await scheduler.addJob('add', { type: 'date', runDate: at(1_000) }, { id: 'in-worker', executor: 'cpu', args: [1, 2] });
  const executed = next(scheduler, 'job:executed', (event) => event.jobId === 'in-worker');
  const event = await driveUntil(clock, 1_000, executed);
  expect(await ranHere.promise).toBe('default');
  expect(event.returnValue).toMatchObject({ sum: 3, jobId: 'in-worker' });
  await scheduler.shutdown();
}

/**
 * Advances the clock to `ms` in steps, then keeps letting real time pass (store I/O, threads)
 * until `until` settles; a bound of 10 s real time turns a hang into a failure.
 */
async function driveUntil<T>(clock: VirtualClock, ms: number, until: Promise<T>): Promise<T> {
  let settled = false;
  void until.finally(() => (settled = true));
  const limit = Date.now() + 10_000;
  for (let done = 0; !settled; ) {
    if (Date.now() > limit) throw new Error(`nothing settled within 10 s (virtual time advanced ${done} ms)`);
    const step = Math.min(100, ms - done);
    if (step > 0) {
      await clock.advance(step);
      done += step;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return until;
}

describe('a promise executor as default and a worker executor as cpu, per job', () => {
  const scratch = sqliteScratch();
  afterAll(() => scratch.drop());

  it('with the memory store', async () => {
    await bothExecutors();
  });

  it('with the SQLite store', async () => {
    await bothExecutors(new SqliteJobStore({ path: scratch.file('both.db') }));
  });
});

const pgServer = await probe('postgres');
const mysqlServer = await probe('mysql');

describeWithServer('a promise executor as default and a worker executor as cpu, on PostgreSQL', pgServer, () => {
  it('runs each job on its executor', async () => {
    const pg = await pgScratch();
    try {
      await bothExecutors(new PostgresJobStore({ connectionString: PG_URL }, { schema: pg.schema }));
    } finally {
      await pg.drop();
    }
  });
});

describeWithServer('a promise executor as default and a worker executor as cpu, on MariaDB', mysqlServer, () => {
  it('runs each job on its executor', async () => {
    const my = await mysqlScratch();
    try {
      await bothExecutors(new MysqlJobStore({ uri: my.url }));
    } finally {
      await my.drop();
    }
  });
});
