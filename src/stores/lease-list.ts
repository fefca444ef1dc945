/**
 * The memory job store's leased jobs, as an intrusive doubly linked list: adding and removing a
 * job are a few field writes, with no hashing and no table to grow and shrink. Thousands of jobs
 * are leased and released every second under load, where a `Set` cost more than the queue.
 *
 * @internal
 * @module
 */

/** What a listed node carries; the links are managed by the list (both `null` when out of it). @internal */
export interface LeaseLink<T> {
  leasePrev: T | null;
  leaseNext: T | null;
}

/** A list of nodes in the order they were added, each in it at most once. @internal */
export class LeaseList<T extends LeaseLink<T>> {
  #head: T | null = null;
  #tail: T | null = null;
  #size = 0;

  /** Number of nodes. */
  get size(): number {
    return this.#size;
  }

  /**
   * The node added first, or `null`. A scheduler hands jobs back in the order it took them, so
   * the job a release names is most often this one: found without a lookup by id.
   */
  get first(): T | null {
    return this.#head;
  }

  /** Whether `node` is in the list: it has a previous node, or it is the first. */
  has(node: T): boolean {
    return node.leasePrev !== null || this.#head === node;
  }

  /** Adds `node` at the end (no-op when it is already in). */
  add(node: T): void {
    if (this.has(node)) return;
    node.leasePrev = this.#tail;
    node.leaseNext = null;
    if (this.#tail === null) this.#head = node;
    else this.#tail.leaseNext = node;
    this.#tail = node;
    this.#size++;
  }

  /** Removes `node` (no-op when it is not in). */
  delete(node: T): void {
    if (!this.has(node)) return;
    const { leasePrev: prev, leaseNext: next } = node;
    if (prev === null) this.#head = next;
    else prev.leaseNext = next;
    if (next === null) this.#tail = prev;
    else next.leasePrev = prev;
    node.leasePrev = null;
    node.leaseNext = null;
    this.#size--;
  }

  /** Removes every node. */
  clear(): void {
    for (let node = this.#head; node !== null; ) {
      const next: T | null = node.leaseNext;
      node.leasePrev = null;
      node.leaseNext = null;
      node = next;
    }
    this.#head = null;
    this.#tail = null;
    this.#size = 0;
  }

  /** The nodes, in the order they were added; the current one may be deleted while iterating. */
  *[Symbol.iterator](): Generator<T> {
    for (let node = this.#head; node !== null; ) {
      const next: T | null = node.leaseNext;
      yield node;
      node = next;
    }
  }
}
