/**
 * The memory job store's queue of jobs by next run time, ties by id: buckets of jobs sharing an
 * instant, kept in an indexed heap of instants.
 *
 * Why buckets: schedules cluster on a few instants (10,000 jobs due at the same second is the
 * common heavy case). A heap of jobs pays O(log n) string comparisons per pop and per re-insert
 * there; here popping the next job of an instant and appending a job to an instant cost O(1).
 * Jobs come back to the queue in the order they were taken (by id), so a bucket filled by a
 * scheduler's releases is already in id order; a bucket filled out of order is sorted once, when
 * it is first read.
 *
 * @internal
 * @module
 */
import { IndexedHeap, type HeapNode } from './heap.js';

/** What a queued node carries; `bucket` and `slot` are managed by the queue. @internal */
export interface QueueNode {
  /** Unique within the queue; orders nodes of one instant. */
  readonly id: string;
  /** The instant the node is queued at (epoch ms); written by the queue. */
  key: number;
  /** The bucket holding the node, `null` when not queued. */
  bucket: Bucket<QueueNode> | null;
  /** Position in its bucket. */
  slot: number;
}

/** Fewest slots in a bucket before its removed nodes' holes are worth compacting. */
const COMPACT_MIN = 64;

/** The nodes of one instant, in id order once sorted; removed nodes leave holes (`null`). @internal */
export class Bucket<T extends QueueNode> implements HeapNode {
  /** Instants are unique in the heap of instants: no tie to break. */
  readonly id = '';
  /** Position in the heap of instants (managed by the heap). */
  heapIndex = -1;
  /** Nodes by slot; `null` where one was removed. Slots before `head` are all holes. */
  nodes: (T | null)[] = [];
  /** The first slot that may hold a node. */
  head = 0;
  /** Nodes present (not holes). */
  live = 0;
  /** Whether the present nodes are in id order. */
  sorted = true;
  /** The id last appended: a smaller one appended after it breaks the order. */
  lastId = '';

  /** @param key - the instant (epoch ms) */
  constructor(public key: number) {}

  /** Adds `node` after the others, noting when that breaks the id order. */
  append(node: T): void {
    if (this.live > 0 && node.id < this.lastId) this.sorted = false;
    this.lastId = node.id;
    node.slot = this.nodes.length;
    this.nodes.push(node);
    this.live++;
  }

  /** Removes `node` from the middle, leaving a hole. Precondition: `node` is in this bucket. */
  delete(node: T): void {
    this.nodes[node.slot] = null;
    this.live--;
    // Holes are skipped when read; compacting once they outnumber the nodes keeps that linear.
    if (this.live > 0 && this.nodes.length >= COMPACT_MIN && this.nodes.length > 2 * this.live) this.#compact(false);
  }

  /** The node with the smallest id. Precondition: `live > 0`. */
  first(): T {
    if (!this.sorted) this.#compact(true);
    const { nodes } = this;
    while (nodes[this.head] === null) this.head++;
    return nodes[this.head] as T;
  }

  /** Removes the holes (and, with `sort`, puts the nodes in id order), renumbering slots. */
  #compact(sort: boolean): void {
    const nodes: T[] = [];
    for (let i = this.head; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      if (node !== null && node !== undefined) nodes.push(node);
    }
    if (sort) nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    nodes.forEach((node, slot) => (node.slot = slot));
    this.nodes = nodes;
    this.head = 0;
    if (sort) this.sorted = true;
    this.lastId = nodes.length > 0 ? (nodes[nodes.length - 1] as T).id : '';
  }
}

/**
 * A min-queue of nodes ordered by `key`, ties by `id` (UTF-16 code unit order, as `<` on
 * strings). A node belongs to at most one queue at a time.
 *
 * @internal
 */
export class InstantQueue<T extends QueueNode> {
  /** Instants that have nodes, earliest first. */
  readonly #instants = new IndexedHeap<Bucket<T>>();
  /** The bucket of each instant in `#instants`. */
  readonly #buckets = new Map<number, Bucket<T>>();
  #size = 0;

  /** Number of nodes. */
  get size(): number {
    return this.#size;
  }

  /** Whether `node` is in this queue. */
  has(node: T): boolean {
    const bucket = node.bucket;
    return bucket !== null && bucket.nodes[node.slot] === node;
  }

  /** The smallest node, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#instants.peek()?.first();
  }

  /**
   * Adds `node` at instant `key`.
   * @throws `Error` if the node is already in the queue (a bug in the caller, never a user error).
   */
  insert(node: T, key: number): void {
    if (this.has(node)) throw new Error(`InstantQueue: duplicate id ${JSON.stringify(node.id)}`);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new Bucket<T>(key);
      this.#buckets.set(key, bucket);
      this.#instants.insert(bucket, key);
    }
    node.key = key;
    node.bucket = bucket as Bucket<QueueNode>;
    bucket.append(node);
    this.#size++;
  }

  /**
   * Moves `node` to instant `key`.
   * @throws `Error` if the node is not in the queue.
   */
  update(node: T, key: number): void {
    if (!this.has(node)) throw new Error(`InstantQueue: unknown id ${JSON.stringify(node.id)}`);
    if (node.key === key) return;
    this.#take(node);
    this.insert(node, key);
  }

  /** Removes `node`; returns `false` if it was not in the queue. */
  remove(node: T): boolean {
    if (!this.has(node)) return false;
    this.#take(node);
    return true;
  }

  /** Removes and returns the smallest node, or `undefined` when empty. */
  pop(): T | undefined {
    const top = this.peek();
    if (top !== undefined) this.#take(top);
    return top;
  }

  /** Removes every node. */
  clear(): void {
    for (const bucket of this.#buckets.values()) {
      for (const node of bucket.nodes) if (node !== null) node.bucket = null;
    }
    this.#buckets.clear();
    this.#instants.clear();
    this.#size = 0;
  }

  #take(node: T): void {
    const bucket = node.bucket as Bucket<T>;
    node.bucket = null;
    this.#size--;
    if (bucket.live === 1) {
      // The instant's last node: the bucket goes, holes and all.
      this.#buckets.delete(bucket.key);
      this.#instants.remove(bucket);
      return;
    }
    if (node.slot === bucket.head) {
      // Taking the first node (a pop) only moves the head: no hole to skip later.
      bucket.nodes[bucket.head++] = null;
      bucket.live--;
    } else {
      bucket.delete(node);
    }
  }
}
