/**
 * toad-scheduler: `CronJob` (croner underneath) for cron schedules, `SimpleIntervalJob`
 * (setInterval) for intervals. It has no start date, so an interval's anchor is emulated by
 * adding the jobs one interval before it. No next-run API.
 */
import { CronJob, SimpleIntervalJob, Task, ToadScheduler } from 'toad-scheduler';

export const info = { label: 'toad-scheduler', package: 'toad-scheduler' };

export async function create() {
  const scheduler = new ToadScheduler();
  const pending = new Set();
  return {
    add(n, schedule, onFire) {
      if (schedule.kind === 'cron') {
        for (let i = 0; i < n; i++) {
          const task = new Task(`job-${i}`, () => onFire(i));
          scheduler.addCronJob(new CronJob({ cronExpression: schedule.expr, timezone: schedule.timezone }, task));
        }
        return;
      }
      const start = () => {
        pending.delete(timer);
        for (let i = 0; i < n; i++) {
          const task = new Task(`job-${i}`, () => onFire(i));
          scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ milliseconds: schedule.ms }, task));
        }
      };
      const timer = setTimeout(start, Math.max(0, schedule.anchor - schedule.ms - Date.now()));
      pending.add(timer);
    },
    shutdown() {
      for (const timer of pending) clearTimeout(timer);
      scheduler.stop();
    },
  };
}
