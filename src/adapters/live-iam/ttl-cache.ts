/** Milliseconds since the epoch; injectable so tests can move time without sleeping. */
export type Clock = () => number;

interface Entry<V> {
  promise: Promise<V>;
  /** Undefined while the load is in flight: an in-flight entry never expires, it settles. */
  expiresAt?: number;
}

/**
 * A per-container cache of IAM lookups with a time-to-live and in-flight de-duplication: concurrent `get`s of the
 * same key share one promise, so a burst of identical events costs one IAM call, not one per event. A load that
 * rejects is dropped at once (a throttled read must be retried, never remembered). The size bound evicts the
 * oldest-inserted entries; with a 5-minute TTL that is close enough to LRU for a Lambda container.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock = Date.now,
    private readonly maxEntries = 5000,
  ) {}

  /** The cached or in-flight value for `key`, or the result of `load()` (which then becomes the cached value). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const existing = this.entries.get(key);
    if (existing && (existing.expiresAt === undefined || existing.expiresAt > now)) return existing.promise;
    if (existing) this.entries.delete(key);

    const entry: Entry<V> = { promise: load() };
    entry.promise.then(
      () => {
        if (this.entries.get(key) === entry) entry.expiresAt = this.clock() + this.ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    this.entries.set(key, entry);
    this.evictOverflow();
    return entry.promise;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private evictOverflow(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
