/**
 * An intrusive indexed binary min-heap, used by the memory job store to find the next due job in
 * O(1) and to insert, move or remove any job in O(log n).
 *
 * "Intrusive": each node carries its own key and its position in the heap, so moving a node is a
 * field write rather than an update of an id → position map. With thousands of jobs due in the
 * same second, that map was a large share of the time spent per fire.
 *
 * @internal
 * @module
 */

/** What a heap node carries: a unique id, its sort key, and its position (managed by the heap). @internal */
export interface HeapNode {
  /** Unique within the heap; breaks ties between equal keys. */
  readonly id: string;
  /** The sort key (epoch milliseconds); written by the heap on insert and update. */
  key: number;
  /** Position in the heap, or `-1` when not in it; written only by the heap. */
  heapIndex: number;
}

/**
 * A min-heap of nodes ordered by `key`, ties broken by `id` (UTF-16 code unit order, as `<` on
 * strings). A node belongs to at most one heap at a time.
 *
 * @internal
 */
export class IndexedHeap<T extends HeapNode> {
  /** The heap array: the parent of position `i` is `(i - 1) >> 1`. */
  readonly #nodes: T[] = [];

  /** Number of nodes. */
  get size(): number {
    return this.#nodes.length;
  }

  /** Whether `node` is in this heap. */
  has(node: T): boolean {
    return node.heapIndex >= 0 && this.#nodes[node.heapIndex] === node;
  }

  /** The smallest node, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#nodes[0];
  }

  /**
   * Adds `node` with sort key `key`.
   * @throws `Error` if the node is already in the heap (a bug in the caller, never a user error).
   */
  insert(node: T, key: number): void {
    if (this.has(node)) throw new Error(`IndexedHeap: duplicate id ${JSON.stringify(node.id)}`);
    node.key = key;
    node.heapIndex = this.#nodes.length;
    this.#nodes.push(node);
    this.#siftUp(node.heapIndex);
  }

  /**
   * Changes the key of `node`.
   * @throws `Error` if the node is not in the heap.
   */
  update(node: T, key: number): void {
    if (!this.has(node)) throw new Error(`IndexedHeap: unknown id ${JSON.stringify(node.id)}`);
    const moved = key < node.key;
    node.key = key;
    if (moved) this.#siftUp(node.heapIndex);
    else this.#siftDown(node.heapIndex);
  }

  /** Removes `node`; returns `false` if it was not in the heap. */
  remove(node: T): boolean {
    if (!this.has(node)) return false;
    this.#removeAt(node.heapIndex);
    return true;
  }

  /** Removes and returns the smallest node, or `undefined` when empty. */
  pop(): T | undefined {
    const top = this.#nodes[0];
    if (top !== undefined) this.#removeAt(0);
    return top;
  }

  /** Removes every node. */
  clear(): void {
    for (const node of this.#nodes) node.heapIndex = -1;
    this.#nodes.length = 0;
  }

  #removeAt(index: number): void {
    const nodes = this.#nodes;
    const removed = nodes[index] as T;
    const last = nodes.pop() as T;
    removed.heapIndex = -1;
    // Removing the last slot needs no repair; otherwise the former last node fills the hole
    // and is moved whichever way restores the order.
    if (removed === last) return;
    nodes[index] = last;
    last.heapIndex = index;
    this.#siftUp(index);
    this.#siftDown(last.heapIndex);
  }

  #siftUp(start: number): void {
    // Moves the node up by shifting larger parents down, then writes it once at its final slot.
    const nodes = this.#nodes;
    const node = nodes[start] as T;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = nodes[parentIndex] as T;
      if (!less(node, parent)) break;
      nodes[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    nodes[index] = node;
    node.heapIndex = index;
  }

  #siftDown(start: number): void {
    const nodes = this.#nodes;
    const node = nodes[start] as T;
    const length = nodes.length;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      // Compare against the smaller child so the order holds for both children afterwards.
      let child = left;
      let childNode = nodes[left] as T;
      if (left + 1 < length && less(nodes[left + 1] as T, childNode)) {
        child = left + 1;
        childNode = nodes[child] as T;
      }
      if (!less(childNode, node)) break;
      nodes[index] = childNode;
      childNode.heapIndex = index;
      index = child;
    }
    nodes[index] = node;
    node.heapIndex = index;
  }
}

function less(a: HeapNode, b: HeapNode): boolean {
  return a.key < b.key || (a.key === b.key && a.id < b.id);
}
