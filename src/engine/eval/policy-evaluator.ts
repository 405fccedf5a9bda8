import type { NamedPolicy, PolicyStatement } from '../iam/policy-types';
import type { CallerProfile } from './caller-profile';
import { type ConditionBlockResult, evaluateConditionBlock } from './conditions';
import type { RequestContext, Tri } from './context-types';
import { matchPrincipal, type PrincipalMatch } from './principal-matcher';
import { triAll, triAny } from './tri';
import { hasPolicyVariables, substituteForPattern } from './variables';
import { matchesAction, matchesWildcard } from './wildcard';
import { withPolicyBudget } from './work-budget';

export interface EvaluationRequest {
  action: string;
  resourceArn: string;
  caller: CallerProfile;
  ctx: RequestContext;
}

export interface StatementResult {
  index: number;
  /** Sid, or "#<index>" (1-based) when the statement has none. */
  label: string;
  effect: 'Allow' | 'Deny';
  statement: PolicyStatement;
  /** Trust policies only. */
  principal?: PrincipalMatch;
  principalApplies: Tri;
  actionMatches: boolean;
  resourceMatches: Tri;
  condition: ConditionBlockResult;
  /** Does this statement apply to the request (all of principal, action, resource and condition)? */
  applies: Tri;
}

export interface PolicyResult {
  policy: NamedPolicy;
  action: string;
  statements: StatementResult[];
  /** Some Allow statement applies. */
  allow: Tri;
  /** Some Deny statement applies. */
  deny: Tri;
}

function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.Sid ? statement.Sid : `#${index + 1}`;
}

function mayBeStsTypo(st: PolicyStatement): boolean {
  return (
    st.Action !== undefined &&
    list(st.Action).some((a) => a.length > 3 && (a[0] === 's' || a[0] === 'S') && /^st[a-z]?s?:/i.test(a))
  );
}

function actionMatches(st: PolicyStatement, action: string): boolean {
  if (st.Action !== undefined) return list(st.Action).some((p) => matchesAction(p, action));
  if (st.NotAction !== undefined) return !list(st.NotAction).some((p) => matchesAction(p, action));
  return false;
}

function resourcePatternMatches(pattern: string, arn: string, ctx: RequestContext): Tri {
  if (!hasPolicyVariables(pattern)) return matchesWildcard(pattern, arn, false);
  // ${*} and ${?} in a Resource are literal characters, not wildcards: substitute in pattern mode.
  const sub = substituteForPattern(pattern, ctx);
  if (sub.kind === 'unknown') return 'unknown';
  if (sub.kind === 'absent') return false;
  return matchesWildcard(sub.value, arn, false);
}

function resourceMatches(st: PolicyStatement, arn: string, ctx: RequestContext, kind: NamedPolicy['kind']): Tri {
  // Trust policies have no Resource element: the resource is the role itself.
  if (kind === 'trust') return true;
  if (st.Resource !== undefined) return triAny(list(st.Resource).map((p) => resourcePatternMatches(p, arn, ctx)));
  if (st.NotResource !== undefined) {
    const m = triAny(list(st.NotResource).map((p) => resourcePatternMatches(p, arn, ctx)));
    return m === 'unknown' ? 'unknown' : !m;
  }
  return false;
}

function principalApplies(
  st: PolicyStatement,
  req: EvaluationRequest,
  kind: NamedPolicy['kind'],
): { match?: PrincipalMatch; applies: Tri } {
  if (kind === 'trust') {
    // NotPrincipal is not valid in a trust policy (lint warns); IAM would reject it, so it never matches here.
    const match = matchPrincipal(st.Principal, req.caller);
    return { match, applies: match.level === 'none' ? false : match.level === 'unknown' ? 'unknown' : true };
  }
  if (kind === 'rcp') {
    // RCPs may only use Principal "*"; they apply to every principal, with conditions doing the selection.
    return { applies: true };
  }
  return { applies: true };
}

const NOT_EVALUATED: ConditionBlockResult = { result: false, clauses: [] };

export function evaluateStatement(
  st: PolicyStatement,
  index: number,
  kind: NamedPolicy['kind'],
  req: EvaluationRequest,
): StatementResult {
  const effect: 'Allow' | 'Deny' = st.Effect === 'Deny' ? 'Deny' : 'Allow';
  const p = principalApplies(st, req, kind);
  const actionOk = actionMatches(st, req.action);
  // Resource matching is the costly part of a statement; skip it where the answer cannot matter: a statement for
  // other actions, unless it names an STS-like action (a possible typo near miss, whose resource we report).
  const resource =
    actionOk || kind === 'trust' || mayBeStsTypo(st) ? resourceMatches(st, req.resourceArn, req.ctx, kind) : false;
  // Conditions of statements that cannot apply anyway are not evaluated: their unknown keys would be noise in the
  // finding. Trust statements that name the caller are evaluated even when the action is missing (action-typo near misses).
  const relevant = p.applies !== false && resource !== false && (kind === 'trust' || actionOk);
  const condition = relevant ? evaluateConditionBlock(st.Condition, req.ctx) : NOT_EVALUATED;
  return {
    index,
    label: statementLabel(st, index),
    effect,
    statement: st,
    principal: p.match,
    principalApplies: p.applies,
    actionMatches: actionOk,
    resourceMatches: resource,
    condition,
    applies: triAll([p.applies, actionOk, resource, condition.result]),
  };
}

/** Throws WorkBudgetExceeded (naming this policy) when the policy is too expensive to evaluate. */
export function evaluatePolicy(policy: NamedPolicy, req: EvaluationRequest): PolicyResult {
  const statements = withPolicyBudget(policy.source, policy.kind, () =>
    policy.document.Statement.map((st, i) => evaluateStatement(st, i, policy.kind, req)),
  );
  return {
    policy,
    action: req.action,
    statements,
    allow: triAny(
      statements.filter((s) => s.effect === 'Allow' && s.statement.Effect === 'Allow').map((s) => s.applies),
    ),
    deny: triAny(statements.filter((s) => s.effect === 'Deny').map((s) => s.applies)),
  };
}
