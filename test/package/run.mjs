#!/usr/bin/env node
/**
 * Checks the package as it is published, after `npm run build`:
 *
 *   1. `npm pack` into a temp dir; every file named by `main`/`module`/`types`/`exports`/
 *      `typesVersions` must be in the tarball, and no source or test file.
 *      Then a clean clone of HEAD (no dist/): `npm pack` there must build (prepack) and pack
 *      every entry the manifest names.
 *   2. A fresh consumer project (outside the repo) gets the tarball extracted as
 *      `node_modules/timetable`, plus the dependencies the packed package.json declares (see
 *      "Installing" below).
 *   3. From that consumer: a plain ESM file and a plain CJS file use the library at run time
 *      (Scheduler + VirtualClock + an interval job, errors are SchedulerErrors with a `code`,
 *      `timetable/package.json` resolves; `timetable/express` mounted in a real Express app,
 *      from both builds and with core from both builds, answering the error codes core throws;
 *      `timetable/stores/sqlite`, `/postgres`, `/mysql` and `/redis` with the drivers linked from the repo:
 *      the SQLite store keeps a job, the server stores fail to start on a closed port, and every
 *      error is an instance of the SchedulerError classes of the core build loaded beside them);
 *      a TypeScript file is type-checked with the repo's tsc
 *      under moduleResolution node16 (as ESM and as CJS), bundler and node10.
 *   4. publint (strict: warnings fail) and @arethetypeswrong/cli on the same tarball.
 *
 * Prints `ok  <check>` / `FAIL <check>` per check and a final `package checks: N passed, M failed`;
 * exits 1 if any check failed. Temp dirs are removed (set TIMETABLE_KEEP_TMP=1 to keep them).
 *
 * Installing: by default the consumer's dependencies are symlinks to the repo's locked,
 * already-installed copies (no network, ~0 s, the versions CI tested with). Only the packed
 * package.json's `dependencies` are linked, so a runtime import of an undeclared package (a
 * devDependency, say) fails here as it would for a user. Set TIMETABLE_PACKAGE_INSTALL=npm to
 * run a real `npm install <tarball>` in the consumer instead (needs the registry; resolves the
 * newest versions the ranges allow, as a user gets them).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const installMode = process.env.TIMETABLE_PACKAGE_INSTALL === 'npm' ? 'npm' : 'link';
const keepTmp = process.env.TIMETABLE_KEEP_TMP === '1';
/** Generous: each step takes a few seconds; a hang (a handle keeping a consumer alive) must fail. */
const STEP_TIMEOUT_MS = 60_000;

let passed = 0;
let failed = 0;

/** Records one check's outcome; `detail` (a failure's output) is printed indented. */
function report(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  const text = String(detail).trim();
  if (text) console.log(text.replace(/^/gm, '       '));
}

/** Runs a command without a shell; resolves with its exit code and combined output. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      // npm is npm.cmd on Windows, which spawn only runs through a shell.
      shell: options.shell ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[timed out after ${STEP_TIMEOUT_MS / 1000} s]`;
      child.kill('SIGKILL');
    }, STEP_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${error.message}`, stdout });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), output, stdout });
    });
  });
}

/** Runs a package's bin script (from the repo's node_modules) with this Node. */
function runBin(packageName, binName, args, options) {
  const dir = join(root, 'node_modules', packageName);
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const script = typeof bin === 'string' ? bin : bin[binName];
  return run(process.execPath, [join(dir, script), ...args], options);
}

const npm = (args, options) => run('npm', args, { shell: process.platform === 'win32', ...options });

