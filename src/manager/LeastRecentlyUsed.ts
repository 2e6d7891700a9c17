/** The links that a {@link LeastRecentlyUsed} list keeps on each of its items. */
export type LruLinks<T> = { newer?: T; older?: T };

/**
 * A bounded list of items, most recently used first: adding one beyond
 * `max` evicts the least recently used. The links live on the items
 * themselves (a doubly linked list), so that using an item allocates
 * nothing and costs the same at any size; a Map re-inserted at each use
 * leaves holes that V8 compacts again and again, which costs microseconds
 * per use at 10,000 entries.
 */
export class LeastRecentlyUsed<T extends LruLinks<T>> {
  readonly #onEvict: (item: T) => void;
  #max: number;
  #size = 0;
  #newest: T | undefined;
  #oldest: T | undefined;

  constructor(max: number, onEvict: (item: T) => void) {
    this.#max = max;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#size;
  }

  /** Changes the bound, evicting down to it. */
  set max(max: number) {
    this.#max = max;
    this.#evictBeyondMax();
  }

  /** Adds `item`, or marks it as the most recently used; may evict others. */
  use(item: T): void {
    if (item === this.#newest) {
      return;
    }
    if (this.#has(item)) {
      this.#unlink(item);
    }
    item.older = this.#newest;
    if (this.#newest) {
      this.#newest.newer = item;
    } else {
      this.#oldest = item;
    }
    this.#newest = item;
    this.#size += 1;
    this.#evictBeyondMax();
  }

  /** Takes `item` out of the list, if it is in it, without evicting it. */
  delete(item: T): void {
    if (this.#has(item)) {
      this.#unlink(item);
    }
  }

  #has(item: T): boolean {
    return item.newer !== undefined || item === this.#newest;
  }

  #unlink(item: T) {
    const { newer, older } = item;
    if (newer) {
      newer.older = older;
    } else {
      this.#newest = older;
    }
    if (older) {
      older.newer = newer;
    } else {
      this.#oldest = newer;
    }
    item.newer = undefined;
    item.older = undefined;
    this.#size -= 1;
  }

  #evictBeyondMax() {
    while (this.#size > this.#max && this.#oldest) {
      const oldest = this.#oldest;
      this.#unlink(oldest);
      this.#onEvict(oldest);
    }
  }
}
