import type { OrgPolicyChain, RoleFacts } from '../iam/iam-facts';
import type { NamedPolicy } from '../iam/policy-types';
import type { Tri } from './context-types';
import { type EvaluationRequest, evaluatePolicy, type PolicyResult } from './policy-evaluator';
import type { PrincipalMatchLevel } from './principal-matcher';
import { triAnd, triOr } from './tri';

/**
 * The policies that take part in one role assumption. `undefined` means "could not be read" (the decision that
 * depends on it becomes unknown); `null` means "does not apply here" (no boundary, no organization, …).
 */
export interface PolicySet {
  trust: NamedPolicy;
  role: RoleFacts;
  identity: NamedPolicy[] | undefined;
  boundary: NamedPolicy | null | undefined;
  scps: OrgPolicyChain | null | undefined;
  rcps: OrgPolicyChain | null | undefined;
}

export type Layer = 'trust' | 'identity' | 'boundary' | 'scp' | 'rcp';

export interface LayerResult {
  layer: Layer;
  /** Whether this layer must allow for this caller (e.g. identity is not needed when the trust names the caller). */
  required: Tri;
  allow: Tri;
  deny: Tri;
  /** For SCP/RCP chains: one result per policy; for the others: one per policy document. */
  results: PolicyResult[];
  /** SCP/RCP: the first organization level with no Allow (each level must allow). */
  missingAllowAt?: string;
  /** SCP/RCP chain that could not be read; the diagnosis lists it under unknowns. */
  notVisible?: boolean;
}

export interface ActionAuthorization {
  action: string;
  allowed: Tri;
  sameAccount: Tri;
  /** Strongest way an applying trust Allow names the caller. */
  trustLevel: PrincipalMatchLevel;
  layers: Record<Layer, LayerResult>;
}

const LEVEL_RANK: Record<PrincipalMatchLevel, number> = { principal: 4, role: 3, account: 2, unknown: 1, none: 0 };

function trustLevelOf(result: PolicyResult): PrincipalMatchLevel {
  let best: PrincipalMatchLevel = 'none';
  for (const s of result.statements) {
    if (s.effect !== 'Allow' || s.applies === false) continue;
    const level: PrincipalMatchLevel = s.applies === 'unknown' ? 'unknown' : (s.principal?.level ?? 'none');
    if (LEVEL_RANK[level] > LEVEL_RANK[best]) best = level;
  }
  return best;
}

function simpleLayer(
  layer: Layer,
  policies: NamedPolicy[] | undefined,
  req: EvaluationRequest,
  required: Tri,
): LayerResult {
  if (policies === undefined) return { layer, required, allow: 'unknown', deny: 'unknown', results: [] };
  const results: PolicyResult[] = [];
  const { allow, deny } = evaluateEach(policies, req, results);
  return { layer, required, results, allow, deny };
}

/**
 * Evaluates the policies into `results`, with the Kleene OR of their allows and of their denies folded as the
 * results come in (no arrays of them: this runs for every layer of every action of every diagnosis).
 */
function evaluateEach(
  policies: readonly NamedPolicy[],
  req: EvaluationRequest,
  results: PolicyResult[],
): { allow: Tri; deny: Tri } {
  let allow: Tri = false;
  let deny: Tri = false;
  for (const p of policies) {
    const r = evaluatePolicy(p, req);
    results.push(r);
    allow = triOr(allow, r.allow);
    deny = triOr(deny, r.deny);
  }
  return { allow, deny };
}

/** SCPs and RCPs: a Deny anywhere wins, and every level from the root down to the account must have an Allow. */
function orgLayer(layer: 'scp' | 'rcp', chain: OrgPolicyChain | null | undefined, req: EvaluationRequest): LayerResult {
  if (chain === null) return { layer, required: false, allow: true, deny: false, results: [] };
  // Not visible (no organization file / no Organizations access): evaluated as not restricting, and reported by
  // the caller of this function as an unknown, because SCPs and RCPs are only evaluated "where visible".
  if (chain === undefined) return { layer, required: false, allow: true, deny: false, results: [], notVisible: true };
  const results: PolicyResult[] = [];
  let missingAllowAt: string | undefined;
  // Kleene AND over the levels of each level's allow, and Kleene OR of every deny.
  let allLevelsAllow: Tri = true;
  let deny: Tri = false;
  for (const level of chain.levels) {
    const { allow: levelAllow, deny: levelDeny } = evaluateEach(
      layer === 'scp' ? level.scps : level.rcps,
      req,
      results,
    );
    deny = triOr(deny, levelDeny);
    allLevelsAllow = triAnd(allLevelsAllow, levelAllow);
    if (levelAllow === false && !missingAllowAt) missingAllowAt = level.target;
  }
  return { layer, required: true, results, allow: allLevelsAllow, deny, missingAllowAt };
}

