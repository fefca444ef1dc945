/**
 * An indexed binary min-heap of `(timeMs, id)` keys, used by the memory job store to find the
 * next due job in O(1) and to insert, move or remove any job by id in O(log n).
 *
 * @internal
 * @module
 */

/** One heap entry: a job id and its next run time in epoch milliseconds. @internal */
export interface HeapEntry {
  /** The job id (unique within the heap). */
  readonly id: string;
  /** The sort key: epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * A min-heap ordered by `timeMs`, ties broken by `id` (UTF-16 code unit order, as `<` on
 * strings), with an id → position index so that any entry can be found without a scan.
 *
 * @internal
 */
export class IndexedHeap {
  /** The heap array: the parent of position `i` is `(i - 1) >> 1`. */
  readonly #entries: HeapEntry[] = [];
  /** Where each id sits in `#entries`; kept in step by every swap. */
  readonly #positions = new Map<string, number>();

  /** Number of entries. */
  get size(): number {
    return this.#entries.length;
  }

  /** Whether `id` is in the heap. */
  has(id: string): boolean {
    return this.#positions.has(id);
  }

  /** The smallest entry, or `undefined` when empty. */
  peek(): HeapEntry | undefined {
    return this.#entries[0];
  }

  /**
   * Adds `id` with key `timeMs`.
   * @throws `Error` if `id` is already in the heap (a bug in the caller, never a user error).
   */
  insert(id: string, timeMs: number): void {
    if (this.#positions.has(id)) throw new Error(`IndexedHeap: duplicate id ${JSON.stringify(id)}`);
    this.#entries.push({ id, timeMs });
    this.#positions.set(id, this.#entries.length - 1);
    this.#siftUp(this.#entries.length - 1);
  }

  /**
   * Changes the key of `id`.
   * @throws `Error` if `id` is not in the heap.
   */
  update(id: string, timeMs: number): void {
    const index = this.#positions.get(id);
    if (index === undefined) throw new Error(`IndexedHeap: unknown id ${JSON.stringify(id)}`);
    this.#entries[index] = { id, timeMs };
    // The new key may be smaller or larger than the old one; only one of these moves it.
    this.#siftUp(index);
    this.#siftDown(index);
  }

  /** Removes `id`; returns `false` if it was not in the heap. */
  remove(id: string): boolean {
    const index = this.#positions.get(id);
    if (index === undefined) return false;
    this.#removeAt(index);
    return true;
  }

  /** Removes and returns the smallest entry, or `undefined` when empty. */
  pop(): HeapEntry | undefined {
    const top = this.#entries[0];
    if (top !== undefined) this.#removeAt(0);
    return top;
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.length = 0;
    this.#positions.clear();
  }

  #removeAt(index: number): void {
    const last = this.#entries.pop() as HeapEntry;
    const removed = this.#entries[index];
    // Removing the last slot needs no repair; otherwise the former last entry fills the hole
    // and is moved whichever way restores the order.
    if (removed === undefined) {
      this.#positions.delete(last.id);
      return;
    }
    this.#positions.delete(removed.id);
    this.#place(last, index);
    this.#siftUp(index);
    this.#siftDown(index);
  }

  #less(a: HeapEntry, b: HeapEntry): boolean {
    return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.id < b.id);
  }

  #place(entry: HeapEntry, index: number): void {
    this.#entries[index] = entry;
    this.#positions.set(entry.id, index);
  }

  #siftUp(start: number): void {
    // Moves the entry up by shifting larger parents down, then writes it once at its final slot.
    const entry = this.#entries[start] as HeapEntry;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.#entries[parentIndex] as HeapEntry;
      if (!this.#less(entry, parent)) break;
      this.#place(parent, index);
      index = parentIndex;
    }
    this.#place(entry, index);
  }

  #siftDown(start: number): void {
    const entries = this.#entries;
    const entry = entries[start] as HeapEntry;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= entries.length) break;
      // Compare against the smaller child so the order holds for both children afterwards.
      let child = left;
      let childEntry = entries[left] as HeapEntry;
      const rightEntry = entries[left + 1];
      if (rightEntry !== undefined && this.#less(rightEntry, childEntry)) {
        child = left + 1;
        childEntry = rightEntry;
      }
      if (!this.#less(childEntry, entry)) break;
      this.#place(childEntry, index);
      index = child;
    }
    this.#place(entry, index);
  }
}
