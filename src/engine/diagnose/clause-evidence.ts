import type { ConditionClauseResult } from '../eval/conditions';
import type { Evidence, FindingPolicy, Unknown } from '../finding/types';

/** Evidence for a condition clause that failed: the key, operator, what the policy expects and what the request had. */
export function clauseEvidence(policy: FindingPolicy, source: string, statement: string, clause: ConditionClauseResult): Evidence {
  return {
    policy,
    source,
    statement,
    conditionKey: clause.key,
    operator: clause.operator,
    expected: clause.expected,
    actual: clause.actual,
  };
}

export function clauseUnknowns(clauses: ConditionClauseResult[]): Unknown[] {
  return clauses
    .filter((c) => c.result === 'unknown')
    .map((c) => ({ key: c.key, reason: c.unknownReason ?? 'not recorded in the event' }));
}

export function describeClause(clause: ConditionClauseResult): string {
  const actual = clause.actual === null ? 'no value (key absent from the request)' : clause.actual.map((v) => JSON.stringify(v)).join(', ');
  return `${clause.operator} ${clause.key} expects ${clause.expected.map((v) => JSON.stringify(v)).join(' or ')}, the request had ${actual}`;
}
