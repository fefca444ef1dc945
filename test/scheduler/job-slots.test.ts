import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECK_AFTER, JobSlots, SWEEP_MS, type JobSlot } from '../../src/scheduler/job-slots.js';
import { VirtualClock } from '../../src/testing/index.js';

const task = () => undefined;

describe('JobSlots', () => {
  it('agrees with a plain count per id on random runs, functions, forgotten epochs and sweeps', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('begin' as const), id: fc.nat(30), limit: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('end' as const), id: fc.nat(30) }),
      fc.record({ kind: fc.constant('task' as const), id: fc.nat(30), set: fc.boolean() }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2 * SWEEP_MS }) }),
      fc.record({ kind: fc.constant('forget' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000, size: 'max' }), (ops) => {
        const clock = new VirtualClock(0);
        const slots = new JobSlots(clock);
        // The model: per id, the runs not ended (each with the slot and epoch it began with),
        // the epoch they count in, and whether the job has a function.
        const held = new Map<number, { slot: JobSlot; epoch: number }[]>();
        const tasks = new Set<number>();
        for (const step of ops) {
          if (step.kind === 'wait') clock.jump(step.ms);
          else if (step.kind === 'forget') {
            slots.forgetRuns();
            held.clear(); // still in flight, but counted no more
          } else if (step.kind === 'task') {
            slots.setTask(String(step.id), step.set ? task : null);
            if (step.set) tasks.add(step.id);
            else tasks.delete(step.id);
          } else if (step.kind === 'begin') {
            const runs = held.get(step.id) ?? [];
            const slot = slots.of(String(step.id));
            const epoch = slots.epoch;
            const began = slots.begin(slot, step.limit);
            expect(began).toBe(runs.length < step.limit);
            if (began) held.set(step.id, [...runs, { slot, epoch }]);
          } else {
            const runs = held.get(step.id) ?? [];
            if (runs.length > 0) {
              const { slot, epoch } = runs[0] as { slot: JobSlot; epoch: number };
              slots.end(slot, epoch);
              held.set(step.id, runs.slice(1));
            }
          }
        }
        for (let id = 0; id <= 30; id++) {
          expect(slots.running(String(id))).toBe(held.get(id)?.length ?? 0);
          expect(slots.task(String(id))).toBe(tasks.has(id) ? task : null);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('never counts below zero: a run ended twice still lets the job run again up to its limit', () => {
    const slots = new JobSlots(new VirtualClock(0));
    const slot = slots.of('a');
    expect(slots.begin(slot, 1)).toBe(true);
    slots.end(slot, slots.epoch);
    slots.end(slot, slots.epoch);
    expect(slots.running('a')).toBe(0);
    expect(slots.begin(slot, 1)).toBe(true);
    expect(slots.begin(slot, 1)).toBe(false);
  });

  it('a run of a forgotten epoch neither counts nor lowers the count of the runs after it', () => {
    const slots = new JobSlots(new VirtualClock(0));
    const slot = slots.of('a');
    slots.begin(slot, 1);
    const abandoned = slots.epoch;
    slots.forgetRuns();
    expect(slots.running('a')).toBe(0);
    expect(slots.begin(slot, 1)).toBe(true);
    slots.end(slot, abandoned);
    expect(slots.running('a')).toBe(1);
    expect(slots.begin(slot, 1)).toBe(false);
  });

  it('keeps the slot of a job whose function is cleared while it runs, and drops an idle one at once', () => {
    const slots = new JobSlots(new VirtualClock(0));
    slots.setTask('busy', task);
    slots.setTask('idle', task);
    const busy = slots.of('busy');
    slots.begin(busy, 1);
    slots.setTask('busy', null);
    slots.setTask('idle', null);
    expect(slots.size).toBe(1);
    // A job added again under the same id while its old run is in flight still counts that run.
    slots.setTask('busy', task);
    expect(slots.begin(slots.of('busy'), 1)).toBe(false);
  });

  it('keeps idle slots until a minute has passed, then sweeps them and nothing else', () => {
    const clock = new VirtualClock(0);
    const slots = new JobSlots(clock);
    slots.begin(slots.of('busy'), 1);
    slots.setTask('inline', task);
    const cycle = () => {
      for (let i = 0; i < CHECK_AFTER; i++) {
        const slot = slots.of(`job-${i}`);
        slots.begin(slot, 1);
        slots.end(slot, slots.epoch);
      }
    };
    cycle();
    expect(slots.size).toBe(CHECK_AFTER + 2); // kept: no churn for jobs that run again soon
    clock.jump(SWEEP_MS - 1);
    cycle();
    expect(slots.size).toBe(CHECK_AFTER + 2);
    clock.jump(1);
    cycle();
    expect(slots.size).toBe(2);
    expect(slots.running('busy')).toBe(1);
    expect(slots.task('inline')).toBe(task);
  });
});
