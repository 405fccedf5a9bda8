import { recognisesPolicyVariables } from '../iam/policy-document';
import type { NamedPolicy, PolicyStatement } from '../iam/policy-types';
import type { CallerProfile } from './caller-profile';
import { type ConditionBlockResult, evaluateConditionBlock } from './conditions';
import type { RequestContext, Tri } from './context-types';
import { type CompiledGlob, compileGlob, matchCompiledGlob } from './glob';
import { matchPrincipal, type PrincipalMatch } from './principal-matcher';
import { hasPolicyVariables, substituteForPattern } from './variables';
import { matchesWildcard } from './wildcard';
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
  /**
   * The statements that bear on this action, in document order (`index` is the position in the document): every
   * statement of a trust policy; of other policies, those whose Action matches or that name an STS-like action
   * (a possible typo). A statement for other actions cannot apply and is left out.
   */
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

/**
 * What evaluation reads from a statement regardless of the request, worked out once per parsed statement object
 * (policy documents are immutable once parsed, and facts objects hand out the same documents each time). Keyed
 * by the Statement array itself, so documents parsed afresh start cold: nothing is keyed by content or event.
 */
interface CompiledStatement {
  /** Action / NotAction patterns, lower-cased and compiled (actions compare case-insensitively). */
  actions: readonly CompiledGlob[] | undefined;
  notActions: readonly CompiledGlob[] | undefined;
  resources: readonly ResourcePattern[] | undefined;
  notResources: readonly ResourcePattern[] | undefined;
  stsTypo: boolean;
  label: string;
}

/** A Resource pattern; `glob` is compiled when it holds no policy variable (else it is substituted per request). */
interface ResourcePattern {
  text: string;
  glob: CompiledGlob | undefined;
}

const compiledDocuments = new WeakMap<readonly PolicyStatement[], CompiledStatement[]>();

/** One WeakMap read per policy evaluation, not one per statement. */
function compileDocument(statements: readonly PolicyStatement[]): CompiledStatement[] {
  let c = compiledDocuments.get(statements);
  if (!c) {
    c = statements.map((st, i) => compile(st, i));
    compiledDocuments.set(statements, c);
  }
  return c;
}

const actionGlob = (pattern: string): CompiledGlob => compileGlob(pattern.toLowerCase());
const resourcePattern = (text: string): ResourcePattern => ({
  text,
  glob: hasPolicyVariables(text) ? undefined : compileGlob(text),
});

function compile(st: PolicyStatement, index: number): CompiledStatement {
  const actions = st.Action === undefined ? undefined : list(st.Action);
  return {
    actions: actions?.map(actionGlob),
    notActions: st.NotAction === undefined ? undefined : list(st.NotAction).map(actionGlob),
    resources: st.Resource === undefined ? undefined : list(st.Resource).map(resourcePattern),
    notResources: st.NotResource === undefined ? undefined : list(st.NotResource).map(resourcePattern),
    stsTypo: actions?.some((a) => a.length > 3 && (a[0] === 's' || a[0] === 'S') && /^st[a-z]?s?:/i.test(a)) === true,
    label: statementLabel(st, index),
  };
}

/**
 * Matched on every evaluation of a policy: each evaluation must spend the same work budget (work-budget.ts), so that
 * a policy near the budget gets the same verdict the first time and every later time. (Whole results remembered
 * below are the results of evaluations that stayed within the budget; one over it throws and is never remembered.)
 */
function actionMatches(c: CompiledStatement, lowerAction: string): boolean {
  if (c.actions !== undefined) return c.actions.some((g) => matchCompiledGlob(g, lowerAction));
  if (c.notActions !== undefined) return !c.notActions.some((g) => matchCompiledGlob(g, lowerAction));
  return false;
}

function resourcePatternMatches(
  { text: pattern, glob }: ResourcePattern,
  arn: string,
  ctx: RequestContext,
  variables: boolean,
): Tri {
  if (glob !== undefined) return pattern === arn || matchCompiledGlob(glob, arn);
  // Without "Version": "2012-10-17" a `${…}` is literal text (policy-document.ts).
  if (!variables) return matchesWildcard(pattern, arn, false);
  // ${*} and ${?} in a Resource are literal characters, not wildcards: substitute in pattern mode.
  const sub = substituteForPattern(pattern, ctx);
  if (sub.kind === 'unknown') return 'unknown';
  if (sub.kind === 'absent') return false;
  return matchesWildcard(sub.value, arn, false);
}

