/**
 * `timetable/express`: a REST API, live events and a dashboard page for a {@link Scheduler},
 * as an Express (4 or 5) router. Safe by default: jobs may only name registered tasks, and the
 * write routes answer 401 until `auth` is configured (or explicitly turned off with `auth: false`).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { Scheduler } from 'timetable';
 * import { schedulerRouter } from 'timetable/express';
 *
 * const scheduler = new Scheduler({ tasks: { sendReport } });
 * const app = express();
 * app.use('/scheduler', schedulerRouter(scheduler, { auth: { bearer: process.env.SCHEDULER_TOKEN! } }));
 * await scheduler.start();
 * app.listen(3000);
 * ```
 *
 * @module
 */
import express from 'express';
import type { Scheduler } from '../index.js';
import type { SchedulerRouterOptions } from './options.js';
import { createSchedulerRouter, type SchedulerRouter } from './router.js';

/**
 * The scheduler's REST API as an Express router, to mount under a path of your app.
 *
 * @param scheduler - the scheduler to expose (from `timetable`, its ESM or CJS build)
 * @param options - authentication, read-only mode, limits; see {@link SchedulerRouterOptions}
 * @returns an Express `Router`, with a `close()` method that releases its scheduler subscriptions
 * @throws TypeError for an unknown option or a bad value
 *
 * @example
 * ```ts
 * app.use('/scheduler', schedulerRouter(scheduler, { auth: { basic: { username: 'admin', password } } }));
 * ```
 */
export function schedulerRouter(scheduler: Scheduler, options?: SchedulerRouterOptions): SchedulerRouter {
  return createSchedulerRouter(() => express.Router(), scheduler, options);
}

export type { SchedulerRouter } from './router.js';
export type {
  SchedulerRouterOptions,
  AuthOption,
  AuthFunction,
  BasicAuthOption,
  BearerAuthOption,
  RouterAccess,
  AuthKind,
} from './options.js';
export type { JobJson, RunRecord, RunInFlight, TriggerJson, SchedulerInfo } from './serialize.js';
export type { ErrorBody, ErrorDetails, ValidationIssue } from './errors.js';
