/** croner: one `Cron` instance (and timer) per job; `nextRun(previous)` for W2. No intervals. */
import { Cron } from 'croner';
import { unsupported } from './_shared.mjs';

export const info = { label: 'croner', package: 'croner' };

export function next(expression, timezone) {
  const job = new Cron(expression, { timezone, paused: true });
  return (previous, from) => job.nextRun(previous ?? new Date(from.getTime() - 1));
}

export async function create() {
  const jobs = [];
  return {
    add(n, schedule, onFire) {
      if (schedule.kind !== 'cron') throw unsupported('croner has no interval jobs');
      for (let i = 0; i < n; i++) jobs.push(new Cron(schedule.expr, { timezone: schedule.timezone }, () => onFire(i)));
    },
    shutdown() {
      for (const job of jobs) job.stop();
    },
  };
}
