/**
 * node-cron: one task (and timer) per job. Its public next-run API (`getNextRuns`) only counts
 * from now, so W2 calls the matcher that `getNextRuns` loops over (`task.timeMatcher`, not in the
 * typings) from the benchmark's start date. Missed-run console warnings are off. No intervals.
 */
import nodeCron from 'node-cron';
import { unsupported } from './_shared.mjs';

export const info = { label: 'node-cron', package: 'node-cron' };

export function next(expression, timezone) {
  const task = nodeCron.createTask(expression, () => {}, { timezone });
  const matcher = task.timeMatcher;
  return (previous, from) => matcher.getNextMatch(previous ?? new Date(from.getTime() - 1));
}

/** Its default logger prints a warning per missed run to the console; the suite measures scheduling. */
const options = (schedule) => ({ timezone: schedule.timezone, suppressMissedWarning: true });

export async function create() {
  const tasks = [];
  return {
    add(n, schedule, onFire) {
      if (schedule.kind !== 'cron') throw unsupported('node-cron has no interval jobs');
      for (let i = 0; i < n; i++) tasks.push(nodeCron.schedule(schedule.expr, (context) => onFire(i, context.date.getTime()), options(schedule)));
    },
    async shutdown() {
      for (const task of tasks) await task.destroy();
    },
  };
}
