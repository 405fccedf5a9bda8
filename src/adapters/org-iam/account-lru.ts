/**
 * A least-recently-used map with a fixed number of entries: the organization adapter keeps one per-account IAM
 * reader (client + caches) per entry, so the bound on entries × the measured memory per cached account
 * (`npm run bench:pipeline`, org scale) is the bound on the container's memory for IAM facts.
 */
export class AccountLru<V> {
  private readonly entries = new Map<string, V>();
  evictions = 0;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`maxEntries must be ≥ 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key`, created by `create()` if absent; either way it becomes the most recently used. */
  getOrCreate(key: string, create: () => V): V {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing;
    }
    const value = create();
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
      this.evictions += 1;
    }
    return value;
  }
}

/** Memory assumed per cached account when sizing the LRU: 3× the ~37 KiB measured by the org-scale bench. */
export const ASSUMED_BYTES_PER_CACHED_ACCOUNT = 128 * 1024;
/** Share of the function's memory the per-account caches may use. */
const CACHE_SHARE_OF_MEMORY = 0.25;

/** How many accounts fit in a quarter of `memoryMb` (Lambda's AWS_LAMBDA_FUNCTION_MEMORY_SIZE), at least 16. */
export function accountsForMemory(memoryMb: number): number {
  return Math.max(16, Math.floor((memoryMb * 1024 * 1024 * CACHE_SHARE_OF_MEMORY) / ASSUMED_BYTES_PER_CACHED_ACCOUNT));
}
