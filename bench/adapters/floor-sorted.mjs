/**
 * Floor: one timer over an array of jobs sorted by due time. A wake fires every due job in
 * order, moves them to their next slot and merges them back (O(n) per wake, no per-job timer).
 */
import { slotGrid } from './_shared.mjs';

export const info = { label: 'floor: one timer, sorted array', floor: true };

const byDue = (a, b) => a.due - b.due;

export async function create() {
  let queue = [];
  let timer = null;

  function arm() {
    clearTimeout(timer);
    timer = queue.length === 0 ? null : setTimeout(wake, Math.max(0, queue[0].due - Date.now()));
  }

  function wake() {
    const now = Date.now();
    let k = 0;
    while (k < queue.length && queue[k].due <= now) k++;
    const fired = queue.slice(0, k);
    for (const job of fired) {
      job.fire(job.due);
      job.due = job.grid.next(job.due, now);
    }
    queue = merge(queue.slice(k), fired.sort(byDue));
    arm();
  }

  return {
    add(n, schedule, onFire) {
      const grid = slotGrid(schedule);
      const added = [];
      for (let i = 0; i < n; i++) added.push({ due: grid.first(Date.now()), grid, fire: (due) => onFire(i, due) });
      queue = merge(queue, added.sort(byDue));
      arm();
    },
    shutdown() {
      clearTimeout(timer);
      queue = [];
    },
  };
}

/** Merges two arrays sorted by due time. */
function merge(a, b) {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let o = 0;
  while (i < a.length && j < b.length) out[o++] = a[i].due <= b[j].due ? a[i++] : b[j++];
  while (i < a.length) out[o++] = a[i++];
  while (j < b.length) out[o++] = b[j++];
  return out;
}
