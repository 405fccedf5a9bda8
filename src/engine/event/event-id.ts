import { createHash } from 'node:crypto';

/**
 * A stable id for a CloudTrail record that has none. A trimmed record (as AWS documentation prints them) carries no
 * eventID; the pipeline still needs one to count every occurrence exactly once, and the CLI to name the finding.
 * The id is a hash of the record's canonical content (keys sorted at every level), so the same record, whatever its
 * key order or envelope, always gets the same id, and two records that differ in any value get different ones.
 */
export const DERIVED_EVENT_ID_PREFIX = 'derived-';

/** A piece of output already serialized, queued between the values still to visit. */
class Literal {
  constructor(readonly text: string) {}
}

/**
 * SHA-256 over the canonical JSON of `value`, hex, first 32 characters (128 bits). Iterative, so that a hostile,
 * deeply nested record cannot overflow the stack.
 */
export function canonicalContentHash(value: unknown): string {
  const hash = createHash('sha256');
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Literal) {
      hash.update(item.text);
    } else if (Array.isArray(item)) {
      hash.update('[');
      pending.push(new Literal(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        pending.push(item[i] === undefined ? null : item[i]);
        if (i > 0) pending.push(new Literal(','));
      }
    } else if (item !== null && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      hash.update('{');
      pending.push(new Literal('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        pending.push(record[keys[i]]);
        pending.push(new Literal(`${JSON.stringify(keys[i])}:`));
        if (i > 0) pending.push(new Literal(','));
      }
    } else {
      hash.update(JSON.stringify(item) ?? 'null');
    }
  }
  return hash.digest('hex').slice(0, 32);
}

export function derivedEventId(record: unknown): string {
  return `${DERIVED_EVENT_ID_PREFIX}${canonicalContentHash(record)}`;
}
