/**
 * The code each worker thread of a WorkerExecutor runs (plain JavaScript: it is loaded by Node
 * itself, with no build step between, from `src/` in the tests and from `dist/` when installed).
 *
 * CommonJS, not an ES module: the pool loads its entry with `require()`, and on Node versions
 * that can `require()` an ES module, a thread ended while it was loading one that way (a pool
 * destroyed during start, after a task module failed to load on another thread) aborted the
 * whole process on an internal assertion. Task modules are still loaded with `import()`.
 *
 * The pool calls the exported function with one message per run (or one `inspect` message at
 * start). Nothing here throws back to the pool: every ending, a task's error included, comes back
 * as data, so the main thread keeps the error's name, code and own fields (the structured clone
 * of an Error keeps only its message and stack), and a module that fails to load is an answer,
 * not a crashed worker respawned in a loop.
 */
'use strict';
const { getPriority, setPriority } = require('node:os');
const { pathToFileURL } = require('node:url');
const { workerData } = require('node:worker_threads');

/** The tasks of each module this thread loaded, by URL: imported once per thread, then shared. */
const modules = new Map();
/** How deep `cause` chains are followed when an error is sent back. */
const MAX_CAUSE_DEPTH = 5;
/** The signal of runs without a timeout: nothing can abort them but the end of the thread. */
const NEVER_ABORTED = new AbortController().signal;

// Below the main thread: on a busy machine its timers then win a core over the tasks (Linux
// sets the priority of the calling thread only; elsewhere it would lower the whole process).
if (process.platform === 'linux' && workerData?.niceness > 0) {
  try {
    // A new thread starts at the nice value of the thread that created it: go that much lower.
    setPriority(0, Math.min(19, getPriority(0) + workerData.niceness));
  } catch {
    // Not allowed here (a container without the capability): the thread keeps its priority.
  }
}

/** The job as the task sees it (`WorkerJob`): the record's fields, `nextRunTime` as a Date. */
function jobView(record, store) {
  const { inlineTask: _inline, version: _version, nextRunTime, ...fields } = record;
  return { ...fields, store, nextRunTime: nextRunTime === null ? null : new Date(nextRunTime) };
}

/** Loads (once per thread) the task module at `url`; resolves with its tasks by name. */
function load(url) {
  let loading = modules.get(url);
  if (loading === undefined) {
    loading = import(url.startsWith('file:') ? url : pathToFileURL(url).href).then(tasksOf);
    modules.set(url, loading);
  }
  return loading;
}

/**
 * The module's tasks by name: its named exports that are functions, then those of its default
 * export when that is an object (CommonJS `module.exports = { ... }`, or a module that
 * re-exports tasks loaded through a TypeScript loader as its default).
 */
function tasksOf(namespace) {
  const tasks = new Map();
  const fallback = namespace.default;
  if (fallback !== null && typeof fallback === 'object') {
    for (const [name, value] of Object.entries(fallback)) if (typeof value === 'function') tasks.set(name, value);
  }
  for (const [name, value] of Object.entries(namespace)) if (typeof value === 'function') tasks.set(name, value);
  return tasks;
}

/** Can `value` cross back to the main thread? (Checked by copying it: the pool's own failure to
 * send it back says nothing.) */
function cloneable(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) return true;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/** An error (or any thrown value) as plain data that keeps its name, code and own fields. */
function serializeError(error, depth = 0) {
  if (!(error instanceof Error)) {
    return cloneable(error) ? { kind: 'value', value: error } : { kind: 'value', value: String(error) };
  }
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'cause' && cloneable(value)) fields[key] = value;
  }
  const out = { kind: 'error', name: error.name, message: error.message, stack: error.stack, fields };
  if (depth < MAX_CAUSE_DEPTH) {
    if (error.cause !== undefined) out.cause = serializeError(error.cause, depth + 1);
    // An AggregateError's errors are an own field, but not an enumerable one.
    if (Array.isArray(error.errors)) out.errors = error.errors.map((inner) => serializeError(inner, depth + 1));
  }
  return out;
}

/** Lists the task names of a module, or says why it did not load. */
async function inspect(url) {
  try {
    return { ok: true, tasks: [...(await load(url)).keys()] };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/** Runs one task and answers how it ended. */
async function run({ url, task, args, record, store, scheduledRunTime, port }) {
  let signal = NEVER_ABORTED;
  if (port !== undefined) {
    // The main thread posts the abort reason (a serialized JobTimeoutError) at the run's timeout.
    const controller = new AbortController();
    port.once('message', (reason) => controller.abort(reviveError(reason)));
    signal = controller.signal;
  }
  try {
    const fn = (await load(url)).get(task);
    if (fn === undefined) return { status: 'missing' };
    const context = { job: jobView(record, store), scheduledRunTime: new Date(scheduledRunTime), signal };
    const value = await fn(...args, context);
    // Said here, where the value is: the pool's own failure to send it would lose the reason.
    if (!cloneable(value)) return { status: 'uncloneable', what: describe(value) };
    return { status: 'success', value };
  } catch (error) {
    return { status: 'error', error: serializeError(error) };
  } finally {
    port?.close();
  }
}

/** The abort reason as an Error again (the task may check its name or code). */
function reviveError(data) {
  if (data?.kind !== 'error') return data?.value;
  const error = new Error(data.message);
  Object.assign(error, data.fields);
  Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  return error;
}

function describe(value) {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  return Object.prototype.toString.call(value);
}

/** The pool's entry: one message, one answer. */
function handle(message) {
  return message.kind === 'inspect' ? inspect(message.url) : run(message);
}

module.exports = handle;
