/**
 * Near-name suggestions for a role that does not exist ("did you mean …?").
 *
 * Ranking, most likely typo first:
 *  1. names that differ only in case — AssumeRole matches role names case-sensitively, while IAM refuses two
 *     names differing only in case, so a case-only difference is almost certainly the mistake;
 *  2. then by Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 *     adjacent characters), compared case-insensitively, with a small bonus for a shared prefix or suffix;
 *  3. names that contain the target (or are contained in it) rank after close edits.
 * Work is capped for accounts with thousands of roles: candidates whose length alone rules them out are skipped
 * without computing a distance, and the distance computation stops as soon as it exceeds the limit.
 */
export function findClosestRoleNames(target: string, candidates: string[], max = 3): string[] {
  if (max <= 0 || target === '') return [];
  const t = target.toLowerCase();
  // Typos are a few edits; a tighter limit for long names also keeps the scan cheap.
  const limit = Math.min(4, Math.max(2, Math.floor(t.length / 3)));
  const scored: Array<{ name: string; score: number }> = [];
  const buffers = new DistanceBuffers(t.length);
  const targetBag = letterCounts(t);
  const scratchBag = new Int32Array(BAG_SIZE);

  for (const name of candidates) {
    if (name === target) continue;
    const c = name.toLowerCase();
    if (c === t) {
      scored.push({ name, score: -1 });
      continue;
    }
    const contains = t.length >= 4 && c.length >= 4 && (c.includes(t) || t.includes(c));
    let score = Number.POSITIVE_INFINITY;
    if (Math.abs(c.length - t.length) <= limit && bagDistance(targetBag, t.length, c, scratchBag) <= limit) {
      const d = boundedDistance(t, c, limit, buffers);
      if (d <= limit) score = d - affixBonus(t, c);
    }
    if (contains) score = Math.min(score, limit + 0.5 - affixBonus(t, c));
    if (score !== Number.POSITIVE_INFINITY) scored.push({ name, score });
  }

  scored.sort(
    (a, b) =>
      a.score - b.score ||
      Math.abs(a.name.length - target.length) - Math.abs(b.name.length - target.length) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return scored.slice(0, max).map((s) => s.name);
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
function bagDistance(targetBag: Int32Array, targetLength: number, candidate: string, scratch: Int32Array): number {
  scratch.set(targetBag);
  let missingFromTarget = 0;
  for (let i = 0; i < candidate.length; i++) {
    const k = candidate.charCodeAt(i) & (BAG_SIZE - 1);
    if (scratch[k] > 0) scratch[k]--;
    else missingFromTarget++;
  }
  // What is left in scratch are target characters the candidate lacks.
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
    this.prevPrev = new Int32Array(length + 1);
    this.prev = new Int32Array(length + 1);
    this.cur = new Int32Array(length + 1);
  }
}

/**
 * Optimal-string-alignment distance between a and b, or limit + 1 as soon as every cell of a row exceeds the
 * limit (the distance can only grow from there). Hot loop: no allocation, no Math.min, rows rotated by hand.
 */
export function boundedDistance(a: string, b: string, limit: number, buffers = new DistanceBuffers(a.length)): number {
  const n = a.length;
  if (buffers.prev.length < n + 1) buffers = new DistanceBuffers(n);
  let prevPrev = buffers.prevPrev;
  let prev = buffers.prev;
  let cur = buffers.cur;
  for (let j = 0; j <= n; j++) prev[j] = j;
  let prevB = -1;
  for (let i = 1; i <= b.length; i++) {
    const bc = b.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    let prevA = -1;
    for (let j = 1; j <= n; j++) {
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
      cur[j] = v;
      if (v < rowMin) rowMin = v;
      prevA = ac;
    }
    if (rowMin > limit) return limit + 1;
    const spare = prevPrev;
    prevPrev = prev;
    prev = cur;
    cur = spare;
    prevB = bc;
  }
  return prev[n];
}
