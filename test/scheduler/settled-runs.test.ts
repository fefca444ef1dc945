import { describe, expect, it } from 'vitest';
import { SettledRuns, type RunTicket } from '../../src/scheduler/run-ticket.js';

const ticket = (id: number) => ({ id }) as unknown as RunTicket;
const idOf = (t: RunTicket) => (t as unknown as { id: number }).id;
const microtasks = async (n = 3) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('SettledRuns', () => {
  it('reports settled runs in order, on a later microtask, and runs settled while reporting in the same pass', async () => {
    const reported: number[] = [];
    const passes: number[][] = [];
    let settled: SettledRuns;
    settled = new SettledRuns((t) => {
      reported.push(idOf(t));
      if (idOf(t) === 2) settled.add(ticket(4)); // a listener's run that ends at once
    });
    settled.add(ticket(1));
    settled.add(ticket(2));
    settled.add(ticket(3));
    expect(reported).toStrictEqual([]);
    await microtasks();
    passes.push([...reported]);
    settled.add(ticket(5));
    await microtasks();
    expect(passes[0]).toStrictEqual([1, 2, 3, 4]);
    expect(reported).toStrictEqual([1, 2, 3, 4, 5]);
  });

  it('reports the runs after one whose report threw, and keeps taking runs', async () => {
    const reported: number[] = [];
    const settled = new SettledRuns((t) => {
      if (idOf(t) === 2) throw new Error('report failed');
      reported.push(idOf(t));
    });
    const errors: unknown[] = [];
    const onError = (error: unknown) => void errors.push(error);
    process.on('uncaughtException', onError);
    try {
      for (const id of [1, 2, 3]) settled.add(ticket(id));
      await new Promise((resolve) => setImmediate(resolve));
      settled.add(ticket(6));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(reported).toStrictEqual([1, 3, 6]);
    expect(errors).toStrictEqual([new Error('report failed')]); // thrown out of the microtask, once
  });
});
