/**
 * @module util/lru-cache
 * A bounded get-or-make cache: the least recently used entry goes when a new one would exceed `max`.
 * For state worth keeping per key (parsed keys, hash states), never for answers that must be fresh.
 */
export class LruCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The value for `key`, made (and kept) by `make` when absent. */
  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v !== undefined) {
      // a Map iterates in insertion order: re-inserting makes this the most recently used
      this.map.delete(key);
      this.map.set(key, v);
      return v;
    }
    v = make();
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return v;
  }

  clear(): void {
    this.map.clear();
  }
}
