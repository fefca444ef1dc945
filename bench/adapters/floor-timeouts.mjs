/**
 * Floor: one setTimeout chain per job, re-armed after each fire, re-armed again on an early
 * wake (Node's timers can fire a millisecond before Date.now() reaches the due time).
 */
import { slotGrid } from './_shared.mjs';

export const info = { label: 'floor: setTimeout per job', floor: true };

export async function create() {
  const jobs = [];
  return {
    add(n, schedule, onFire) {
      const grid = slotGrid(schedule);
      for (let i = 0; i < n; i++) {
        const job = { timer: null, due: grid.first(Date.now()) };
        const tick = () => {
          const now = Date.now();
          if (now >= job.due) {
            onFire(i, job.due);
            job.due = grid.next(job.due, now);
          }
          job.timer = setTimeout(tick, job.due - Date.now());
        };
        job.timer = setTimeout(tick, job.due - Date.now());
        jobs.push(job);
      }
    },
    shutdown() {
      for (const job of jobs) clearTimeout(job.timer);
    },
  };
}
