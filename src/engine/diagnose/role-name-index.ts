/**
 * An index over one role listing for near-name search ("did you mean …?"), built once per listing and then
 * queried for every ROLE_NOT_FOUND denial. Queries cost about the same at 500 roles as at 20,000.
 *
 * Why a trie and not a BK-tree, SymSpell or n-grams:
 *  - the distance is optimal string alignment (edits plus adjacent swaps), which is not a metric (OSA("ca","abc")
 *    = 3 > OSA("ca","ac") + OSA("ac","abc") = 2): a BK-tree's triangle-inequality pruning would lose true matches,
 *    and at the 4-edit limit long names use, a BK-tree visits most of its nodes anyway;
 *  - SymSpell stores every deletion variant: C(L, ≤4) keys per 20-character name, ~6,000 per name, far too much;
 *  - real role names share most of their n-grams (team-app-role-N): postings lists of "rol", "-ro" hold nearly
 *    every name, so an n-gram filter scans as much as the names themselves, and the q-gram count bound is empty
 *    for 12-character names at 4 edits.
 *  - a trie computes one row of the distance table per trie node, so names sharing a prefix share its rows, and a
 *    prefix already more than `limit` edits from every prefix of the target prunes its whole subtree. The work is
 *    bounded by the trie nodes within `limit` edits of the target's prefixes, which stops growing with the number
 *    of names. The trie is kept implicit: the lower-case names sorted, with each one's common-prefix length with
 *    its predecessor; a pruned subtree is skipped by following next-smaller-lcp links to the end of its range.
 * Containment ("names containing the target") uses trigram postings: only names holding the target's rarest
 * trigram are checked, in listing order, so the bounded answer is the same first names a linear scan would find.
 * Nothing here uses regular expressions: role names in events are chosen by the caller.
 */
export class RoleNameIndex {
  readonly names: readonly string[];
  readonly lower: readonly string[];
  /** Names by lower-case form (case-only twins share an entry). */
  readonly byLower = new Map<string, number[]>();
  /** Lengths some name has. */
  readonly lengths = new Set<number>();
  private readonly maxLength: number;
  /** The implicit trie, built on the first distance search. */
  private trie: Trie | undefined;
  /** Rolling hash of a lower-case name → the distinct lower-case names with that hash; built on first use. */
  private byHash: Map<number, string[]> | undefined;
  /** Rolling hashes of the names' first `length` characters (names at least that long); built on first use. */
  private heads: { length: number; hashes: Set<number> } | undefined;
  /** Trigram key → indexes of the names holding it, ascending, each name once; built on first use. */
  private trigrams: Map<number, number[]> | undefined;

  /**
   * `reusable`: the index will serve many searches (a cached listing). For one search of a list that cannot be
   * cached, scans cost less than building the trie and postings: callers then scan (see findClosestRoleNames),
   * and containing() scans.
   */
  constructor(
    names: readonly string[],
    readonly reusable = true,
  ) {
    this.names = names;
    const lower = names.map((n) => n.toLowerCase());
    this.lower = lower;
    let maxLength = 0;
    for (let i = 0; i < lower.length; i++) {
      const l = lower[i];
      const same = this.byLower.get(l);
      if (same) same.push(i);
      else this.byLower.set(l, [i]);
      this.lengths.add(l.length);
      if (l.length > maxLength) maxLength = l.length;
    }
    this.maxLength = maxLength;
  }

