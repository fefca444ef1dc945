/**
 * timetable, from the repo's built output (../dist), as a user would run the published package.
 * Jobs are added to a started scheduler in the schedule's zone, so every add writes to the store.
 * The trigger is given the way `path` says (the `timetable-spec` and `timetable-instance`
 * adapters measure the other two public paths):
 * - `string`: cron jobs as crontab strings; interval jobs as IntervalTriggers (there is no string
 *   form of an interval);
 * - `spec`: JSON specs, a new object per job (`{ type: 'cron', expression }`, `{ type: 'interval', milliseconds, startDate }`);
 * - `instance`: a trigger built per job by the user (`CronTrigger.fromCrontab(expr, { timezone })`,
 *   `new IntervalTrigger(...)`), as the README shows.
 */
import { CronTrigger, IntervalTrigger, Scheduler } from '../../dist/index.js';

export const info = { label: 'timetable', package: null };

export function next(expression, timezone) {
  const trigger = CronTrigger.fromCrontab(expression, { timezone });
  return (previous, from) => trigger.getNextFireTime(previous, from);
}

/** The trigger of one job, given the way `path` says. */
function triggerOf(path, schedule) {
  if (schedule.kind === 'cron') {
    if (path === 'string') return schedule.expr;
    if (path === 'spec') return { type: 'cron', expression: schedule.expr };
    return CronTrigger.fromCrontab(schedule.expr, { timezone: schedule.timezone ?? 'UTC' });
  }
  if (path === 'spec') return { type: 'interval', milliseconds: schedule.ms, startDate: new Date(schedule.anchor).toISOString() };
  return new IntervalTrigger({ milliseconds: schedule.ms, startDate: new Date(schedule.anchor) });
}

/** The `create()` of an adapter that gives triggers the way `path` says. */
export function onPath(path) {
  return async function create() {
    let scheduler = null;
    return {
      async add(n, schedule, onFire) {
        if (scheduler === null) {
          scheduler = new Scheduler({ timezone: schedule.timezone ?? 'UTC' });
          await scheduler.start();
        }
        for (let i = 0; i < n; i++) {
          await scheduler.addJob((context) => onFire(i, context.scheduledRunTime.getTime()), triggerOf(path, schedule));
        }
      },
      async shutdown() {
        await scheduler?.shutdown();
      },
    };
  };
}

export const create = onPath('string');

/** Jobs added at once to a store-backed scheduler (each add is a round trip to a database). */
const ADD_CONCURRENCY = 50;

/**
 * The store workloads' adapter (W5): the same `create()` contract, on a scheduler whose default
 * store is `store` (`null`: the memory store). Jobs in a persistent store must name a registered
 * task, so every job runs the task `fire` with its index as argument, on every store alike, and
 * jobs are added `ADD_CONCURRENCY` at a time. `options` go to the Scheduler.
 */
export function onStore(store, options = {}) {
  return {
    async create() {
      let scheduler = null;
      return {
        async add(n, schedule, onFire) {
          if (schedule.kind !== 'cron') throw new Error('the store workloads use cron schedules');
          scheduler = new Scheduler({
            timezone: schedule.timezone ?? 'UTC',
            ...(store === null ? {} : { stores: { default: store } }),
            tasks: { fire: (i, context) => onFire(i, context.scheduledRunTime.getTime()) },
            ...options,
          });
          await scheduler.start();
          for (let first = 0; first < n; first += ADD_CONCURRENCY) {
            const adds = [];
            for (let i = first; i < Math.min(n, first + ADD_CONCURRENCY); i++) adds.push(scheduler.addJob('fire', schedule.expr, { id: `job-${i}`, args: [i] }));
            await Promise.all(adds);
          }
        },
        async shutdown() {
          await scheduler?.shutdown();
        },
      };
    },
  };
}