/** Every file path the manifest points at (conditions and subpaths flattened). */
function manifestTargets(manifest) {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === 'string') targets.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const field of ['main', 'module', 'types', 'typings', 'exports', 'typesVersions']) walk(manifest[field]);
  return [...targets].filter((target) => !target.includes('*')).map((target) => target.replace(/^\.\//, ''));
}

// ---------------------------------------------------------------------------------------------
// The consumer sources.

/** Shared by the ESM and CJS consumers: `lib`/`testing` are the two entry points' namespaces. */
const consumerBody = String.raw`
const assert = require_assert();
async function check(lib, testing, entryFile) {
  const { Scheduler, SchedulerError, SchedulerStateError, IntervalTrigger } = lib;
  const { VirtualClock } = testing;
  for (const [name, value] of Object.entries({ Scheduler, SchedulerError, SchedulerStateError, IntervalTrigger, VirtualClock })) {
    assert.equal(typeof value, 'function', name + ' is exported');
  }
  assert.match(entryFile.replace(/\\/g, '/'), /\/node_modules\/timetable\/dist\//, 'timetable resolves to the installed tarball, not the repo');

  const clock = new VirtualClock('2026-01-01T00:00:00Z');
  const scheduler = new Scheduler({ clock, timezone: 'UTC' });
  const runs = [];
  const executed = [];
  scheduler.on('job:executed', (event) => executed.push(event.jobId));
  const job = await scheduler.addJob((context) => runs.push({ id: context.job.id, at: clock.now() }), new IntervalTrigger({ minutes: 5 }), { id: 'tick' });
  assert.equal(job.id, 'tick');
  await scheduler.start();
  assert.equal(scheduler.state, 'running');
  const [listed] = await scheduler.getJobs();
  assert.equal(listed && listed.id, 'tick', 'getJobs() lists the job');
  assert.ok(listed.trigger instanceof IntervalTrigger, 'the job keeps its IntervalTrigger');
  await clock.advance(15 * 60_000);
  assert.ok(runs.length > 0, 'the interval job ran after advancing the virtual clock');
  assert.ok(runs.every((run) => run.id === 'tick'), 'the task got its JobContext');
  assert.ok(executed.includes('tick'), 'job:executed was emitted');
  await scheduler.shutdown();
  assert.equal(scheduler.state, 'stopped');

  // Errors thrown by the library: a rejection (async method) and a synchronous throw.
  const stateError = await scheduler.shutdown().then(() => null, (error) => error);
  assert.ok(stateError instanceof SchedulerError, 'shutdown() of a stopped scheduler rejects with a SchedulerError, got ' + stateError);
  assert.ok(stateError instanceof SchedulerStateError, 'and a SchedulerStateError');
  assert.ok(stateError instanceof Error, 'and an Error');
  assert.equal(stateError.code, 'ERR_SCHEDULER_STATE');
  let triggerError = null;
  try {
    new IntervalTrigger({ minutes: -1 });
  } catch (error) {
    triggerError = error;
  }
  assert.ok(triggerError instanceof SchedulerError, 'a bad IntervalTrigger throws a SchedulerError, got ' + triggerError);
  assert.equal(typeof triggerError.code, 'string');
  assert.match(triggerError.code, /^ERR_/);
  return runs.length;
}
`;

/**
 * Shared by the ESM and CJS consumers: `timetable/express` mounted in a real Express app. `core` is
 * the core entry the scheduler comes from, `web` the express entry (possibly the other build:
 * the router must work with the core classes of either). Error codes must agree between a
 * SchedulerError thrown by core and the router's answer to the same mistake.
 */
const expressBody = String.raw`
async function checkExpress(express, core, web, label) {
  const assert = require_assert();
  assert.equal(typeof web.schedulerRouter, 'function', label + ': schedulerRouter is exported');
  const scheduler = new core.Scheduler({ timezone: 'UTC', tasks: { greet: (who) => 'hello ' + who } });
  const router = web.schedulerRouter(scheduler, { auth: { bearer: 'tok' } });
  assert.equal(typeof router.close, 'function');
  const app = express();
  app.use('/scheduler', router);
  await scheduler.start();
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = 'http://127.0.0.1:' + server.address().port + '/scheduler';
  const call = async (method, path, body, token = 'tok') => {
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
  };
  try {
    assert.equal((await call('GET', '/', undefined, 'wrong')).status, 401, label + ': auth is enforced');
    const created = await call('POST', '/jobs', { id: 'a', task: 'greet', args: ['pkg'], trigger: { type: 'interval', minutes: 5 } });
    assert.equal(created.status, 201, label + ': POST /jobs ' + JSON.stringify(created.body));
    assert.equal(created.body.nextRunTime.endsWith('Z') || /[+-]\d\d:\d\d$/.test(created.body.nextRunTime), true);
    const job = await scheduler.getJob('a');
    assert.ok(job && job.trigger instanceof core.IntervalTrigger, label + ': the job is a core job');
    // The same mistakes, straight to core and over HTTP: the codes agree.
    const mistakes = [
      [() => scheduler.addJob('greet', { type: 'cron', hour: '25' }), { task: 'greet', trigger: { type: 'cron', hour: '25' } }, 400],
      [() => scheduler.addJob('greet', '@daily', { id: 'a' }), { task: 'greet', trigger: '@daily', id: 'a' }, 409],
      [() => scheduler.addJob('nope', '@daily'), { task: 'nope', trigger: '@daily' }, 400],
    ];
    for (const [direct, body, status] of mistakes) {
      const error = await direct().then(() => null, (e) => e);
      assert.ok(error instanceof core.SchedulerError, label + ': core throws a SchedulerError');
      const answer = await call('POST', '/jobs', body);
      assert.equal(answer.status, status, label + ': ' + JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, error.code, label + ': the router answers the code core throws');
    }
    const missing = await call('GET', '/jobs/nope');
    const notFound = await scheduler.removeJob('nope').then(() => null, (e) => e);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, notFound.code);
    assert.equal((await call('DELETE', '/jobs/a')).status, 204);
  } finally {
    router.close();
    server.close();
    await scheduler.shutdown();
  }
}
`;


/**
 * Shared by the ESM and CJS consumers: the SQL and Redis stores of `timetable/stores/*`, from one
 * build, with core from `core`. The SQLite store runs for real (in memory); the server stores are
 * built and started against a port where nothing listens. Errors they throw must be instances of
 * the SchedulerError classes of the core build the consumer loaded (the stores import core by
 * the package's own name), and never contain the password.
 */
const storesBody = String.raw`
async function checkStores(core, stores, label) {
  const assert = require_assert();
  const { SqliteJobStore, PostgresJobStore, MysqlJobStore, RedisJobStore } = stores;
  for (const [name, value] of Object.entries({ SqliteJobStore, PostgresJobStore, MysqlJobStore, RedisJobStore })) {
    assert.equal(typeof value, 'function', label + ': ' + name + ' is exported');
  }
  const context = { alias: 'default', identity: 'pkg', clock: new core.SystemClock(), wakeup() {}, log() {} };
  const sqlite = new SqliteJobStore({ path: ':memory:' });
  await sqlite.start(context);
  const record = { id: 'a', name: 'a', task: 't', inlineTask: false, args: ['ä'], trigger: { type: 'date', runDate: '2026-01-01T00:00:00.000Z' }, executor: 'default', misfireGraceTime: null, coalesce: 'latest', maxInstances: 1, jitter: null, timeout: null, nextRunTime: '2026-01-01T00:00:00.000Z', metadata: {}, version: 1 };
  await sqlite.addJob(record);
  assert.deepEqual(await sqlite.getJob('a'), record, label + ': the SQLite store gives the record back');
  const conflict = await sqlite.addJob(record).then(() => null, (e) => e);
  assert.ok(conflict instanceof core.ConflictingIdError, label + ': a ConflictingIdError of this core, got ' + conflict);
  assert.ok(conflict instanceof core.SchedulerError, label + ': a SchedulerError of this core');
  await sqlite.shutdown();
  const scheduler = new core.Scheduler({ stores: { default: new SqliteJobStore({ path: ':memory:' }) }, tasks: { t() {} } });
  await scheduler.start();
  await scheduler.addJob('t', { type: 'interval', seconds: 30 }, { id: 'x' });
  assert.equal((await scheduler.getJobs()).length, 1, label + ': a scheduler runs on the SQLite store');
  await scheduler.shutdown();
  for (const store of [
    new PostgresJobStore({ connectionString: 'postgres://u:pkg-S3CRET@127.0.0.1:1/pkgdb' }),
    new MysqlJobStore({ uri: 'mysql://u:pkg-S3CRET@127.0.0.1:1/pkgdb' }),
    new RedisJobStore({ url: 'redis://u:pkg-S3CRET@127.0.0.1:1/7' }),
  ]) {
    const down = await store.start(context).then(() => null, (e) => e);
    assert.ok(down instanceof core.StoreError, label + ': an unreachable server is a StoreError of this core, got ' + down);
    assert.equal(down.code, 'ERR_STORE');
    assert.match(down.message, /127\.0\.0\.1:1.*(pkgdb|db 7)/);
    assert.ok(!down.message.includes('pkg-S3CRET'), label + ': no password in ' + down.message);
    await store.shutdown();
  }
  const invalid = (() => { try { new MysqlJobStore({ uri: 'mysql://x' }, { tablePrefix: 'no way' }); } catch (e) { return e; } })();
  assert.ok(invalid instanceof core.InvalidArgumentError, label + ': a bad option is an InvalidArgumentError of this core');
  assert.equal(invalid.field, 'options.tablePrefix');
  const badPrefix = (() => { try { new RedisJobStore({ url: 'redis://x' }, { prefix: '{no}' }); } catch (e) { return e; } })();
  assert.ok(badPrefix instanceof core.InvalidArgumentError, label + ': a bad Redis option is an InvalidArgumentError of this core');
  assert.equal(badPrefix.field, 'options.prefix');
}
`;

/**
 * Shared by the ESM and CJS consumers: `timetable/executors/worker` from one build, with core
 * from `core`: a task of a module in the consumer project runs in a worker thread, its error
 * comes back with its code, a missing task and a bad option are errors of the core build loaded
 * beside it, and the process exits by itself after shutdown (the consumer would time out).
 */
const workerBody = String.raw`
async function checkWorker(core, worker, taskModule, label) {
  const assert = require_assert();
  assert.equal(typeof worker.WorkerExecutor, 'function', label + ': WorkerExecutor is exported');
  const cpu = new worker.WorkerExecutor({ taskModule, workers: 1 });
  const scheduler = new core.Scheduler({ executors: { cpu } });
  await scheduler.start();
  const next = (name) => new Promise((resolve) => { const off = scheduler.on(name, (event) => { off(); resolve(event); }); });
  const hourly = { type: 'interval', hours: 1 };
  const executed = next('job:executed');
  await scheduler.runJob((await scheduler.addJob('square', hourly, { executor: 'cpu', args: [7] })).id);
  assert.deepEqual((await executed).returnValue, { square: 49, inWorker: true }, label + ': the task ran in a worker thread');
  const failed = next('job:error');
  await scheduler.runJob((await scheduler.addJob('fail', hourly, { executor: 'cpu' })).id);
  const error = (await failed).error;
  assert.equal(error.code, 'E_PKG', label + ': the task error keeps its code');
  const missing = await scheduler.addJob('nope', hourly, { executor: 'cpu' }).then(() => null, (e) => e);
  assert.ok(missing instanceof core.TaskNotFoundError, label + ': a task the module lacks is a TaskNotFoundError of this core, got ' + missing);
  await scheduler.shutdown();
  const invalid = (() => { try { new worker.WorkerExecutor({ taskModule, workers: 0 }); } catch (e) { return e; } })();
  assert.ok(invalid instanceof core.InvalidArgumentError, label + ': a bad option is an InvalidArgumentError of this core');
  assert.equal(invalid.field, 'options.workers');
  const broken = new worker.WorkerExecutor({ taskModule: taskModule.replace(/worker-tasks/, 'no-such-module'), workers: 1 });
  const loadError = await new core.Scheduler({ executors: { broken } }).start().then(() => null, (e) => e);
  assert.ok(loadError instanceof core.ExecutorError, label + ': a module that does not load fails start() with an ExecutorError, got ' + loadError);
}
`;

/** The task module of {@link workerBody} (ESM; the CJS consumer loads the same file). */
const workerTasks = `import { isMainThread } from 'node:worker_threads';
export function square(n) {
  return { square: n * n, inWorker: !isMainThread };
}
export function fail() {
  throw Object.assign(new Error('failed on purpose'), { code: 'E_PKG' });
}
`;

const esmConsumer = `// A plain ESM consumer of the installed tarball.
import { createRequire } from 'node:module';
import * as lib from 'timetable';
import * as testing from 'timetable/testing';
import { Scheduler, SchedulerError, IntervalTrigger } from 'timetable';
import { VirtualClock } from 'timetable/testing';

const require_assert = () => createRequire(import.meta.url)('node:assert/strict');
${consumerBody}
assert.equal(lib.Scheduler, Scheduler);
assert.equal(lib.SchedulerError, SchedulerError);
assert.equal(lib.IntervalTrigger, IntervalTrigger);
assert.equal(testing.VirtualClock, VirtualClock);
const entry = fileOf(import.meta.resolve('timetable'));
assert.match(entry, /dist[\\\\/]index\\.js$/, 'import resolves to the ESM build');
assert.match(fileOf(import.meta.resolve('timetable/testing')), /dist[\\\\/]testing[\\\\/]index\\.js$/);
const runs = await check(lib, testing, entry);
${expressBody}
const { default: express } = await import('express');
const web = await import('timetable/express');
assert.match(fileOf(import.meta.resolve('timetable/express')), /dist[\\/]express[\\/]index\.js$/);
await checkExpress(express, lib, web, 'ESM router, ESM core');
await checkExpress(express, lib, createRequire(import.meta.url)('timetable/express'), 'CJS router, ESM core');
${storesBody}
const storeModules = {
  ...(await import('timetable/stores/sqlite')),
  ...(await import('timetable/stores/postgres')),
  ...(await import('timetable/stores/mysql')),
  ...(await import('timetable/stores/redis')),
};
for (const name of ['sqlite', 'postgres', 'mysql', 'redis']) {
  const file = fileOf(import.meta.resolve('timetable/stores/' + name)).replace(/\\\\/g, '/');
  assert.ok(file.endsWith('/dist/stores/' + name + '.js'), 'import resolves to the ESM build of the store: ' + file);
}
await checkStores(lib, storeModules, 'ESM stores, ESM core');
${workerBody}
assert.match(fileOf(import.meta.resolve('timetable/executors/worker')), /dist[\\/]executors[\\/]worker\.js$/);
await checkWorker(lib, await import('timetable/executors/worker'), new URL('./worker-tasks.mjs', import.meta.url).href, 'ESM worker executor, ESM core');
const { default: manifest } = await import('timetable/package.json', { with: { type: 'json' } });
assert.equal(manifest.name, 'timetable');
assert.equal(manifest.version, ${JSON.stringify(pkg.version)});
console.log('esm ok: ' + runs + ' runs');

function fileOf(url) {
  return decodeURIComponent(new URL(url).pathname);
}
`;

const cjsConsumer = `// A plain CommonJS consumer of the installed tarball.
'use strict';
const require_assert = () => require('node:assert/strict');
${consumerBody}
const lib = require('timetable');
const testing = require('timetable/testing');
const entry = require.resolve('timetable');
assert.match(entry, /dist[\\\\/]index\\.cjs$/, 'require resolves to the CJS build');
assert.match(require.resolve('timetable/testing'), /dist[\\\\/]testing[\\\\/]index\\.cjs$/);
const manifest = require('timetable/package.json');
assert.equal(manifest.name, 'timetable');
assert.equal(manifest.version, ${JSON.stringify(pkg.version)});
${expressBody}
const web = require('timetable/express');
assert.match(require.resolve('timetable/express'), /dist[\\/]express[\\/]index\.cjs$/);
${storesBody}
const storeModules = { ...require('timetable/stores/sqlite'), ...require('timetable/stores/postgres'), ...require('timetable/stores/mysql'), ...require('timetable/stores/redis') };
for (const name of ['sqlite', 'postgres', 'mysql', 'redis']) {
  const file = require.resolve('timetable/stores/' + name).replace(/\\\\/g, '/');
  assert.ok(file.endsWith('/dist/stores/' + name + '.cjs'), 'require resolves to the CJS build of the store: ' + file);
}
${workerBody}
assert.match(require.resolve('timetable/executors/worker'), /dist[\\/]executors[\\/]worker\.cjs$/);
check(lib, testing, entry)
  .then(async (runs) => {
    await checkWorker(lib, require('timetable/executors/worker'), require('node:path').join(__dirname, 'worker-tasks.mjs'), 'CJS worker executor, CJS core');
    await checkExpress(require('express'), lib, web, 'CJS router, CJS core');
    await checkExpress(require('express'), await import('timetable'), web, 'CJS router, ESM core');
    await checkStores(lib, storeModules, 'CJS stores, CJS core');
    return runs;
  })
  .then(
  (runs) => console.log('cjs ok: ' + runs + ' runs'),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
`;

/** Compiles under every module mode (ESM and CJS output alike): no top-level await, no import.meta. */
const tsConsumer = `// A TypeScript consumer of the public types (type-checked only).
import {
  Scheduler,
  SchedulerError,
  IntervalTrigger,
  type Job,
  type JobContext,
  type JobExecutedEvent,
  type SchedulerErrorCode,
  type SchedulerOptions,
  type Trigger,
  type TriggerSpec,
} from 'timetable';
import { VirtualClock } from 'timetable/testing';
import type { Router } from 'express';
import {
  schedulerRouter,
  type AuthFunction,
  type ErrorBody,
  type JobJson,
  type RunRecord,
  type SchedulerInfo,
  type SchedulerRouter,
  type SchedulerRouterOptions,
} from 'timetable/express';
import { SqliteJobStore, type SqliteJobStoreOptions } from 'timetable/stores/sqlite';
import { PostgresJobStore, type PostgresConnection } from 'timetable/stores/postgres';
import { MysqlJobStore, type MysqlJobStoreOptions } from 'timetable/stores/mysql';
import { RedisJobStore, type RedisConnection, type RedisJobStoreOptions } from 'timetable/stores/redis';
import type { JobStore, SharedJobStore } from 'timetable';
import { WorkerExecutor, type WorkerExecutorOptions, type WorkerJobContext } from 'timetable/executors/worker';

const workerOptions: WorkerExecutorOptions = { taskModule: 'tasks.mjs', workers: 2, killAfter: 1, resourceLimits: { maxOldGenerationSizeMb: 64 } };
export const withWorkers = new Scheduler({ executors: { cpu: new WorkerExecutor(workerOptions) } });
export function workerTask(month: string, context: WorkerJobContext): string {
  return \`\${month} \${context.job.trigger.type} \${context.scheduledRunTime.toISOString()} \${context.signal.aborted}\`;
}
// @ts-expect-error: the task module is required
new WorkerExecutor({ workers: 1 });

const clock = new VirtualClock('2026-01-01T00:00:00Z');
const sqliteOptions: SqliteJobStoreOptions = { tablePrefix: 'app_', pollInterval: 2 };
const sqliteStore: SharedJobStore = new SqliteJobStore({ path: 'jobs.db' }, sqliteOptions);
const pgConnection: PostgresConnection = { connectionString: 'postgres://localhost/app' };
const pgStore: JobStore = new PostgresJobStore(pgConnection, { schema: 'jobs' });
const mysqlOptions: MysqlJobStoreOptions = { pollInterval: 0.5 };
const mysqlStore: SharedJobStore = new MysqlJobStore({ uri: 'mysql://localhost/app' }, mysqlOptions);
// @ts-expect-error: PostgreSQL pushes changes, it has no pollInterval option
new PostgresJobStore(pgConnection, { pollInterval: 1 });
// @ts-expect-error: one of { path } or { database }
new SqliteJobStore({});
const redisOptions: RedisJobStoreOptions = { prefix: 'app_', pollInterval: 2 };
const redisStore: SharedJobStore = new RedisJobStore({ url: 'redis://localhost:6379/0' }, redisOptions);
export function appClientStore(connection: RedisConnection): JobStore {
  return new RedisJobStore(connection, { prefix: 'app_' });
}
// @ts-expect-error: the option is prefix, not tablePrefix
new RedisJobStore({ url: 'redis://localhost' }, { tablePrefix: 'x' });
// @ts-expect-error: a client is an ioredis client
new RedisJobStore({ client: {} });
export const persistentStores = new Scheduler({ stores: { a: sqliteStore, b: pgStore, c: mysqlStore, d: redisStore } });
const options: SchedulerOptions = { clock, timezone: 'Europe/Berlin' };
const s: Scheduler = new Scheduler(options);
const unsubscribe: () => void = s.on('job:executed', (e) => e.durationMs.toFixed());
s.once('job:executed', (e: JobExecutedEvent) => e.jobId.toUpperCase());
// @ts-expect-error: the event map is typed, so an unknown event name is refused
s.on('no-such-event', () => undefined);
// @ts-expect-error: and so is an unknown event field
s.on('job:executed', (e) => e.noSuchField);

function task(context: JobContext, ...rest: unknown[]): string {
  const when: Date = context.scheduledRunTime;
  const aborted: boolean = context.signal.aborted;
  const owner: Scheduler = context.scheduler;
  return \`\${context.job.id} \${when.toISOString()} \${aborted} \${owner.state} \${rest.length}\`;
}

// A custom spec joins the checked union by augmenting the map (through the packaged types).
declare module 'timetable' {
  interface TriggerSpecMap {
    'every-hour': { type: 'every-hour' };
  }
}
// @ts-expect-error: a built-in spec is checked field by field
export const misspelt: TriggerSpec = { type: 'interval', minuts: 5 };
const typedTasks = new Scheduler({ tasks: { mail: (to: string, context: JobContext) => to + context.job.id } });
// @ts-expect-error: a task the scheduler's type knows has its args checked
typedTasks.addJob('mail', '@daily', { args: [42] });
export const typedJob = typedTasks.addJob('mail', { type: 'every-hour' }, { args: ['ops@example.com'] });

const everyHour: Trigger = {
  getNextFireTime: (previous: Date | null, now: Date): Date | null =>
    new Date((previous ?? now).getTime() + 3_600_000),
  toJSON: (): TriggerSpec => ({ type: 'every-hour' }),
  toString: () => 'every-hour',
};

// @ts-expect-error: interval units are numbers
new IntervalTrigger({ minutes: 'five' });

const byHeader: AuthFunction = (req, access) => access === 'read' || req.headers['x-key'] === 'k';
const routerOptions: SchedulerRouterOptions = { auth: byHeader, readOnly: false, bodyLimit: '10kb', historySize: 5 };
const router: SchedulerRouter = schedulerRouter(s, routerOptions);
const asRouter: Router = router; // an Express Router, mountable with app.use
asRouter.stack.length.toFixed();
router.close();
schedulerRouter(s, { auth: { basic: { username: 'u', password: 'p' } }, allowedHosts: ['localhost'] });
schedulerRouter(s, { auth: { bearer: 't' }, dashboard: false });
// @ts-expect-error: auth must be configured explicitly, true is not an option
schedulerRouter(s, { auth: true });
export function describeJob(job: JobJson, info: SchedulerInfo, error: ErrorBody): string {
  const last: RunRecord | null = job.lastOutcome;
  return \`\${job.id} \${job.trigger.description} \${last?.status ?? '-'} \${info.state} \${error.error.code}\`;
}

export async function main(): Promise<number> {
  const first: Job = await s.addJob(task, everyHour, { id: 'hourly', maxInstances: 1, coalesce: true });
  await s.addJob(task, new IntervalTrigger({ minutes: 5 }), { args: [1, 'two', { three: null }] });
  await s.addJob(task, { type: 'interval', seconds: 30 });
  await s.start();
  await clock.advance(60_000);
  const jobs: Job[] = await s.getJobs();
  const next: Date | null = first.nextRunTime;
  await s.shutdown({ wait: true });
  unsubscribe();
  try {
    await s.shutdown();
  } catch (error) {
    if (error instanceof SchedulerError) {
      const code: SchedulerErrorCode = error.code;
      return code.length;
    }
  }
  return jobs.length + (next?.getTime() ?? 0);
}
`;

/** One TypeScript consumer setup per resolution mode. */
const tsModes = [
  { name: 'node16, ESM ("type": "module")', dir: 'ts-node16-esm', type: 'module', module: 'node16', moduleResolution: 'node16' },
  { name: 'node16, CJS ("type": "commonjs")', dir: 'ts-node16-cjs', type: 'commonjs', module: 'node16', moduleResolution: 'node16' },
  { name: 'bundler', dir: 'ts-bundler', type: 'module', module: 'esnext', moduleResolution: 'bundler' },
  // node10 is what `typesVersions` is for: old setups that ignore `exports`.
  { name: 'node10 (typesVersions)', dir: 'ts-node10', type: 'commonjs', module: 'commonjs', moduleResolution: 'node10' },
];

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  if (!existsSync(join(root, 'dist'))) {
    report('dist/ exists', false, 'dist/ is missing: run `npm run build` first');
    return;
  }
  const tmp = await mkdtemp(join(tmpdir(), 'timetable-package-'));
  const cleanup = () => {
    if (!keepTmp) return rm(tmp, { recursive: true, force: true });
    console.log(`(kept ${tmp})`);
  };
  process.once('SIGINT', async () => {
    await cleanup();
    process.exit(130);
  });
  try {
    await checks(tmp);
  } finally {
    await cleanup();
    console.log(`(package checks took ${((Date.now() - started) / 1000).toFixed(1)} s, install mode: ${installMode})`);
  }
}

