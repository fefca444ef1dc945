/** cron (kelektiv): one `CronJob` per job; `CronTime#getNextDateFrom` for W2. No intervals. */
import { CronJob, CronTime } from 'cron';
import { unsupported } from './_shared.mjs';

export const info = { label: 'cron', package: 'cron' };

export function next(expression, timezone) {
  const time = new CronTime(expression, timezone);
  // getNextDateFrom is strictly after its argument's whole second.
  return (previous, from) => time.getNextDateFrom(previous ?? new Date(from.getTime() - 1), timezone).toJSDate();
}

export async function create() {
  const jobs = [];
  return {
    add(n, schedule, onFire) {
      if (schedule.kind !== 'cron') throw unsupported('cron has no interval jobs');
      for (let i = 0; i < n; i++) {
        jobs.push(CronJob.from({ cronTime: schedule.expr, onTick: () => onFire(i), start: true, timeZone: schedule.timezone }));
      }
    },
    async shutdown() {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}
