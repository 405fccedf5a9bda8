/**
 * A memo table for things the condition evaluator derives from policy text (compiled globs, parsed CIDRs, parsed
 * dates, parsed operator names). Policy text repeats across thousands of diagnoses, so each derivation is done once.
 *
 * It is bounded because some keys are built per request (a glob after `${aws:username}` substitution differs per
 * user): in a long-lived Lambda container an unbounded Map would grow with every distinct caller. When the bound is
 * reached the table is simply cleared; re-deriving is cheap, and the common policy text refills it at once.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: string, derive: (key: string) => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) return hit as V;
    const value = derive(key);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
