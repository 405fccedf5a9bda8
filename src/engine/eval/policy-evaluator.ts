import { recognisesPolicyVariables } from '../iam/policy-document';
import { EVALUATOR_CACHE, type NamedPolicy, type PolicyStatement } from '../iam/policy-types';
import type { CallerProfile } from './caller-profile';
import {
  actionMatches,
  type CompiledDocument,
  type CompiledStatement,
  compileDocument,
  compileStatement,
  compileUncached,
  mayMatchAction,
  type ResourcePattern,
} from './compiled-document';
import { type ConditionBlockResult, evaluateConditionBlock } from './conditions';
import type { RequestContext, Tri } from './context-types';
import { matchCompiledGlob } from './glob';
import { matchPrincipal, type PrincipalMatch } from './principal-matcher';
import { substituteForPattern } from './variables';
import { matchesWildcard } from './wildcard';
import { enterPolicyBudget, leavePolicyBudget } from './work-budget';

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

export { statementLabel } from './compiled-document';

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

/**
 * Whether the statement's principal covers the caller. Trust policies name principals; NotPrincipal is not valid in
 * a trust policy (lint warns), IAM would reject it, so it never matches here. RCPs may only use Principal "*" and
 * apply to every principal, with conditions doing the selection; identity policies, boundaries and SCPs have no
 * Principal and apply to the caller they are attached to.
 */
function principalLevel(match: PrincipalMatch): Tri {
  return match.level === 'none' ? false : match.level === 'unknown' ? 'unknown' : true;
}

/** The statements of a policy none of whose statements is for the action: shared (frozen, no reader adds to it). */
const NO_STATEMENTS: StatementResult[] = Object.freeze([]) as never;

const NOT_EVALUATED: ConditionBlockResult = { result: false, clauses: [] };