async function checks(tmp) {
  // 1. Pack.
  const packDir = join(tmp, 'pack');
  await mkdir(packDir);
  // --ignore-scripts: dist/ is built already (`npm test` builds first); prepack is checked in 2b.
  const pack = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir]);
  let packed;
  try {
    packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  } catch {
    packed = undefined;
  }
  report('npm pack', pack.code === 0 && packed !== undefined, pack.code === 0 && packed ? '' : pack.output);
  if (pack.code !== 0 || packed === undefined) return;
  const tarball = join(packDir, packed.filename);

  // 2. Contents.
  const files = new Set(packed.files.map((file) => file.path));
  const missing = manifestTargets(pkg).filter((target) => target !== 'package.json' && !files.has(target));
  const stray = [...files].filter((file) => /^(src|test|examples|bench|docs|\.ci)\//.test(file) || /\.tgz$/.test(file));
  const problems = [
    ...missing.map((file) => `missing: ${file} (named in package.json, not in the tarball)`),
    ...stray.map((file) => `unexpected: ${file}`),
    ...(files.has('LICENSE') ? [] : ['missing: LICENSE']),
  ];
  report(`tarball contents (${files.size} files, ${(packed.size / 1024).toFixed(0)} kB)`, problems.length === 0, problems.join('\n'));

  // 2b. A fresh clone has no dist/: `npm pack` there must build it (prepack) and pack every entry.
  const clean = await packCleanClone(tmp);
  report(`npm pack in a clean clone builds and packs every entry (${clean.files ?? '?'} files)`, clean.ok, clean.output);

  // 3. Consumer project.
  const consumer = join(tmp, 'consumer');
  const installed = join(consumer, 'node_modules', 'timetable');
  await mkdir(installed, { recursive: true });
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  const install = await installInto(consumer, tarball);
  report(`install the tarball in a fresh project (${installMode})`, install.ok, install.output);
  if (!install.ok) return;

  await writeFile(join(consumer, 'esm.mjs'), esmConsumer);
  await writeFile(join(consumer, 'worker-tasks.mjs'), workerTasks);
  await writeFile(join(consumer, 'cjs.cjs'), cjsConsumer);
  for (const mode of tsModes) {
    const dir = join(consumer, mode.dir);
    await mkdir(dir);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: mode.dir, private: true, type: mode.type }));
    await writeFile(join(dir, 'index.ts'), tsConsumer);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            module: mode.module,
            moduleResolution: mode.moduleResolution,
            types: ['node'],
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            // Check the shipped .d.ts files too, not only their use.
            skipLibCheck: false,
            noEmit: true,
          },
          files: ['index.ts'],
        },
        null,
        2,
      ),
    );
  }

  // 4. The independent checks, in parallel; reported in a fixed order.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const jobs = [
    ['ESM consumer: import timetable, timetable/testing, timetable/express (and the CJS router), timetable/stores/*, timetable/executors/worker, timetable/package.json', run(process.execPath, ['esm.mjs'], { cwd: consumer })],
    ['CJS consumer: require timetable, timetable/testing, timetable/express (with ESM core too), timetable/stores/*, timetable/executors/worker, timetable/package.json', run(process.execPath, ['cjs.cjs'], { cwd: consumer })],
    ...tsModes.map((mode) => [
      `TypeScript consumer type-checks: moduleResolution ${mode.name}`,
      run(process.execPath, [tsc, '-p', join(consumer, mode.dir), '--pretty', 'false'], { cwd: consumer }),
    ]),
    // The tarball just packed, i.e. what `publint` on the repo would pack and lint.
    ['publint --strict', runBin('publint', 'publint', ['run', tarball, '--strict'])],
    // Default (strict) profile: the package is dual, so every resolution mode must find types of
    // the right module format. --no-definitely-typed: it ships its own types, nothing to fetch.
    ['@arethetypeswrong/cli', runBin('@arethetypeswrong/cli', 'attw', [tarball, '--no-definitely-typed', '--format', 'table-flipped', '--no-emoji'])],
  ];
  const outcomes = await Promise.all(jobs.map(([, promise]) => promise));
  jobs.forEach(([name], index) => {
    const { code, output } = outcomes[index];
    report(name, code === 0, code === 0 ? '' : output);
  });
}

