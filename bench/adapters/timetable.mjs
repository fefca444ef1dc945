/**
 * timetable, from the repo's built output (../dist), as a user would run the published package.
 * Cron jobs are added as crontab strings to a scheduler in the schedule's zone; interval jobs as
 * IntervalTriggers anchored at the schedule's anchor. Jobs are added to a started scheduler, so
 * every add writes to the store.
 */
import { CronTrigger, IntervalTrigger, Scheduler } from '../../dist/index.js';

export const info = { label: 'timetable', package: null };

export function next(expression, timezone) {
  const trigger = CronTrigger.fromCrontab(expression, { timezone });
  return (previous, from) => trigger.getNextFireTime(previous, from);
}

export async function create() {
  let scheduler = null;
  return {
    async add(n, schedule, onFire) {
      if (scheduler === null) {
        scheduler = new Scheduler({ timezone: schedule.timezone ?? 'UTC' });
        await scheduler.start();
      }
      for (let i = 0; i < n; i++) {
        const trigger =
          schedule.kind === 'cron'
            ? schedule.expr
            : new IntervalTrigger({ milliseconds: schedule.ms, startDate: new Date(schedule.anchor) });
        await scheduler.addJob((context) => onFire(i, context.scheduledRunTime.getTime()), trigger);
      }
    },
    async shutdown() {
      await scheduler?.shutdown();
    },
  };
}