  /**
   * Names whose lower-case form is within `limit` OSA edits of `t` (lower case) but not equal to it, with their
   * distance: the same set a scan with boundedDistance over every name gives.
   */
  within(t: string, limit: number): Map<number, number> {
    const out = new Map<number, number>();
    const n = t.length;
    const over = limit + 1;
    const width = n + 2;
    const tc = this.scratch(0, n + 1);
    tc[0] = -1;
    for (let j = 1; j <= n; j++) tc[j] = t.charCodeAt(j - 1);
    const maxRow = Math.min(this.maxLength, n + limit);
    // rows[d * width + j]: distance between the current name's first d characters and t's first j, clamped to
    // `over` (every value above the limit is stored as exactly `over`). Ukkonen's cut-off: row d computes only the
    // columns its predecessor's in-limit cells can reach (diagonal and deletion from [first, last] of row d - 1,
    // then a run of insertions); every other cell is above the limit. first[d] / last[d] (in `bounds`) are row d's
    // first and last in-limit columns, so a cell outside them reads as `over` without having been written. Every
    // cell a row reads was written earlier in this search, so a reused buffer needs no clearing.
    const rows = this.scratch(1, (maxRow + 2) * width);
    const bounds = this.scratch(2, 2 * (maxRow + 1));
    for (let j = 0; j <= n; j++) rows[j] = j <= limit ? j : over;
    rows[n + 1] = over;
    bounds[0] = 0;
    bounds[1] = Math.min(limit, n);
    this.trie ??= buildTrie(this.lower, this.byLower);
    const { sorted, lcp, codes, starts } = this.trie;
    const count = sorted.length;
    const lastRow = n + limit;
    let valid = 0;
    let k = 0;
    while (k < count) {
      const at = starts[k];
      const m = starts[k + 1] - at;
      // Rows past the next name's shared prefix serve only this name: not needed when its length rules it out.
      const shared = k + 1 < count ? lcp[k + 1] : 0;
      const fits = (m > n ? m - n : n - m) <= limit;
      const end = fits ? m : Math.min(shared, m);
      let d = Math.min(lcp[k], valid) + 1;
      let pruned = false;
      for (; d <= end; d++) {
        if (d > lastRow) {
          pruned = true;
          break;
        }
        const cur = d * width;
        const prev = cur - width;
        const sc = codes[at + d - 1];
        const prevS = d >= 2 ? codes[at + d - 2] : -1;
        const prevFirst = bounds[2 * d - 2];
        const prevLast = bounds[2 * d - 1];
        // Two rows up, for the swap: its in-limit columns (none for row -1).
        const swapFirst = d >= 2 ? bounds[2 * d - 4] : 1;
        const swapLast = d >= 2 ? bounds[2 * d - 3] : 0;
        const lo = Math.max(prevFirst, d - limit, 1);
        const diagonalEnd = Math.min(prevLast + 1, n);
        // Column lo - 1 is read by this row's first insertion and the next row's first diagonal.
        const left = lo === 1 ? (d <= limit ? d : over) : over;
        rows[cur + lo - 1] = left;
        let first = left <= limit ? lo - 1 : -1;
        let last = first;
        let j = lo;
        for (; j <= diagonalEnd; j++) {
          const c = tc[j];
          let v = rows[prev + j - 1] + (c === sc ? 0 : 1);
          const del = rows[prev + j] + 1;
          if (del < v) v = del;
          const ins = rows[cur + j - 1] + 1;
          if (ins < v) v = ins;
          if (c === prevS && tc[j - 1] === sc && j >= 2 && j - 2 >= swapFirst && j - 2 <= swapLast) {
            const swap = rows[prev - width + j - 2] + 1;
            if (swap < v) v = swap;
          }
          if (v > over) v = over;
          rows[cur + j] = v;
          if (v <= limit) {
            if (first < 0) first = j;
            last = j;
          }
        }
        // Past the diagonal's reach only insertions can stay within the limit.
        for (; j <= n && last === j - 1 && rows[cur + j - 1] < limit; j++) {
          rows[cur + j] = rows[cur + j - 1] + 1;
          last = j;
        }
        rows[cur + j] = over;
        if (first < 0) {
          pruned = true;
          break;
        }
        bounds[2 * d] = first;
        bounds[2 * d + 1] = last;
      }
      if (pruned) {
        valid = d - 1;
        k = this.endOfPrefix(k, d);
        continue;
      }
      valid = end;
      // A distance of 0 is the target itself (or its case-only twin), which is not a near name.
      if (fits && n >= bounds[2 * m] && n <= bounds[2 * m + 1]) {
        const dist = rows[m * width + n];
        if (dist > 0) out.set(sorted[k], dist);
      }
      k++;
    }
    return out;
  }

  /** Three buffers reused by every search of this index (a typed array allocation per search cost more than the search). */
  private readonly buffers: Int32Array[] = [new Int32Array(64), new Int32Array(2048), new Int32Array(128)];

  private scratch(which: 0 | 1 | 2, length: number): Int32Array {
    if (this.buffers[which].length < length) this.buffers[which] = new Int32Array(length * 2);
    return this.buffers[which];
  }

