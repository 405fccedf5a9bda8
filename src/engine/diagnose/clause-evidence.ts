import type { ConditionClauseResult } from '../eval/conditions';
import type { Evidence, FindingPolicy, Unknown } from '../finding/types';
import type { PolicyStatement } from '../iam/policy-types';

/** Evidence for a condition clause that failed: the key, operator, what the policy expects and what the request had. */
export function clauseEvidence(
  policy: FindingPolicy,
  source: string,
  statement: string,
  clause: ConditionClauseResult,
  raw?: PolicyStatement,
): Evidence {
  return {
    policy,
    source,
    statement,
    conditionKey: clause.key,
    operator: clause.operator,
    expected: rawValuesIfVariable(clause, raw) ?? clause.expected,
    actual: shownActual(clause),
  };
}

/** What a finding may say the request had: a wrong external ID may be the secret of another role (or this role's
 * secret in another case), so it is said to differ, never what it is, in evidence and in summaries alike. */
function shownActual(clause: ConditionClauseResult): string[] | null {
  return clause.key.toLowerCase() === 'sts:externalid' && clause.actual
    ? clause.actual.map(() => '<a different external ID: not shown>')
    : clause.actual;
}

/** Values as written when they hold policy variables: "${aws:username}" says more than the name it resolved to. */
export function rawValuesIfVariable(clause: ConditionClauseResult, raw?: PolicyStatement): string[] | undefined {
  const condition = raw?.Condition;
  if (!condition || !Object.hasOwn(condition, clause.operator)) return undefined;
  const block = condition[clause.operator];
  // The clause's key is spelled as in the block (the evaluator iterates the block's own keys): a direct lookup,
  // not a scan of the block per clause, which made a 10,000-key block quadratic (issue 9).
  if (!block || typeof block !== 'object' || !Object.hasOwn(block, clause.key)) return undefined;
  const written = block[clause.key];
  const values = (Array.isArray(written) ? (written as unknown[]) : [written]).map(String);
  return values.some((v) => v.includes('${')) ? values : undefined;
}

export function clauseUnknowns(clauses: ConditionClauseResult[]): Unknown[] {
  return clauses
    .filter((c) => c.result === 'unknown')
    .map((c) => ({ key: c.key, reason: c.unknownReason ?? 'not recorded in the event' }));
}

export function describeClause(clause: ConditionClauseResult): string {
  const shown = shownActual(clause);
  const actual =
    shown === null ? 'no value (key absent from the request)' : shown.map((v) => JSON.stringify(v)).join(', ');
  return `${clause.operator} ${clause.key} expects ${clause.expected.map((v) => JSON.stringify(v)).join(' or ')}, the request had ${actual}`;
}

/** At most this many clauses are spelled out in a summary: a policy with thousands of keys gets a readable one. */
const SHOWN_CLAUSES = 10;

export function describeClauses(clauses: ConditionClauseResult[]): string {
  const shown = clauses.slice(0, SHOWN_CLAUSES).map(describeClause).join('; ');
  const more = clauses.length - SHOWN_CLAUSES;
  return more > 0 ? `${shown}; and ${more} more condition clause${more === 1 ? '' : 's'}` : shown;
}
