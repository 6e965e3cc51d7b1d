/**
 * @module util/ttl-cache
 * Values remembered for a short time, bounded in number. Time is a parameter (the caller's clock), and
 * an entry is valid only from the moment it was set until `ttlMs` later — a clock that jumps back does
 * not make old entries live again.
 */
export class TtlCache<V> {
  private readonly map = new Map<string, { until: number; value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  /** The value set for `key` within the last ttlMs before `now`, if any. */
  get(key: string, now: number): V | undefined {
    const hit = this.map.get(key);
    return hit && now < hit.until && now >= hit.until - this.ttlMs ? hit.value : undefined;
  }

  set(key: string, value: V, now: number): void {
    // the oldest entry makes room (a Map iterates in insertion order)
    if (!this.map.has(key) && this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { until: now + this.ttlMs, value });
  }

  /** Forgets `key`, or only the given value of it (a later set is kept). */
  delete(key: string, only?: V): void {
    if (only === undefined || this.map.get(key)?.value === only) this.map.delete(key);
  }
}