/**
 * Clones the repository's HEAD (no dist/, no node_modules), links the repo's installed
 * node_modules into it, runs `npm pack --dry-run` there and checks that the file list has every
 * target the manifest names.
 */
async function packCleanClone(tmp) {
  const clone = join(tmp, 'clone');
  const cloned = await run('git', ['clone', '--quiet', '--depth', '1', `file://${root}`, clone]);
  if (cloned.code !== 0) return { ok: false, output: `git clone failed (a clean clone needs a git checkout):\n${cloned.output}` };
  if (existsSync(join(clone, 'dist'))) return { ok: false, output: 'the clone has a dist/ folder: is dist/ committed?' };
  await symlink(join(root, 'node_modules'), join(clone, 'node_modules'), 'junction');
  const pack = await npm(['pack', '--dry-run', '--json'], { cwd: clone });
  let packed;
  try {
    packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
  } catch {
    return { ok: false, output: pack.output };
  }
  const files = new Set(packed.files.map((file) => file.path));
  const manifest = JSON.parse(await readFile(join(clone, 'package.json'), 'utf8'));
  const missing = manifestTargets(manifest).filter((target) => target !== 'package.json' && !files.has(target));
  return { ok: pack.code === 0 && missing.length === 0, files: files.size, output: missing.map((file) => `missing: ${file}`).join('\n') };
}