/** Same account: a trust that names the caller (or its role) is enough; naming only the account is not. Cross-account: always needed. */
function identityRequiredFor(iamCaller: boolean, sameAccount: Tri, trustLevel: PrincipalMatchLevel): Tri {
  if (!iamCaller) return false;
  if (sameAccount === false || trustLevel === 'account') return true;
  if (trustLevel === 'unknown') return 'unknown';
  // principal/role grants, or no grant at all (then a fix would name the caller directly): not needed in the same account.
  return sameAccount === true ? false : 'unknown';
}

function sameAccountOf(req: EvaluationRequest, role: RoleFacts): Tri {
  return req.caller.accountId ? req.caller.accountId === role.accountId : 'unknown';
}

/** What a layer contributes to the decision: its allow when required, nothing when not, unknown when that is unknown. */
function need(l: LayerResult): Tri {
  return l.required === false ? true : l.required === true ? l.allow : l.allow === true ? true : 'unknown';
}

/** Callers whose identity-side policies (and SCPs) take part; the others are services and federated users. */
const IAM_CALLER_TYPES: ReadonlySet<string> = new Set([
  'IAMUser',
  'AssumedRole',
  'FederatedUser',
  'Root',
  'AWSAccount',
  'Unknown',
]);

/**
 * AWS's evaluation for one sts:AssumeRole* (or sts:TagSession / sts:SetSourceIdentity) action:
 * an explicit Deny in any policy wins; the trust policy must allow; the caller's identity policies must also allow
 * when the call crosses accounts or the trust names only the account; a permissions boundary limits whatever the
 * identity side grants (and a trust grant to a role ARN); every SCP level and RCP level must allow.
 */
export function authorizeAction(set: PolicySet, req: EvaluationRequest): ActionAuthorization {
  const trustResult = evaluatePolicy(set.trust, req);
  const trustLevel = trustLevelOf(trustResult);
  const sameAccount = sameAccountOf(req, set.role);
  const iamCaller = IAM_CALLER_TYPES.has(req.caller.type);

  const identityRequired = identityRequiredFor(iamCaller, sameAccount, trustLevel);
  const identity = simpleLayer('identity', iamCaller ? set.identity : [], req, identityRequired);

  const boundaryRequired: Tri =
    !iamCaller || set.boundary === null
      ? false
      : identityRequired === true || trustLevel === 'role'
        ? true
        : identityRequired;
  const boundary = simpleLayer(
    'boundary',
    set.boundary === null ? [] : set.boundary === undefined ? undefined : [set.boundary],
    req,
    boundaryRequired,
  );
  if (set.boundary === null) {
    boundary.allow = true;
  }

  const trust: LayerResult = {
    layer: 'trust',
    required: true,
    results: [trustResult],
    allow: trustResult.allow,
    deny: trustResult.deny,
  };
  const scp = orgLayer('scp', iamCaller ? set.scps : null, req);
  const rcp = orgLayer('rcp', req.caller.type === 'AWSService' ? null : set.rcps, req);

  const anyDeny = triOr(triOr(triOr(trust.deny, identity.deny), triOr(boundary.deny, scp.deny)), rcp.deny);
  const allowed =
    anyDeny === true
      ? false
      : triAnd(
          triAnd(triAnd(anyDeny === 'unknown' ? 'unknown' : true, trust.allow), triAnd(need(identity), need(boundary))),
          triAnd(need(scp), need(rcp)),
        );
  return { action: req.action, allowed, sameAccount, trustLevel, layers: { trust, identity, boundary, scp, rcp } };
}
