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
 * Work is capped for accounts with thousands of roles (this runs for every "role not found" denial): the
 * candidate list is indexed once (lower-case forms, by length; cached per list object, and listRoleNames returns
 * the same array each time), the search deepens from one edit and stops as soon as something is found, and each
 * candidate is first screened by length and by a linear-time lower bound before the quadratic distance runs.
 */
export function findClosestRoleNames(target: string, candidates: readonly string[], max = 3): string[] {
  if (max <= 0 || target === '') return [];
  const index = indexOf(candidates);
  const t = target.toLowerCase();
  // Typos are a few edits; a tighter limit for long names also keeps the scan cheap.
  const cap = Math.min(4, Math.max(2, Math.floor(t.length / 3)));
  const scores = new Map<number, number>();
  for (const i of index.byLower.get(t) ?? []) if (index.names[i] !== target) scores.set(i, -1);

  // Two edits first; a case-only or one-edit match makes the answer near-certain, so nothing farther is offered.
  const search = new Search(index, t);
  let distances = search.within(Math.min(2, cap));
  let nearCertain = scores.size > 0;
  for (const d of distances.values()) if (d <= 1) nearCertain = true;
  if (!nearCertain && cap > 2) distances = search.within(cap);
  for (const [i, d] of distances) if (!scores.has(i)) scores.set(i, d - affixBonus(t, index.lower[i]));

  if (t.length >= 4) {
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

interface CandidateIndex {
  names: readonly string[];
  lower: string[];
  byLower: Map<string, number[]>;
  byLength: Map<number, number[]>;
  /** Which character classes each name contains (see signature()). */
  signatures: Int32Array;
  /** All lower-case names joined by "\n", with each name's start offset: one indexOf scan finds containment. */
  joined: string;
  starts: Int32Array;
}

const indexes = new WeakMap<readonly string[], CandidateIndex>();

function indexOf(names: readonly string[]): CandidateIndex {
  let index = indexes.get(names);
  if (index) return index;
  const lower = names.map((n) => n.toLowerCase());
  const byLower = new Map<string, number[]>();
  const byLength = new Map<number, number[]>();
  const signatures = new Int32Array(lower.length);
  const starts = new Int32Array(lower.length);
  let offset = 0;
  for (let i = 0; i < lower.length; i++) {
    const l = lower[i];
    let sameName = byLower.get(l);
    if (!sameName) {
      sameName = [];
      byLower.set(l, sameName);
    }
    sameName.push(i);
    let sameLength = byLength.get(l.length);
    if (!sameLength) {
      sameLength = [];
      byLength.set(l.length, sameLength);
    }
    sameLength.push(i);
    signatures[i] = signature(l);
    starts[i] = offset;
    offset += l.length + 1;
  }
  index = { names, lower, byLower, byLength, signatures, joined: lower.join('\n'), starts };
  // Only frozen lists are cached: a caller's mutable array could change under the cache.
  if (Object.isFrozen(names)) indexes.set(names, index);
  return index;
}

/**
 * A 32-bit set of the character classes in a name (a–z one bit each, digits and other characters share the rest).
 * One edit changes at most two bits, so popcount(a ^ b) / 2 is a lower bound of the edit distance: a test of a
 * few instructions that rules out most names of a large account before anything else runs.
 */
function signature(s: string): number {
  let sig = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const bit = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + ((c - 48) % 5) : 31;
    sig |= 1 << bit;
  }
  return sig;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const MAX_CONTAINING = 32;

/** Names (at least 4 characters) that contain the target or are contained in it. */
function containing(index: CandidateIndex, t: string): Set<number> {
  const out = new Set<number>();
  // Names containing t: scan the joined list once, map each hit back to its name by binary search.
  // Bounded: in an account of numbered roles (app-role-1 … app-role-1999) a short target is inside hundreds of
  // names; containment matches rank last, so the first few dozen are plenty to fill the remaining suggestions.
  for (let at = index.joined.indexOf(t); at >= 0 && out.size < MAX_CONTAINING; at = index.joined.indexOf(t, at + 1)) {
    let lo = 0;
    let hi = index.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (index.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    if (index.lower[lo].length > t.length) out.add(lo);
  }
  // Names contained in t: look up each substring of t whose length some name has (role names are ≤ 64 chars).
  for (let len = 4; len < t.length; len++) {
    if (!index.byLength.has(len)) continue;
    for (let start = 0; start + len <= t.length; start++) {
      for (const i of index.byLower.get(t.slice(start, start + len)) ?? []) out.add(i);
    }
  }
  return out;
}

/** Distance searches for one target over one index, sharing scratch buffers. */
class Search {
  private readonly buffers: DistanceBuffers;
  private readonly targetBag: Int32Array;
  private readonly targetSignature: number;
  /** Bag slots taken from the target's bag while screening one candidate (role names are at most 64 characters). */
  private readonly touched = new Int32Array(256);

  constructor(
    private readonly index: CandidateIndex,
    private readonly t: string,
  ) {
    this.buffers = new DistanceBuffers(t.length);
    this.targetBag = letterCounts(t);
    this.targetSignature = signature(t);
  }

  /** Candidates (other than case-only twins) within `limit` edits, with their distance. */
  within(limit: number): Map<number, number> {
    const out = new Map<number, number>();
    const { t, index } = this;
    for (let len = Math.max(1, t.length - limit); len <= t.length + limit; len++) {
      for (const i of index.byLength.get(len) ?? []) {
        if (popcount(index.signatures[i] ^ this.targetSignature) > 2 * limit) continue;
        const c = index.lower[i];
        if (c === t || bagDistance(this.targetBag, t.length, c, this.touched) > limit) continue;
        const d = boundedDistance(t, c, limit, this.buffers);
        if (d <= limit) out.set(i, d);
      }
    }
    return out;
  }
}

const BAG_SIZE = 128;

function letterCounts(s: string): Int32Array {
  const bag = new Int32Array(BAG_SIZE);
  for (let i = 0; i < s.length; i++) bag[s.charCodeAt(i) & (BAG_SIZE - 1)]++;
  return bag;
}

/**
 * Bag distance: how many characters one string has that the other lacks (the larger of the two sides). Every
 * edit changes it by at most one, so it is a lower bound of the edit distance, computed in linear time; it rules
 * out most of a large account's names before the quadratic distance runs. (Non-ASCII characters share buckets,
 * which can only lower the bound, so it stays a valid lower bound.)
 */
function bagDistance(targetBag: Int32Array, targetLength: number, candidate: string, touched: Int32Array): number {
  // Consume the target's bag in place and put back exactly what was taken: copying the whole 128-slot bag for each
  // of thousands of candidates cost more than the comparison itself.
  const slots = candidate.length <= touched.length ? touched : new Int32Array(candidate.length);
  let missingFromTarget = 0;
  let taken = 0;
  for (let i = 0; i < candidate.length; i++) {
    const k = candidate.charCodeAt(i) & (BAG_SIZE - 1);
    if (targetBag[k] > 0) {
      targetBag[k]--;
      slots[taken++] = k;
    } else missingFromTarget++;
  }
  for (let j = 0; j < taken; j++) targetBag[slots[j]]++;
  // What the candidate did not take are target characters it lacks.
  const missingFromCandidate = missingFromTarget + targetLength - candidate.length;
  return Math.max(missingFromTarget, missingFromCandidate);
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
