/**
 * Evaluates a policy statement's Condition block against a request context, in three-valued logic: a key the
 * context cannot tell us about makes a clause 'unknown', never false (false would be a confident, possibly wrong,
 * diagnosis). Rules, from the AWS IAM User Guide:
 *  - Block: "If your policy statement has multiple condition operators, the condition operators are evaluated using a
 *    logical AND"; "multiple context keys attached to a single condition operator … logical AND"; "multiple values for
 *    a context key … logical OR"; for a negated operator "those values are evaluated using a logical NOR".
 *    (Conditions with multiple context keys or values.) Three-valued AND/OR/NOT are Kleene's.
 *  - Missing key: "If the key that you specify in a policy condition is not present in the request context, the
 *    values do not match and the condition is false. If the policy condition requires that the key is not matched,
 *    such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true. This logic applies
 *    to all condition operators except ...IfExists and Null check." (Condition operators.)
 *  - IfExists: "If the key is not present, evaluate the condition element as true."
 *  - ForAllValues "returns true if there are no context keys in the request or if the context key value resolves to a
 *    null dataset, such as an empty string"; ForAnyValue: "For no matching context key or if the key does not exist,
 *    the condition returns false". With negated operators: ForAllValues:StringNotEquals – "None of the values of the
 *    context key in the request can match any of the context key values in your policy"; ForAnyValue:StringNotEquals
 *    – "At least one context key value in the request must NOT match any of values … in your policy".
 *    The docs contradict themselves once: the condition-operators page's DenyS3AccessOutsideMyBoundary table
 *    (ForAllValues:StringNotLike on aws:ResourceOrgPaths) shows the missing key as "No match" and its two present-key
 *    rows inverted relative to the operator's own definition, while the multivalued-examples page (DenyRestrictedTags)
 *    shows a missing aws:TagKeys as "Match" and every general statement says ForAllValues is true without the key. We
 *    follow the definitions and the general rule.
 *  - A multivalued key used without ForAllValues/ForAnyValue: the docs only say such keys "require a condition set
 *    operator". We read a positive operator as matching when any request value matches, and a negated operator as its
 *    complement (no request value matches) – the same reading that gives the documented single-value results.
 */
import type { ConditionBlock, ConditionValue } from '../iam/policy-types';
import { type ComparisonOperator, type ParsedOperator, parseConditionOperator } from './condition-operators';
import type { ContextLookup, RequestContext, Tri } from './context-types';
import { triAll, triAnd, triAny, triNot } from './tri';
import { decodePatternLiterals, substituteForPattern, substitutePolicyVariables } from './variables';
import { CLAUSE_WORK_STEPS, chargeWork } from './work-budget';

export interface ConditionClauseResult {
  /** As written in the policy, e.g. "ForAnyValue:StringLikeIfExists". */
  operator: string;
  /** As written. */
  key: string;
  /** Policy values as strings, after policy-variable substitution where the operator allows it. */
  expected: string[];
  /** Request values; null when the key is absent or unknown. */
  actual: string[] | null;
  result: Tri;
  /** When result is 'unknown' because the key (or a policy variable in a value) is unknown. */
  unknownReason?: string;
  /** Operator not recognised (result is false). */
  invalidOperator?: boolean;
}

export interface ConditionBlockResult {
  result: Tri;
  clauses: ConditionClauseResult[];
}

/** JSON numbers and booleans in a policy are compared as the strings they spell. */
function policyString(value: ConditionValue): string {
  return typeof value === 'string' ? value : String(value);
}

/** A policy value after variable substitution. */
type ResolvedValue =
  | { state: 'value'; value: string; shown: string }
  | { state: 'unknown'; reason: string; shown: string }
  | { state: 'absent'; shown: string };

function resolvePolicyValue(
  raw: string,
  operator: ComparisonOperator,
  ctx: RequestContext,
  variables: boolean,
): ResolvedValue {
  if (!operator.allowsVariables || !variables) return { state: 'value', value: raw, shown: raw };
  const sub = operator.patternValues ? substituteForPattern(raw, ctx) : substitutePolicyVariables(raw, ctx);
  if (sub.kind === 'value') return { state: 'value', value: sub.value, shown: decodePatternLiterals(sub.value) };
  if (sub.kind === 'unknown')
    return { state: 'unknown', reason: `policy variable \${${sub.key}}: ${sub.reason}`, shown: raw };
  // "Policy variables with no value": the value is "effectively null. There is no equal or like value" – positive
  // operators do not match it, and "Inverted condition operators like StringNotEquals … do match against a null value".
  return { state: 'absent', shown: raw };
}

