/**
 * The one wildcard matcher of the engine (`*` any run, `?` one code point), for StringLike, ArnLike, Action, Resource
 * and lint. Every pattern and value may be chosen by an attacker (a trust condition is policy text, a session name is
 * request text), so it never backtracks: the classic greedy two-pointer scan that, on a mismatch, resumes after the
 * last `*` only. That is O(pattern × value) at worst and linear in practice; a backtracking regular expression of
 * `*-*-*-*-ops` against 64 characters took 55 s (issue 9).
 *
 * Patterns are compiled once (cached by pattern text) to code-point arrays, `**` collapsed, with literal fast paths
 * (exact, `prefix*`, `*suffix`, `*infix*`). Matching allocates nothing, except for values outside the BMP (rare).
 * Every step of the general scan is charged to the diagnosis's work budget (./work-budget).
 */
import { BoundedCache } from './condition-cache';
import { LITERAL_QUESTION, LITERAL_STAR } from './variables';
import { chargeWork } from './work-budget';

const STAR = -1;
const ANY = -2;

export type CompiledGlob =
  | { kind: 'any' }
  | { kind: 'exact'; text: string }
  | { kind: 'prefix'; text: string }
  | { kind: 'suffix'; text: string }
  | { kind: 'infix'; text: string }
  | { kind: 'general'; codes: Int32Array; minLength: number };

const MATCH_ANY: CompiledGlob = { kind: 'any' };

/** The literal characters of compiled codes, leaving out the stars at either end. */
function literalOf(codes: number[]): string {
  let out = '';
  for (const c of codes) if (c >= 0) out += String.fromCodePoint(c);
  return out;
}

function isPlainText(pattern: string): boolean {
  return !(
    pattern.includes('*') ||
    pattern.includes('?') ||
    pattern.includes(LITERAL_STAR) ||
    pattern.includes(LITERAL_QUESTION)
  );
}

/** `?` or an escaped literal star / question mark anywhere in the pattern. */
function hasOtherSpecial(pattern: string): boolean {
  return pattern.includes('?') || pattern.includes(LITERAL_STAR) || pattern.includes(LITERAL_QUESTION);
}

export function compileGlob(pattern: string): CompiledGlob {
  // Most Action and Resource patterns are plain text: no need to walk their code points.
  if (isPlainText(pattern)) return { kind: 'exact', text: pattern };
  // The next most common, `service:Prefix*` and `arn:…/*`: one star, at the end, and nothing else special. The walk
  // below gives exactly this (its literal is the code points before the star, i.e. the same UTF-16 text).
  const end = pattern.length - 1;
  if (end > 0 && pattern.indexOf('*') === end && !hasOtherSpecial(pattern))
    return { kind: 'prefix', text: pattern.slice(0, end) };
  const codes: number[] = [];
  let stars = 0;
  let anys = 0;
  for (const ch of pattern) {
    if (ch === '*') {
      if (codes[codes.length - 1] !== STAR) codes.push(STAR); // `**` matches exactly what `*` matches
      stars++;
    } else if (ch === '?') {
      codes.push(ANY);
      anys++;
    } else codes.push((ch === LITERAL_STAR ? '*' : ch === LITERAL_QUESTION ? '?' : ch).codePointAt(0) as number);
  }
  if (stars === 0 && anys === 0) return { kind: 'exact', text: literalOf(codes) };
  if (codes.length === 1 && codes[0] === STAR) return MATCH_ANY;
  const starCount = codes.filter((c) => c === STAR).length;
  const first = codes[0];
  const last = codes[codes.length - 1];
  if (anys === 0 && starCount === 1 && last === STAR) return { kind: 'prefix', text: literalOf(codes) };
  if (anys === 0 && starCount === 1 && first === STAR) return { kind: 'suffix', text: literalOf(codes) };
  if (anys === 0 && starCount === 2 && first === STAR && last === STAR)
    return { kind: 'infix', text: literalOf(codes) };
  return { kind: 'general', codes: Int32Array.from(codes), minLength: codes.length - starCount };
}

/** True when the string holds no surrogate pair, so that UTF-16 units are code points. */
function isBmp(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) return false;
  }
  return true;
}

let scratch = new Int32Array(256);

function codePointsOf(value: string): { codes: Int32Array; length: number } {
  if (scratch.length < value.length) scratch = new Int32Array(value.length * 2);
  let n = 0;
  for (const ch of value) scratch[n++] = ch.codePointAt(0) as number;
  return { codes: scratch, length: n };
}

/** Greedy scan with backtrack-to-last-star over the value's code points (`v`), or its UTF-16 units when all are BMP. */
function matchGeneral(p: Int32Array, value: string, v: Int32Array | null, n: number): boolean {
  const m = p.length;
  let pi = 0;
  let vi = 0;
  let starPi = -1;
  let starVi = 0;
  let steps = 0;
  while (vi < n) {
    steps++;
    const c = v ? v[vi] : value.charCodeAt(vi);
    const pc = pi < m ? p[pi] : 0;
    if (pi < m && (pc === ANY || pc === c)) {
      pi++;
      vi++;
    } else if (pi < m && pc === STAR) {
      starPi = pi++;
      starVi = vi;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      vi = ++starVi;
    } else {
      chargeWork(steps);
      return false;
    }
  }
  while (pi < m && p[pi] === STAR) pi++;
  chargeWork(steps);
  return pi === m;
}

export function matchCompiledGlob(compiled: CompiledGlob, value: string): boolean {
  switch (compiled.kind) {
    case 'any':
      return true;
    case 'exact':
      return compiled.text === value;
    case 'prefix':
      return value.startsWith(compiled.text);
    case 'suffix':
      return value.endsWith(compiled.text);
    case 'infix':
      return value.includes(compiled.text);
    case 'general': {
      if (value.length < compiled.minLength) return false;
      if (isBmp(value)) return matchGeneral(compiled.codes, value, null, value.length);
      const { codes, length } = codePointsOf(value);
      return matchGeneral(compiled.codes, value, codes, length);
    }
  }
}

const globs = new BoundedCache<CompiledGlob>();

/** Case-sensitive `*`/`?` wildcard match of the whole value (LITERAL_STAR / LITERAL_QUESTION stand for themselves). */
export function globMatch(pattern: string, value: string): boolean {
  return matchCompiledGlob(globs.get(pattern, compileGlob), value);
}

const lowerGlobs = new BoundedCache<CompiledGlob>();

/** Case-insensitive variant (actions): the pattern is lower-cased once, at compile time. */
export function globMatchIgnoreCase(pattern: string, value: string): boolean {
  const compiled = lowerGlobs.get(pattern, (p) => compileGlob(p.toLowerCase()));
  return compiled.kind === 'any' || matchCompiledGlob(compiled, value.toLowerCase());
}
