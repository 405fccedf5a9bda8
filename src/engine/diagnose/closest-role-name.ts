import { RoleNameIndex } from './role-name-index';

/**
 * Near-name suggestions for a role that does not exist ("did you mean …?").
 *
 * Ranking, most likely typo first:
 *  1. names that differ only in case — AssumeRole matches role names case-sensitively, while IAM refuses two
 *     names differing only in case, so a case-only difference is almost certainly the mistake;
 *  2. then by Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 *     adjacent characters), compared case-insensitively, with a small bonus for a shared prefix or suffix;
 *  3. names that contain the target (or are contained in it) rank after close edits.
 * When a case-only match or a one-edit match exists, names more than two edits away are not offered: next to a
 * near-certain answer they are noise.
 *
 * This runs for every "role not found" denial, in accounts of tens of thousands of roles: the listing is indexed
 * once (RoleNameIndex, a trie and trigram postings; cached per frozen list object, and listRoleNames returns the
 * same frozen array each time), so a search costs about the same whatever the number of roles. Pass a
 * RoleNameIndex instead of the list to reuse one explicitly.
 */
export function findClosestRoleNames(target: string, candidates: readonly string[] | RoleNameIndex, max = 3): string[] {
  if (max <= 0 || target === '') return [];
  const index = candidates instanceof RoleNameIndex ? candidates : indexOf(candidates);
  const t = target.toLowerCase();
  // Typos are a few edits; a tighter limit for long names also keeps the search cheap.
  const cap = Math.min(4, Math.max(2, Math.floor(t.length / 3)));
  const scores = new Map<number, number>();
  for (const i of index.byLower.get(t) ?? []) if (index.names[i] !== target) scores.set(i, -1);

  // Two edits first; a case-only or one-edit match makes the answer near-certain, so nothing farther is offered.
  const within = (limit: number) => (index.reusable ? index.within(t, limit) : scanWithin(index.lower, t, limit));
  let distances = within(Math.min(2, cap));
  let nearCertain = scores.size > 0;
  for (const d of distances.values()) if (d <= 1) nearCertain = true;
  if (!nearCertain && cap > 2) distances = within(cap);
  for (const [i, d] of distances) if (!scores.has(i)) scores.set(i, d - affixBonus(t, index.lower[i]));

  // A containing name scores at least cap, so when `max` names already score below it, none can make the cut.
  let belowCap = 0;
  for (const score of scores.values()) if (score < cap) belowCap++;
  if (t.length >= 4 && belowCap < max) {
    for (const i of containing(index, t)) {
      if (!scores.has(i) && index.names[i] !== target) scores.set(i, cap + 0.5 - affixBonus(t, index.lower[i]));
    }
  }

  const ranked = [...scores.entries()].map(([i, score]) => ({ name: index.names[i], score }));
  ranked.sort(
    (a, b) =>
      a.score - b.score ||
      Math.abs(a.name.length - target.length) - Math.abs(b.name.length - target.length) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return ranked.slice(0, max).map((s) => s.name);
}

/** One search of a list that cannot be cached: a scan costs less than building the trie. Same answers. */
function scanWithin(lower: readonly string[], t: string, limit: number): Map<number, number> {
  const out = new Map<number, number>();
  const buffers = new DistanceBuffers(t.length);
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i];
    if (c === t || Math.abs(c.length - t.length) > limit) continue;
    const d = boundedDistance(t, c, limit, buffers);
    if (d <= limit) out.set(i, d);
  }
  return out;
}

const indexes = new WeakMap<readonly string[], RoleNameIndex>();

function indexOf(names: readonly string[]): RoleNameIndex {
  let index = indexes.get(names);
  if (index) return index;
  // Only frozen lists are cached: a caller's mutable array could change under the cache.
  const reusable = Object.isFrozen(names);
  index = new RoleNameIndex(names, reusable);
  if (reusable) indexes.set(names, index);
  return index;
}

/**
 * Bounded: in an account of numbered roles (app-role-1 … app-role-1999) a short target is inside hundreds of
 * names; containment matches rank last, so the first few dozen (in listing order) are plenty to fill the
 * remaining suggestions.
 */
const MAX_CONTAINING = 32;

/** Names (at least 4 characters) that contain the target or are contained in it. */
function containing(index: RoleNameIndex, t: string): Set<number> {
  const out = new Set<number>(index.containing(t, MAX_CONTAINING));
  for (const i of index.containedIn(t, 4)) out.add(i);
  return out;
}

/** A shared start or end of at least 3 characters makes a near name more likely to be the intended one. */
function affixBonus(a: string, b: string): number {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length && suffix < b.length && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return (prefix >= 3 ? 0.3 : 0) + (suffix >= 3 ? 0.2 : 0);
}

/** Three reusable rows, so scanning thousands of candidates allocates nothing per candidate. */
export class DistanceBuffers {
  prevPrev: Int32Array;
  prev: Int32Array;
  cur: Int32Array;

  constructor(length: number) {
    // One spare cell past the end: the band's right boundary is written there.
    this.prevPrev = new Int32Array(length + 2);
    this.prev = new Int32Array(length + 2);
    this.cur = new Int32Array(length + 2);
  }
}

/**
 * Optimal-string-alignment distance between a and b, or limit + 1 when it exceeds the limit. Only the diagonal
 * band |i - j| <= limit is computed (cells outside it are already over the limit), and the computation stops as
 * soon as a whole row is over the limit. Hot loop: no allocation, no Math.min, rows rotated by hand.
 */
export function boundedDistance(a: string, b: string, limit: number, buffers = new DistanceBuffers(a.length)): number {
  const n = a.length;
  const m = b.length;
  const over = limit + 1;
  if (Math.abs(n - m) > limit) return over;
  const rows = buffers.prev.length < n + 2 ? new DistanceBuffers(n) : buffers;
  let prevPrev = rows.prevPrev;
  let prev = rows.prev;
  let cur = rows.cur;
  for (let j = 0; j <= n; j++) prev[j] = j <= limit ? j : over;
  prev[n + 1] = over;
  let prevB = -1;
  for (let i = 1; i <= m; i++) {
    const bc = b.charCodeAt(i - 1);
    const lo = Math.max(i - limit, 1);
    const hi = Math.min(i + limit, n);
    cur[lo - 1] = lo === 1 ? (i <= limit ? i : over) : over;
    let rowMin = cur[lo - 1];
    let prevA = lo >= 2 ? a.charCodeAt(lo - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const ac = a.charCodeAt(j - 1);
      let v = prev[j - 1] + (ac === bc ? 0 : 1);
      const del = prev[j] + 1;
      if (del < v) v = del;
      const ins = cur[j - 1] + 1;
      if (ins < v) v = ins;
      if (ac === prevB && prevA === bc) {
        const swap = prevPrev[j - 2] + 1;
        if (swap < v) v = swap;
      }
      if (v > over) v = over;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
      prevA = ac;
    }
    cur[hi + 1] = over;
    if (rowMin > limit) return over;
    const spare = prevPrev;
    prevPrev = prev;
    prev = cur;
    cur = spare;
    prevB = bc;
  }
  return prev[n] > limit ? over : prev[n];
}
