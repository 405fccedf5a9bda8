/**
 * A tiny RequestContext for the condition tests, built from a map. A key missing from the map is *absent*; a string is
 * a single-valued key, an array a multivalued one, and `unknown('why')` a key the context cannot tell.
 * Key names are matched case-insensitively, as IAM does.
 */

import type { CallerProfile } from '../../../src/engine/eval/caller-profile';
import { type ConditionClauseResult, evaluateConditionBlock } from '../../../src/engine/eval/conditions';
import type { ContextLookup, RequestContext } from '../../../src/engine/eval/context-types';
import type { ConditionValue } from '../../../src/engine/iam/policy-types';

/** An IAM user in the account the policy tests use, as the evaluator profiles a caller. */
export const ALICE: CallerProfile = {
  type: 'IAMUser',
  accountId: '111122223333',
  principalArn: 'arn:aws:iam::111122223333:user/alice',
  displayName: 'alice',
};

export interface UnknownEntry {
  unknown: string;
}
export type ContextEntry = string | string[] | UnknownEntry;

export const unknown = (reason: string): UnknownEntry => ({ unknown: reason });

export function contextOf(entries: Record<string, ContextEntry>): RequestContext {
  const byLowerKey = new Map<string, ContextEntry>();
  for (const [key, entry] of Object.entries(entries)) byLowerKey.set(key.toLowerCase(), entry);
  return {
    lookup(key: string): ContextLookup {
      const entry = byLowerKey.get(key.toLowerCase());
      if (entry === undefined) return { state: 'absent' };
      if (typeof entry === 'string') return { state: 'present', values: [entry], multiValued: false };
      if (Array.isArray(entry)) return { state: 'present', values: entry, multiValued: true };
      return { state: 'unknown', reason: entry.unknown };
    },
  };
}

/** Evaluates a one-clause block `{ operator: { key: values } }` and returns that clause. */
export function clause(
  operator: string,
  key: string,
  values: ConditionValue | ConditionValue[],
  ctx: RequestContext,
): ConditionClauseResult {
  return evaluateConditionBlock({ [operator]: { [key]: values } }, ctx).clauses[0];
}

/** The three-valued result of a one-clause block. */
export function result(operator: string, key: string, values: ConditionValue | ConditionValue[], ctx: RequestContext) {
  return clause(operator, key, values, ctx).result;
}
