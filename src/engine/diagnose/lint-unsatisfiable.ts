import { type ParsedOperator, parseConditionOperator } from '../eval/condition-operators';
import { parseDateValue, parseNumeric } from '../eval/condition-values';
import { globMatch, globMatchIgnoreCase } from '../eval/glob';
import { ipInRange, parseIpRange } from '../eval/ip-address';
import { toArray } from '../iam/policy-document';
import type { PolicyStatement } from '../iam/policy-types';
import type { LintNote } from './lint-trust-mistakes';
import { hasWildcard } from './policy-grammar';

/**
 * Condition blocks that can never be true, so the statement never applies (an Allow that admits no one, a Deny that
 * never fires). Every operator of a block must hold, for a single-valued key the same request value
 * ("Condition block": "all of them must be true"); the checks only use that, and skip anything they cannot decide:
 * set qualifiers (ForAllValues/ForAnyValue, which are true for an absent key or compare lists), IfExists (true when
 * the key is absent) and policy variables.
 */
interface Entry {
  operator: string;
  parsed: ParsedOperator;
  key: string;
  values: string[];
}

function entriesByKey(st: PolicyStatement): Map<string, Entry[]> {
  const byKey = new Map<string, Entry[]>();
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    const parsed = parseConditionOperator(operator);
    if (!parsed || parsed.setQualifier || parsed.ifExists) continue;
    for (const [key, raw] of Object.entries(block)) {
      const values = toArray(raw).map(String);
      if (values.some(hasVariable)) continue;
      const lower = key.toLowerCase();
      const entry = { operator, parsed, key, values };
      const known = byKey.get(lower);
      if (known) known.push(entry);
      else byKey.set(lower, [entry]);
    }
  }
  return byKey;
}

function hasVariable(v: string): boolean {
  return v.includes('${');
}

const block = (e: Entry) =>
  JSON.stringify({ [e.operator]: { [e.key]: e.values.length === 1 ? e.values[0] : e.values } });

function family(e: Entry): string {
  return e.parsed.base.kind === 'null' ? 'Null' : e.parsed.base.family;
}

function positive(e: Entry): boolean {
  return e.parsed.base.kind === 'comparison' && !e.parsed.base.negated;
}

/** Whether some string could match both values (a pattern side is a `*`/`?` glob under a Like or ARN operator). */
function couldBothMatch(a: Entry, av: string, b: Entry, bv: string): boolean {
  const isPattern = (e: Entry, v: string) => (/Like/.test(e.parsed.base.name) || family(e) === 'Arn') && hasWildcard(v);
  const ignoreCase = /IgnoreCase/.test(a.parsed.base.name) || /IgnoreCase/.test(b.parsed.base.name);
  const pa = isPattern(a, av);
  const pb = isPattern(b, bv);
  if (pa && pb) return true;
  if (pa || pb) {
    const [pattern, literal] = pa ? [av, bv] : [bv, av];
    return ignoreCase ? globMatchIgnoreCase(pattern, literal) : globMatch(pattern, literal);
  }
  return ignoreCase ? av.toLowerCase() === bv.toLowerCase() : av === bv;
}

/**
 * Whether `StringNotEquals[IgnoreCase] n` rejects every request value that `StringEquals[IgnoreCase] v` admits. A
 * case-sensitive exclusion rejects one spelling only, so it covers a case-insensitive requirement only when the value
 * has no other spelling (no letters): `{"StringEqualsIgnoreCase": "Prod"}` with `{"StringNotEquals": "prod"}` still
 * admits "Prod".
 */
function excludes(notEquals: Entry, n: string, equals: Entry, v: string): boolean {
  const excludeIgnoresCase = /IgnoreCase/.test(notEquals.parsed.base.name);
  const requireIgnoresCase = /IgnoreCase/.test(equals.parsed.base.name);
  if (excludeIgnoresCase) return v.toLowerCase() === n.toLowerCase();
  if (requireIgnoresCase) return v === n && v.toLowerCase() === v.toUpperCase();
  return v === n;
}

function disjointMatches(entries: Entry[]): LintNote | undefined {
  const matching = entries.filter((e) => positive(e) && (family(e) === 'String' || family(e) === 'Arn'));
  for (let i = 0; i < matching.length; i++)
    for (let j = i + 1; j < matching.length; j++) {
      const [a, b] = [matching[i], matching[j]];
      if (a.values.some((av) => b.values.some((bv) => couldBothMatch(a, av, b, bv)))) continue;
      return note(
        `${block(a)} and ${block(b)} admit no common value of ${a.key}`,
        `keep the one you meant, e.g. ${block(a)}`,
      );
    }
  const equals = entries.filter((e) => positive(e) && /^String(Equals|EqualsIgnoreCase)$/.test(e.parsed.base.name));
  const notEquals = entries.filter((e) => !positive(e) && /^StringNotEquals/.test(e.parsed.base.name));
  for (const a of equals)
    for (const b of notEquals)
      if (a.values.every((v) => b.values.some((n) => excludes(b, n, a, v))))
        return note(
          `${block(a)} requires a value that ${block(b)} excludes`,
          `remove ${a.values.map((v) => JSON.stringify(v)).join(', ')} from ${b.operator} ${b.key}`,
        );
  return undefined;
}

