/**
 * `timetable/executors/worker`: an executor that runs CPU-heavy tasks in worker threads, so the
 * scheduler's timing (and everything else on the main thread) stays precise while they run, and
 * a job's `timeout` can end a task that never looks at its signal. See `docs/executors.md`.
 *
 * @example
 * ```ts
 * // tasks.mjs: the tasks are the module's named exports
 * export function buildReport(kind, context) {
 *   // ... CPU-heavy work; context.signal aborts at the job's timeout
 *   return { kind, rows: 1200 };
 * }
 * ```
 *
 * @module
 */
export { WorkerExecutor } from './worker-executor.js';
export type { WorkerExecutorOptions, WorkerResourceLimits } from './options.js';
export type { WorkerJob, WorkerJobContext } from './context.js';
