/** Shared setup of the express adapter tests: both Express majors, a scheduler on a virtual clock. */
import express5 from 'express';
import express4 from 'express4';
import type { Express } from 'express';
import supertest from 'supertest';
import type { Scheduler, SchedulerOptions } from '../../src/index.js';
import { schedulerRouter, type SchedulerRouter, type SchedulerRouterOptions } from '../../src/express/index.js';
import { createSchedulerRouter } from '../../src/express/router.js';
import type { VirtualClock } from '../../src/testing/index.js';
import { makeScheduler } from '../helpers/scheduler.js';

/** One Express major: its app factory and the router built on its own `Router`. */
export interface ExpressVersion {
  name: string;
  app: () => Express;
  router: (scheduler: Scheduler, options?: SchedulerRouterOptions) => SchedulerRouter;
}

export const VERSIONS: ExpressVersion[] = [
  {
    name: 'Express 4',
    app: () => express4() as unknown as Express,
    // What `schedulerRouter` does when the app's `express` is v4.
    router: (scheduler, options) => createSchedulerRouter(() => express4.Router(), scheduler, options),
  },
  { name: 'Express 5', app: () => express5(), router: schedulerRouter },
];

/** Tasks registered on every test scheduler. */
export const TASKS = {
  greet: (who: unknown = 'world') => `hello ${String(who)}`,
  cleanup: () => undefined,
  fail: () => {
    throw new Error('upstream unavailable');
  },
};

export interface Setup {
  app: Express;
  scheduler: Scheduler;
  clock: VirtualClock;
  router: SchedulerRouter;
  request: supertest.Agent;
}

/** A started (unless `started: false`) scheduler in UTC on a virtual clock, mounted at /scheduler. */
export async function setup(
  version: ExpressVersion,
  options: SchedulerRouterOptions = { auth: false },
  { started = true, scheduler: schedulerOptions = {} }: { started?: boolean; scheduler?: SchedulerOptions } = {},
): Promise<Setup> {
  const { clock, scheduler } = makeScheduler({ tasks: TASKS, ...schedulerOptions });
  const router = version.router(scheduler, options);
  const app = version.app();
  app.use('/scheduler', router);
  if (started) await scheduler.start();
  return { app, scheduler, clock, router, request: supertest.agent(app) };
}

/** The scheduler's jobs as JSON, to compare before and after a request. */
export async function snapshot(scheduler: Scheduler): Promise<string> {
  return JSON.stringify(await scheduler.getJobs());
}
