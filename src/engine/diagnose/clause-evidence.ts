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
    // A wrong external ID may be the secret of another role: say that it differs, never what it is.
    actual:
      clause.key.toLowerCase() === 'sts:externalid' && clause.actual
        ? clause.actual.map(() => '<a different external ID: not shown>')
        : clause.actual,
  };
}

/** Values as written when they hold policy variables: "${aws:username}" says more than the name it resolved to. */
export function rawValuesIfVariable(clause: ConditionClauseResult, raw?: PolicyStatement): string[] | undefined {
  const block = raw?.Condition?.[clause.operator];
  if (!block) return undefined;
  const key = Object.keys(block).find((k) => k.toLowerCase() === clause.key.toLowerCase());
  if (key === undefined) return undefined;
  const values = (Array.isArray(block[key]) ? (block[key] as unknown[]) : [block[key]]).map(String);
  return values.some((v) => v.includes('${')) ? values : undefined;
}

export function clauseUnknowns(clauses: ConditionClauseResult[]): Unknown[] {
  return clauses
    .filter((c) => c.result === 'unknown')
    .map((c) => ({ key: c.key, reason: c.unknownReason ?? 'not recorded in the event' }));
}

export function describeClause(clause: ConditionClauseResult): string {
  const actual =
    clause.actual === null
      ? 'no value (key absent from the request)'
      : clause.actual.map((v) => JSON.stringify(v)).join(', ');
  return `${clause.operator} ${clause.key} expects ${clause.expected.map((v) => JSON.stringify(v)).join(' or ')}, the request had ${actual}`;
}