function anyPatternMatches(
  patterns: readonly ResourcePattern[],
  arn: string,
  ctx: RequestContext,
  variables: boolean,
): Tri {
  let sawUnknown = false;
  for (const p of patterns) {
    const m = resourcePatternMatches(p, arn, ctx, variables);
    if (m === true) return true;
    if (m === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : false;
}

function resourceMatches(
  c: CompiledStatement,
  arn: string,
  ctx: RequestContext,
  kind: NamedPolicy['kind'],
  variables: boolean,
): Tri {
  // Trust policies have no Resource element: the resource is the role itself.
  if (kind === 'trust') return true;
  if (c.resources !== undefined) return anyPatternMatches(c.resources, arn, ctx, variables);
  if (c.notResources !== undefined) {
    const m = anyPatternMatches(c.notResources, arn, ctx, variables);
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
  compiled: CompiledStatement = compile(st, index),
  lowerAction = req.action.toLowerCase(),
  /** False for a document without "Version": "2012-10-17", whose `${…}` are literal text. */
  variables = true,
  /** Whether the action matches, when the caller has already matched it (matching spends work budget). */
  actionOk = actionMatches(compiled, lowerAction),
): StatementResult {
  const effect: 'Allow' | 'Deny' = st.Effect === 'Deny' ? 'Deny' : 'Allow';
  const p = principalApplies(st, req, kind);
  const c = compiled;
  // Resource matching is the costly part of a statement; skip it where the answer cannot matter: a statement for
  // other actions, unless it names an STS-like action (a possible typo near miss, whose resource we report).
  const resource =
    actionOk || kind === 'trust' || c.stsTypo ? resourceMatches(c, req.resourceArn, req.ctx, kind, variables) : false;
  // Conditions of statements that cannot apply anyway are not evaluated: their unknown keys would be noise in the
  // finding. Trust statements that name the caller are evaluated even when the action is missing (action-typo near misses).
  const relevant = p.applies !== false && resource !== false && (kind === 'trust' || actionOk);
  const condition = relevant ? evaluateConditionBlock(st.Condition, req.ctx, variables) : NOT_EVALUATED;
  const r = condition.result;
  const applies: Tri =
    p.applies === false || !actionOk || resource === false || r === false
      ? false
      : p.applies === 'unknown' || resource === 'unknown' || r === 'unknown'
        ? 'unknown'
        : true;
  return {
    index,
    label: c.label,
    effect,
    statement: st,
    principal: p.match,
    principalApplies: p.applies,
    actionMatches: actionOk,
    resourceMatches: resource,
    condition,
    applies,
  };
}

/**
 * Results already computed for one request context (one diagnosis, or one fix re-evaluation with the same context):
 * fix planning re-evaluates the whole call after each patch, and every policy the patch left alone (the same
 * NamedPolicy object) gives the same result for the same caller, resource and action. Evaluation is deterministic,
 * so a remembered result is exactly what re-evaluating would give, work budget included (a policy over budget
 * throws and is never remembered). Keyed by the context object, so nothing outlives the diagnosis.
 */
interface ContextResults {
  caller: CallerProfile;
  resourceArn: string;
  /** A plain Map: it lives exactly as long as its context, and Map reads cost less than WeakMap reads. */
  byPolicy: Map<NamedPolicy, Map<string, PolicyResult>>;
}

const resultsByContext = new WeakMap<RequestContext, ContextResults>();

/** Throws WorkBudgetExceeded (naming this policy) when the policy is too expensive to evaluate. */
export function evaluatePolicy(policy: NamedPolicy, req: EvaluationRequest): PolicyResult {
  // No results are kept across requests: keeping every policy's result per action on the facts' policy objects
  // was 15% less CPU per diagnosis but ~400 MB more heap for a 5,000-role account (bench:engine), which the
  // Lambda's memory-bounded account cache does not count.
  let memo = resultsByContext.get(req.ctx);
  if (!memo) {
    memo = { caller: req.caller, resourceArn: req.resourceArn, byPolicy: new Map() };
    resultsByContext.set(req.ctx, memo);
  }
  const same = memo.caller === req.caller && memo.resourceArn === req.resourceArn;
  let perAction = same ? memo.byPolicy.get(policy) : undefined;
  const known = perAction?.get(req.action);
  if (known) return known;
  const result = evaluatePolicyNow(policy, req);
  if (same) {
    if (!perAction) {
      perAction = new Map();
      memo.byPolicy.set(policy, perAction);
    }
    perAction.set(req.action, result);
  }
  return result;
}

function evaluatePolicyNow(policy: NamedPolicy, req: EvaluationRequest): PolicyResult {
  const compiled = compileDocument(policy.document.Statement);
  const lowerAction = req.action.toLowerCase();
  const variables = recognisesPolicyVariables(policy.document);
  const statements = withPolicyBudget(policy.source, policy.kind, () => {
    const out: StatementResult[] = [];
    const doc = policy.document.Statement;
    for (let i = 0; i < doc.length; i++) {
      const actionOk = actionMatches(compiled[i], lowerAction);
      // An identity-side statement for other actions cannot apply and no reader of the result looks at it
      // (near-miss evidence needs an STS-like action, which stsTypo keeps): matched, so every evaluation spends the
      // same work budget, but given no result object. Most statements of most policies are such statements.
      if (!actionOk && policy.kind !== 'trust' && !compiled[i].stsTypo) continue;
      out.push(evaluateStatement(doc[i], i, policy.kind, req, compiled[i], lowerAction, variables, actionOk));
    }
    return out;
  });
  // Kleene OR over the Allow and over the Deny statements, without intermediate arrays.
  let allow: Tri = false;
  let deny: Tri = false;
  for (const s of statements) {
    if (s.effect === 'Deny') {
      if (s.applies === true || (s.applies === 'unknown' && deny === false)) deny = s.applies;
    } else if (s.statement.Effect === 'Allow') {
      if (s.applies === true || (s.applies === 'unknown' && allow === false)) allow = s.applies;
    }
  }
  return { policy, action: req.action, statements, allow, deny };
}