/** A lower and an upper bound on one key (dates or numbers) that leave nothing between them. */
function emptyWindow(entries: Entry[], kind: 'Date' | 'Numeric'): LintNote | undefined {
  const parse = (v: string) =>
    kind === 'Date' ? parseDateValue(v) : Number.isNaN(parseNumeric(v)) ? null : parseNumeric(v);
  const bound = (pattern: RegExp, pick: (xs: number[]) => number) => {
    const e = entries.find((x) => family(x) === kind && pattern.test(x.parsed.base.name));
    const xs = e?.values.map(parse).filter((x): x is number => x !== null) ?? [];
    return e && xs.length === e.values.length
      ? { e, at: pick(xs), strict: !/Equals$/.test(e.parsed.base.name) }
      : undefined;
  };
  // A request value passes "greater than" any listed value (they are ORed): the lowest lower bound, the highest upper.
  const low = bound(/GreaterThan/, (xs) => Math.min(...xs));
  const high = bound(/LessThan/, (xs) => Math.max(...xs));
  if (!low || !high || low.at < high.at || (low.at === high.at && !low.strict && !high.strict)) return undefined;
  return note(
    `${block(low.e)} and ${block(high.e)} leave an empty window`,
    low.at > high.at
      ? `the bounds look swapped: ${block({ ...low.e, values: high.e.values })} with ${block({ ...high.e, values: low.e.values })}`
      : 'widen one bound',
  );
}

/** Keys whose values are never negative: a duration, an age in seconds, the epoch time. */
const NON_NEGATIVE = new Set(['aws:multifactorauthage', 'sts:durationseconds', 'aws:epochtime']);

function belowZero(key: string, entries: Entry[]): LintNote | undefined {
  if (!NON_NEGATIVE.has(key)) return undefined;
  const e = entries.find((x) => family(x) === 'Numeric' && /LessThan/.test(x.parsed.base.name));
  if (!e) return undefined;
  const strict = !/Equals$/.test(e.parsed.base.name);
  const max = Math.max(...e.values.map(parseNumeric));
  if (!(max < 0 || (strict && max === 0))) return undefined;
  return note(
    `${block(e)} needs ${e.key} below ${strict ? '' : 'or at '}${max}, and ${e.key} is never negative`,
    'use the bound you meant, e.g. {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}',
  );
}

function absentAndCompared(entries: Entry[]): LintNote | undefined {
  const absent = entries.find((e) => family(e) === 'Null' && e.values.every((v) => v.toLowerCase() === 'true'));
  const compared = entries.find((e) => positive(e));
  if (!absent || !compared) return undefined;
  return note(
    `${block(absent)} requires ${absent.key} to be absent, and ${block(compared)} requires it to be present`,
    `drop the Null check (${compared.operator} already requires the key), or use ${compared.operator}IfExists to accept an absent key`,
  );
}

function excludedRanges(entries: Entry[]): LintNote | undefined {
  const allowed = entries.find((e) => e.parsed.base.name === 'IpAddress');
  const excluded = entries.find((e) => e.parsed.base.name === 'NotIpAddress');
  if (!allowed || !excluded) return undefined;
  const ranges = excluded.values.map(parseIpRange);
  const covered = allowed.values.every((v) => {
    const r = parseIpRange(v);
    return r && ranges.some((x) => x && x.prefixLength <= r.prefixLength && ipInRange(r, x));
  });
  if (!covered) return undefined;
  return note(
    `${block(allowed)} admits only addresses that ${block(excluded)} excludes`,
    `remove ${allowed.values.join(', ')} from NotIpAddress, or drop the NotIpAddress check`,
  );
}

function note(what: string, corrected: string): LintNote {
  return {
    code: 'UNSATISFIABLE_CONDITION',
    message: `This condition can never be true: ${what}, so the statement never applies. Corrected form: ${corrected}.`,
  };
}

/** Every never-true combination in a statement's condition block, one note per key. */
export function unsatisfiableConditions(st: PolicyStatement): LintNote[] {
  const notes: LintNote[] = [];
  for (const [key, entries] of entriesByKey(st)) {
    // One operator on a key can only be below zero: every other check needs two entries (two matches to disagree,
    // a lower and an upper bound, Null beside a comparison, IpAddress beside NotIpAddress), so they are not run.
    if (entries.length === 1) {
      const found = belowZero(key, entries);
      if (found) notes.push(found);
      continue;
    }
    const found =
      disjointMatches(entries) ??
      emptyWindow(entries, 'Date') ??
      emptyWindow(entries, 'Numeric') ??
      belowZero(key, entries) ??
      absentAndCompared(entries) ??
      excludedRanges(entries);
    if (found) notes.push(found);
  }
  return notes;
}
