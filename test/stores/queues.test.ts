import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedHeap, type HeapNode } from '../../src/stores/heap.js';
import { InstantQueue, type QueueNode } from '../../src/stores/instant-queue.js';

/** A node either structure can hold (each writes only its own position fields). */
type Node = HeapNode & QueueNode;

/** What both the memory store's queue and the heap under it offer. */
interface Queue {
  readonly size: number;
  has(node: Node): boolean;
  peek(): Node | undefined;
  insert(node: Node, key: number): void;
  update(node: Node, key: number): void;
  remove(node: Node): boolean;
  pop(): Node | undefined;
  clear(): void;
}

/** A fresh node, outside any queue. */
const node = (id: string): Node => ({ id, key: Number.NaN, heapIndex: -1, bucket: null, slot: -1 });
/** What a test compares: a node's id and key (not its position). */
const view = (n: Node | undefined) => (n === undefined ? undefined : { id: n.id, timeMs: n.key });

const byTimeThenId = (a: { timeMs: number; id: string }, b: { timeMs: number; id: string }): number =>
  a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const structures: [string, () => Queue][] = [
  ['IndexedHeap', () => new IndexedHeap<Node>()],
  ['InstantQueue', () => new InstantQueue<Node>()],
];

describe.each(structures)('%s', (name, make) => {
  it('orders by key, then id', () => {
    const queue = make();
    queue.insert(node('b'), 5);
    queue.insert(node('a'), 5);
    queue.insert(node('c'), 1);
    expect([queue.pop(), queue.pop(), queue.pop(), queue.pop()].map(view)).toStrictEqual([
      { id: 'c', timeMs: 1 },
      { id: 'a', timeMs: 5 },
      { id: 'b', timeMs: 5 },
      undefined,
    ]);
  });

  it('refuses duplicate inserts and unknown updates without changing anything', () => {
    const queue = make();
    const a = node('a');
    queue.insert(a, 1);
    expect(() => queue.insert(a, 0)).toThrow(/duplicate/);
    expect(() => queue.update(node('b'), 0)).toThrow(/unknown/);
    expect(queue.remove(node('b'))).toBe(false);
    expect(queue.size).toBe(1);
    expect(view(queue.peek())).toStrictEqual({ id: 'a', timeMs: 1 });
  });

  it('lets nodes that left be inserted again', () => {
    const queue = make();
    const [a, b] = [node('a'), node('b')];
    queue.insert(a, 1);
    queue.insert(b, 2);
    expect(queue.pop()).toBe(a);
    expect(queue.has(a)).toBe(false);
    queue.clear();
    expect([queue.has(b), queue.size]).toStrictEqual([false, 0]);
    queue.insert(a, 3);
    queue.insert(b, 0);
    expect(queue.pop()).toBe(b);
  });

  // Two shapes: many instants with few nodes each, and few instants with many nodes each (so
  // buckets grow past the size where removed nodes are compacted away, and are appended to out
  // of order).
  it.each([
    { ids: 30, keys: 20, maxLength: 200 },
    { ids: 400, keys: 3, maxLength: 1_500 },
  ])('agrees with a sorted array on random operations ($ids ids, $keys instants)', ({ ids, keys, maxLength }) => {
    const op = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), id: fc.nat(ids), timeMs: fc.nat(keys) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.nat(ids) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'pop' as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength, size: 'max' }), (ops) => {
        const queue = make();
        const nodes = new Map<string, Node>();
        const nodeOf = (id: string): Node => nodes.get(id) ?? nodes.set(id, node(id)).get(id)!;
        let model: { id: string; timeMs: number }[] = [];
        for (const step of ops) {
          if (step.kind === 'pop') {
            expect(view(queue.pop())).toStrictEqual(model.shift());
          } else {
            const id = `j${step.id}`;
            const present = model.some((entry) => entry.id === id);
            model = model.filter((entry) => entry.id !== id);
            if (step.kind === 'remove') {
              expect(queue.remove(nodeOf(id))).toBe(present);
            } else {
              model.push({ id, timeMs: step.timeMs });
              if (present) queue.update(nodeOf(id), step.timeMs);
              else queue.insert(nodeOf(id), step.timeMs);
            }
            model.sort(byTimeThenId);
          }
          expect(queue.size).toBe(model.length);
          expect(view(queue.peek())).toStrictEqual(model[0]);
        }
        for (const [id, n] of nodes) expect(queue.has(n)).toBe(model.some((entry) => entry.id === id));
        const drained = [];
        for (let top = queue.pop(); top !== undefined; top = queue.pop()) drained.push(view(top));
        expect(drained).toStrictEqual(model);
      }),
      { numRuns: ids > 100 ? 30 : 200 },
    );
  });
});

describe('InstantQueue', () => {
  it('pops the nodes of an instant in id order however they were added, and keeps that order for nodes moved back in it', () => {
    const queue = new InstantQueue<Node>();
    const ids = Array.from({ length: 200 }, (_, i) => `job-${String((i * 7919) % 200).padStart(3, '0')}`);
    const nodes = ids.map(node);
    for (const n of nodes) queue.insert(n, 1_000);
    const first = Array.from({ length: 200 }, () => queue.pop()!);
    expect(first.map((n) => n.id)).toStrictEqual([...ids].sort());
    // Moved on to the next instant in the order they were taken, as a scheduler's releases are.
    for (const n of first) queue.insert(n, 2_000);
    const second = Array.from({ length: 200 }, () => queue.pop()!.id);
    expect(second).toStrictEqual([...ids].sort());
    expect(queue.size).toBe(0);
  });

  it('skips nodes removed from the middle of an instant, and moves a node within the queue', () => {
    const queue = new InstantQueue<Node>();
    const nodes = Array.from({ length: 100 }, (_, i) => node(`n${String(i).padStart(3, '0')}`));
    for (const n of nodes) queue.insert(n, 5);
    for (let i = 1; i < 100; i += 2) expect(queue.remove(nodes[i]!)).toBe(true);
    queue.update(nodes[0]!, 7);
    expect(queue.update(nodes[2]!, 5)).toBeUndefined();
    const order = [];
    for (let top = queue.pop(); top !== undefined; top = queue.pop()) order.push(view(top));
    expect(order).toStrictEqual([
      ...nodes.filter((_, i) => i % 2 === 0 && i > 0).map((n) => ({ id: n.id, timeMs: 5 })),
      { id: 'n000', timeMs: 7 },
    ]);
  });
});