  /** Up to `max` names longer than `t` that contain it, in listing order. */
  containing(t: string, max: number): number[] {
    const out: number[] = [];
    if (!this.reusable || t.length < 3) {
      for (let i = 0; i < this.lower.length && out.length < max; i++)
        if (this.lower[i].length > t.length && this.lower[i].includes(t)) out.push(i);
      return out;
    }
    this.trigrams ??= trigramPostings(this.lower);
    let rarest: number[] | undefined;
    for (let k = 0; k + 3 <= t.length; k++) {
      const list = this.trigrams.get(trigramKey(t, k));
      if (!list) return [];
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    for (const i of rarest ?? []) {
      if (out.length >= max) break;
      const l = this.lower[i];
      if (l.length > t.length && l.includes(t)) out.push(i);
    }
    return out;
  }

  /**
   * Lower-case names of at least `minLength` characters, shorter than `t`, that occur in `t`: every substring of t
   * of a length some name has, looked up by a rolling hash (no substring is allocated), each hit checked in place.
   * A start whose first `minLength` characters begin no name is left at once: in a listing of team-app-role-N
   * names only a few starts in a target begin any name, where every start used to look up every length.
   */
  containedIn(t: string, minLength: number): number[] {
    const out: number[] = [];
    if (!this.reusable) {
      for (let len = minLength; len < t.length; len++) {
        if (!this.lengths.has(len)) continue;
        for (let start = 0; start + len <= t.length; start++)
          for (const i of this.byLower.get(t.slice(start, start + len)) ?? []) out.push(i);
      }
      return out;
    }
    this.byHash ??= hashNames(this.byLower);
    if (this.heads?.length !== minLength)
      this.heads = { length: minLength, hashes: hashHeads(this.byLower, minLength) };
    const heads = this.heads.hashes;
    for (let start = 0; start + minLength <= t.length; start++) {
      let h = HASH_SEED;
      for (let end = start; end < t.length; end++) {
        h = nextHash(h, t.charCodeAt(end));
        const len = end - start + 1;
        if (len === minLength && !heads.has(h)) break;
        if (len < minLength || len === t.length || !this.lengths.has(len)) continue;
        for (const l of this.byHash.get(h) ?? []) {
          if (l.length === len && t.startsWith(l, start)) for (const i of this.byLower.get(l) ?? []) out.push(i);
        }
      }
    }
    return out;
  }

  /**
   * The first sorted position after k whose name does not start with the current name's first d characters,
   * i.e. the first later position whose common-prefix length drops below d. Each jump skips a run whose lcp is at
   * least the current one (so at least d) and lands on a strictly smaller lcp: at most d jumps, and one small array
   * read per jump where a sparse table of range minimums (the previous way) read across a megabyte.
   */
  private endOfPrefix(k: number, d: number): number {
    const { lcp, nextSmaller } = this.trie as Trie;
    const count = lcp.length;
    let pos = k + 1;
    while (pos < count && lcp[pos] >= d) pos = nextSmaller[pos];
    return pos;
  }
}

interface Trie {
  /** Name indexes in lower-case order. */
  sorted: Int32Array;
  /** lcp[k]: common-prefix length of the names at sorted positions k-1 and k (0 for k = 0). */
  lcp: Int32Array;
  /** nextSmaller[k]: the first position after k whose lcp is smaller than lcp[k] (the count when there is none). */
  nextSmaller: Int32Array;
  /** The sorted lower-case names' character codes end to end: position k's are codes[starts[k] … starts[k+1]). */
  codes: Uint16Array;
  starts: Int32Array;
}

function buildTrie(lower: readonly string[], byLower: ReadonlyMap<string, readonly number[]>): Trie {
  // The default sort compares UTF-16 code units, as < does; case-only twins share a key and keep listing order.
  const order = [...byLower.keys()].sort().flatMap((l) => byLower.get(l) ?? []);
  const sorted = Int32Array.from(order);
  const lcp = new Int32Array(order.length);
  for (let k = 1; k < order.length; k++) lcp[k] = commonPrefix(lower[order[k - 1]], lower[order[k]]);
  const nextSmaller = new Int32Array(order.length).fill(order.length);
  const open: number[] = [];
  for (let k = 0; k < order.length; k++) {
    while (open.length > 0 && lcp[open[open.length - 1]] > lcp[k]) nextSmaller[open.pop() as number] = k;
    open.push(k);
  }
  const starts = new Int32Array(order.length + 1);
  for (let k = 0; k < order.length; k++) starts[k + 1] = starts[k] + lower[order[k]].length;
  const codes = new Uint16Array(starts[order.length]);
  for (let k = 0; k < order.length; k++) {
    const l = lower[order[k]];
    for (let c = 0; c < l.length; c++) codes[starts[k] + c] = l.charCodeAt(c);
  }
  return { sorted, lcp, nextSmaller, codes, starts };
}

function trigramPostings(lower: readonly string[]): Map<number, number[]> {
  const postings = new Map<number, number[]>();
  for (let i = 0; i < lower.length; i++) {
    const l = lower[i];
    for (let k = 0; k + 3 <= l.length; k++) {
      const key = trigramKey(l, k);
      const list = postings.get(key);
      if (!list) postings.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  }
  return postings;
}

/** A trigram as a small integer; non-ASCII characters fold together, which only adds candidates to check. */
function trigramKey(s: string, at: number): number {
  return ((s.charCodeAt(at) & 0x7f) << 14) | ((s.charCodeAt(at + 1) & 0x7f) << 7) | (s.charCodeAt(at + 2) & 0x7f);
}

const HASH_SEED = 0x811c9dc5;

/** FNV-1a over UTF-16 code units, one step. */
function nextHash(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

function hashNames(byLower: ReadonlyMap<string, number[]>): Map<number, string[]> {
  const byHash = new Map<number, string[]>();
  for (const l of byLower.keys()) {
    let h = HASH_SEED;
    for (let c = 0; c < l.length; c++) h = nextHash(h, l.charCodeAt(c));
    const same = byHash.get(h);
    if (same) same.push(l);
    else byHash.set(h, [l]);
  }
  return byHash;
}

function hashHeads(byLower: ReadonlyMap<string, number[]>, length: number): Set<number> {
  const heads = new Set<number>();
  for (const l of byLower.keys()) {
    if (l.length < length) continue;
    let h = HASH_SEED;
    for (let c = 0; c < length; c++) h = nextHash(h, l.charCodeAt(c));
    heads.add(h);
  }
  return heads;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