/** Does one request value match any of the policy values under the operator's positive comparison? */
function matchesAnyPolicyValue(requestValue: string, operator: ComparisonOperator, policy: ResolvedValue[]): Tri {
  let sawUnknown = false;
  for (const p of policy) {
    if (p.state === 'value') {
      if (operator.matches(requestValue, p.value)) return true;
    } else if (p.state === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : false;
}

/** ForAllValues treats "a null dataset, such as an empty string" like a missing key. */
function isEmptyDataSet(values: string[]): boolean {
  return values.length === 0 || (values.length === 1 && values[0] === '');
}

function evaluatePresent(
  parsed: ParsedOperator,
  operator: ComparisonOperator,
  values: string[],
  policy: ResolvedValue[],
): Tri {
  if (parsed.setQualifier === 'ForAllValues')
    return isEmptyDataSet(values) ? true : triAll(perValue(values, operator, policy, operator.negated));
  if (parsed.setQualifier === 'ForAnyValue')
    return isEmptyDataSet(values) ? false : triAny(perValue(values, operator, policy, operator.negated));
  const anyMatch = triAny(perValue(values, operator, policy, false));
  return operator.negated ? triNot(anyMatch) : anyMatch;
}

/** Each request value's positive match against the policy values, negated when asked. */
function perValue(values: string[], operator: ComparisonOperator, policy: ResolvedValue[], negate: boolean): Tri[] {
  const out: Tri[] = [];
  for (const v of values) {
    const positive = matchesAnyPolicyValue(v, operator, policy);
    out.push(negate ? triNot(positive) : positive);
  }
  return out;
}

/** The result when the request context does not carry the key (known absence). */
function evaluateAbsent(parsed: ParsedOperator, operator: ComparisonOperator): boolean {
  if (parsed.ifExists) return true;
  if (parsed.setQualifier === 'ForAllValues') return true;
  if (parsed.setQualifier === 'ForAnyValue') return false;
  return operator.negated;
}

/**
 * Null: "true (the key doesn't exist — it is null) or false (the key exists and its value is not null)". A present
 * key with no values at all counts as null (the docs pair Null:false with "context keys with empty values").
 * Policy variables are not substituted ("You can not use a policy variable with the Null condition operator").
 */
function evaluateNull(found: ContextLookup, expected: string[]): Tri {
  if (found.state === 'unknown') return 'unknown';
  const isNull = found.state === 'absent' || found.values.length === 0;
  return expected.some((e) => {
    const lowered = e.toLowerCase();
    return lowered === 'true' ? isNull : lowered === 'false' ? !isNull : false;
  });
}

function evaluateClause(
  operator: string,
  key: string,
  raw: ConditionValue | ConditionValue[],
  ctx: RequestContext,
  variables: boolean,
): ConditionClauseResult {
  const rawValues = (Array.isArray(raw) ? raw : [raw]).map(policyString);
  const parsed = parseConditionOperator(operator);
  if (!parsed) return { operator, key, expected: rawValues, actual: null, result: false, invalidOperator: true };
  const found = ctx.lookup(key);
  const actual = found.state === 'present' ? found.values : null;

  if (parsed.base.kind === 'null') {
    const result = evaluateNull(found, rawValues);
    return found.state === 'unknown'
      ? { operator, key, expected: rawValues, actual, result, unknownReason: found.reason }
      : { operator, key, expected: rawValues, actual, result };
  }
  const base = parsed.base;
  const policy = rawValues.map((v) => resolvePolicyValue(v, base, ctx, variables));
  const expected = policy.map((p) => p.shown);
  if (found.state === 'unknown')
    return { operator, key, expected, actual, result: 'unknown', unknownReason: found.reason };
  if (found.state === 'absent') return { operator, key, expected, actual, result: evaluateAbsent(parsed, base) };

  const result = evaluatePresent(parsed, base, found.values, policy);
  if (result !== 'unknown') return { operator, key, expected, actual, result };
  const firstUnknown = policy.find((p) => p.state === 'unknown');
  const unknownReason = firstUnknown?.state === 'unknown' ? firstUnknown.reason : undefined;
  return { operator, key, expected, actual, result, unknownReason };
}

/**
 * Evaluates a whole Condition block (AND over operators and keys). An empty or missing block is true.
 * `variables` is false for a document without "Version": "2012-10-17": its `${…}` are literal text (policy-document.ts).
 */
export function evaluateConditionBlock(
  block: ConditionBlock | undefined,
  ctx: RequestContext,
  variables = true,
): ConditionBlockResult {
  if (!block) return NO_CONDITION;
  const clauses: ConditionClauseResult[] = [];
  for (const operator of Object.keys(block)) {
    const keys = block[operator];
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
      // Not `{ key: values }`: IAM would have refused the document; nothing in it can be satisfied.
      clauses.push({ operator, key: '', expected: [], actual: null, result: false });
      continue;
    }
    for (const key of Object.keys(keys)) {
      chargeWork(CLAUSE_WORK_STEPS);
      clauses.push(evaluateClause(operator, key, keys[key], ctx, variables));
    }
  }
  let result: Tri = true;
  for (const c of clauses) result = triAnd(result, c.result);
  return { result, clauses };
}

/**
 * The result of a statement without a Condition, shared: most statements have none, and no reader changes a result
 * (frozen, so that none can).
 */
const NO_CONDITION: ConditionBlockResult = Object.freeze({ result: true, clauses: Object.freeze([]) as never });

/** Whether IAM recognises the operator name (exact spelling, optional set prefix and IfExists suffix), for lint warnings. */
export function isKnownConditionOperator(operator: string): boolean {
  return parseConditionOperator(operator) !== null;
}