/** Puts the tarball and its declared dependencies into `consumer/node_modules`. */
async function installInto(consumer, tarball) {
  const modules = join(consumer, 'node_modules');
  if (installMode === 'npm') {
    const result = await npm(['install', tarball, '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline'], { cwd: consumer });
    if (result.code !== 0) return { ok: false, output: result.output };
  } else {
    const result = await run('tar', ['-xzf', tarball, '-C', join(modules, 'timetable'), '--strip-components=1']);
    if (result.code !== 0) return { ok: false, output: result.output };
    const manifest = JSON.parse(await readFile(join(modules, 'timetable', 'package.json'), 'utf8'));
    const missing = [];
    // Only what the packed manifest declares: an undeclared import then fails to resolve. The
    // links' real paths are in the repo's node_modules, so their own dependencies resolve there.
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      const target = join(root, 'node_modules', name);
      if (!existsSync(target)) {
        missing.push(`${name} is a dependency but is not installed in the repo (run npm ci)`);
        continue;
      }
      await mkdir(dirname(join(modules, name)), { recursive: true });
      await symlink(target, join(modules, name), 'junction');
    }
    if (missing.length) return { ok: false, output: missing.join('\n') };
  }
  // What a TypeScript user has anyway; @types of the dependencies are deliberately not added.
  await mkdir(join(modules, '@types'), { recursive: true });
  await symlink(join(root, 'node_modules', '@types', 'node'), join(modules, '@types', 'node'), 'junction');
  // What an Express user of timetable/express has (its own dependencies resolve in the repo).
  await symlink(join(root, 'node_modules', '@types', 'express'), join(modules, '@types', 'express'), 'junction');
  // What a user of timetable/stores/sqlite or /postgres has (mysql2 ships its own types).
  for (const name of ['better-sqlite3', 'pg']) {
    await symlink(join(root, 'node_modules', '@types', name), join(modules, '@types', name), 'junction');
  }
  return { ok: true, output: '' };
}

try {
  await main();
} catch (error) {
  report('package checks ran to the end', false, error?.stack ?? error);
}
console.log(`package checks: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