export function evaluateStatement(
  st: PolicyStatement,
  index: number,
  kind: NamedPolicy['kind'],
  req: EvaluationRequest,
  compiled: CompiledStatement = compileStatement(st, index),
  lowerAction = req.action.toLowerCase(),
  /** False for a document without "Version": "2012-10-17", whose `${…}` are literal text. */
  variables = true,
  /** Whether the action matches, when the caller has already matched it (matching spends work budget). */
  actionOk = actionMatches(compiled, lowerAction),
): StatementResult {
  const effect: 'Allow' | 'Deny' = st.Effect === 'Deny' ? 'Deny' : 'Allow';
  // Matched inline rather than returned as an object: this runs for every statement evaluated.
  const principal = kind === 'trust' ? matchPrincipal(st.Principal, req.caller) : undefined;
  const principalOk: Tri = principal === undefined ? true : principalLevel(principal);
  const c = compiled;
  // Resource matching is the costly part of a statement; skip it where the answer cannot matter: a statement for
  // other actions, unless it names an STS-like action (a possible typo near miss, whose resource we report).
  const resource =
    actionOk || kind === 'trust' || c.stsTypo ? resourceMatches(c, req.resourceArn, req.ctx, kind, variables) : false;
  // Conditions of statements that cannot apply anyway are not evaluated: their unknown keys would be noise in the
  // finding. Trust statements that name the caller are evaluated even when the action is missing (action-typo near misses).
  const relevant = principalOk !== false && resource !== false && (kind === 'trust' || actionOk);
  const condition = relevant ? evaluateConditionBlock(st.Condition, req.ctx, variables) : NOT_EVALUATED;
  const r = condition.result;
  const applies: Tri =
    principalOk === false || !actionOk || resource === false || r === false
      ? false
      : principalOk === 'unknown' || resource === 'unknown' || r === 'unknown'
        ? 'unknown'
        : true;
  return {
    index,
    label: c.label,
    effect,
    statement: st,
    principal,
    principalApplies: principalOk,
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
 * throws and is never remembered). Kept on the context object (RequestContext.evaluatorResults), so nothing
 * outlives the diagnosis.
 */
interface ContextResults {
  /** The context these results are for. */
  ctx: RequestContext;
  caller: CallerProfile;
  resourceArn: string;
  /**
   * A plain Map: it lives exactly as long as its context, and Map reads cost less than WeakMap reads. A policy is
   * evaluated for one to three actions per context, so its results are one result or a short list, not a Map.
   */
  byPolicy: Map<NamedPolicy, PolicyResult | PolicyResult[]>;
  /** Compiled forms of the transient documents (NamedPolicy.transient) evaluated with this context. */
  compiled: Map<readonly PolicyStatement[], CompiledDocument> | undefined;
}

/**
 * The context of the previous evaluation and its results: a diagnosis evaluates a dozen policies in a row against
 * one context, so this saves reading and checking the context's field for all but the first. One strong entry,
 * replaced by the next context.
 */
let lastContext: RequestContext | undefined;
let lastResults: ContextResults | undefined;

function resultsFor(ctx: RequestContext, req: EvaluationRequest): ContextResults {
  if (ctx === lastContext && lastResults !== undefined) return lastResults;
  let memo = ctx.evaluatorResults as ContextResults | undefined;
  // A copy of a context ({ ...ctx } with another lookup) would carry the original's field: it is not its memo.
  if (memo === undefined || memo.ctx !== ctx) {
    memo = { ctx, caller: req.caller, resourceArn: req.resourceArn, byPolicy: new Map(), compiled: undefined };
    // A frozen context (a test's, say) simply gets no memo kept: every evaluation is then done afresh.
    if (Object.isExtensible(ctx)) ctx.evaluatorResults = memo;
  }
  lastContext = ctx;
  lastResults = memo;
  return memo;
}

let lastAction = '';
let lastLowerAction = '';

/** The action lower-cased: the policies of a diagnosis are evaluated for one action after another, not interleaved. */
function lowerCased(action: string): string {
  if (action !== lastAction) {
    lastAction = action;
    lastLowerAction = action.toLowerCase();
  }
  return lastLowerAction;
}

/** The policy's compiled document: from the policy itself when it holds the form of its own document. */
function compiledFor(policy: NamedPolicy, req: EvaluationRequest): CompiledDocument {
  const statements = policy.document.Statement;
  const kept = policy[EVALUATOR_CACHE] as CompiledDocument | undefined;
  if (kept !== undefined && kept.of === statements) return kept;
  // A fix's candidate (transientPolicy) holds the stored document's form: the basis its shared statements are
  // taken from.
  const compiled = policy.transient === true ? transientCompiled(policy, req, kept) : compileDocument(statements);
  keepCompiled(policy, compiled);
  return compiled;
}

function keepCompiled(policy: NamedPolicy, compiled: CompiledDocument): void {
  if (Object.isExtensible(policy)) policy[EVALUATOR_CACHE] = compiled;
}

/**
 * A fix's candidate: `policy` with `document` in place of its own, marked transient (NamedPolicy.transient). The
 * copy takes the stored policy's compiled form along (Object.assign copies symbol keys), from which the statements
 * the candidate shares with it are taken.
 */
export function transientPolicy(policy: NamedPolicy, document: NamedPolicy['document']): NamedPolicy {
  return Object.assign({}, policy, { document, transient: true });
}

/** A fix candidate's document, compiled once per context that evaluates it and dropped with the context. */
function transientCompiled(policy: NamedPolicy, req: EvaluationRequest, basis?: CompiledDocument): CompiledDocument {
  const memo = resultsFor(req.ctx, req);
  const statements = policy.document.Statement;
  memo.compiled ??= new Map();
  let compiled = memo.compiled.get(statements);
  if (compiled === undefined) {
    compiled = compileUncached(statements, basis);
    memo.compiled.set(statements, compiled);
  }
  return compiled;
}

function knownResult(known: PolicyResult | PolicyResult[] | undefined, action: string): PolicyResult | undefined {
  if (known === undefined) return undefined;
  if (!Array.isArray(known)) return known.action === action ? known : undefined;
  for (const r of known) if (r.action === action) return r;
  return undefined;
}

/** Throws WorkBudgetExceeded (naming this policy) when the policy is too expensive to evaluate. */
export function evaluatePolicy(policy: NamedPolicy, req: EvaluationRequest): PolicyResult {
  const compiled = compiledFor(policy, req);
  const lowerAction = lowerCased(req.action);
  // An identity-side policy none of whose statements is for this action: nothing in it applies, and no reader of
  // the result looks at such statements (near-miss evidence needs an STS-like action, which rules this answer out).
  // Matching them would have spent no work budget (compiled-document.ts), so the answer is the same either way, and
  // cheaper to give again than to remember.
  if (policy.kind !== 'trust' && !mayMatchAction(compiled, lowerAction))
    return { policy, action: req.action, statements: NO_STATEMENTS, allow: false, deny: false };
  // No results are kept across requests: keeping every policy's result per action on the facts' policy objects
  // was 15% less CPU per diagnosis but ~400 MB more heap for a 5,000-role account (bench:engine), which the
  // Lambda's memory-bounded account cache does not count.
  const memo = resultsFor(req.ctx, req);
  const same = memo.caller === req.caller && memo.resourceArn === req.resourceArn;
  const earlier = same ? memo.byPolicy.get(policy) : undefined;
  const known = knownResult(earlier, req.action);
  if (known) return known;
  const result = evaluatePolicyNow(policy, req, compiled, lowerAction);
  if (same) {
    if (earlier === undefined) memo.byPolicy.set(policy, result);
    else if (Array.isArray(earlier)) earlier.push(result);
    else memo.byPolicy.set(policy, [earlier, result]);
  }
  return result;
}

function evaluatePolicyNow(
  policy: NamedPolicy,
  req: EvaluationRequest,
  compiled: CompiledDocument,
  lowerAction: string,
): PolicyResult {
  const variables = recognisesPolicyVariables(policy.document);
  const statements: StatementResult[] = [];
  const depth = enterPolicyBudget(policy.source, policy.kind);
  try {
    const doc = policy.document.Statement;
    const cs = compiled.statements;
    for (let i = 0; i < doc.length; i++) {
      const actionOk = actionMatches(cs[i], lowerAction);
      // An identity-side statement for other actions cannot apply and no reader of the result looks at it
      // (near-miss evidence needs an STS-like action, which stsTypo keeps): matched, so every evaluation spends the
      // same work budget, but given no result object. Most statements of most policies are such statements.
      if (!actionOk && policy.kind !== 'trust' && !cs[i].stsTypo) continue;
      statements.push(evaluateStatement(doc[i], i, policy.kind, req, cs[i], lowerAction, variables, actionOk));
    }
  } finally {
    leavePolicyBudget(depth);
  }
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
