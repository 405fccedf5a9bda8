import type { PolicySet } from '../eval/authorization';
import type { CallerProfile } from '../eval/caller-profile';
import type { ContextFacts } from '../eval/request-context';
import type { NormalizedEvent } from '../event/types';
import type { Unknown } from '../finding/types';
import type { IamFacts, Lookup, MissingPolicy, OrgPolicyChain, RoleFacts, UserFacts } from '../iam/iam-facts';
import { allOf, andThen, lookUp, type MaybePromise } from '../iam/look-up';
import type { NamedPolicy } from '../iam/policy-types';
import { assumeRootPolicySubject, assumeRootTargetArn } from './assume-root';

/** Everything looked up for one diagnosis. Lookups run in parallel; each "cannot tell" becomes an Unknown. */
export interface GatheredFacts {
  role: Lookup<RoleFacts>;
  /** The calling user (IAMUser) or the role behind the calling session (AssumedRole). */
  callerUser?: UserFacts;
  callerRole?: RoleFacts;
  callerLookupStatus: 'found' | 'not-found' | 'unknown' | 'not-applicable';
  callerOrg?: OrgPolicyChain;
  roleOrg?: OrgPolicyChain;
  policySet?: PolicySet;
  missingPolicies: MissingPolicy[];
  unknowns: Unknown[];
}

/**
 * The role's trust policy as a NamedPolicy, made once per role facts object and kept on it under a symbol key (JSON
 * and Object.keys never show it): the evaluator keeps the compiled trust document on the NamedPolicy, so a
 * NamedPolicy made afresh per diagnosis sent every evaluation of the trust to the process-wide WeakMap of compiled
 * documents (a cache miss each). Checked against the facts' current trust document and ARN, so a copy of the
 * facts with another trust policy makes its own.
 */
const TRUST_POLICY: unique symbol = Symbol('trustgap.trustPolicy');

interface KeptTrustPolicy {
  arn: string;
  named: NamedPolicy;
}

function trustPolicyOf(role: RoleFacts & { [TRUST_POLICY]?: KeptTrustPolicy }): NamedPolicy {
  const kept = role[TRUST_POLICY];
  if (kept !== undefined && kept.named.document === role.trustPolicy && kept.arn === role.arn) return kept.named;
  const named: NamedPolicy = {
    kind: 'trust',
    source: `trust policy of ${role.arn}`,
    name: 'AssumeRolePolicyDocument',
    document: role.trustPolicy,
  };
  if (Object.isExtensible(role)) role[TRUST_POLICY] = { arn: role.arn, named };
  return named;
}

function orgChain(
  lookup: Lookup<OrgPolicyChain>,
  which: 'scp' | 'rcp',
  unknowns: Unknown[],
  label: string,
): OrgPolicyChain | null | undefined {
  if (lookup.status === 'not-found') return null;
  if (lookup.status === 'unknown') {
    unknowns.push({ key: `${which.toUpperCase()}s for ${label}`, reason: lookup.reason });
    return undefined;
  }
  const chain = lookup.value;
  const applies = which === 'scp' ? chain.scpsApply : chain.rcpsApply;
  return applies === false ? null : chain;
}

/** Callers whose account's SCPs apply to them (services and web-identity or SAML sessions have none in view). */
const ORG_BOUND_CALLERS: ReadonlySet<string> = new Set([
  'IAMUser',
  'AssumedRole',
  'FederatedUser',
  'Root',
  'AWSAccount',
]);

/**
 * The facts for one diagnosis. The four lookups are asked in one go (each concurrently with the others when it needs
 * I/O); when the source knows every answer (IamFacts.known), the facts are assembled now, with no promise at all.
 */
export function gatherFacts(
  event: NormalizedEvent,
  caller: CallerProfile,
  facts: IamFacts,
): MaybePromise<GatheredFacts> {
  const rootTarget = event.api === 'AssumeRoot' ? assumeRootTargetArn(event) : undefined;
  const roleArn = event.api === 'AssumeRoot' ? undefined : event.role.arn;
  const lookups = allOf([
    roleArn
      ? lookUp(facts, 'getRole', roleArn)
      : rootTarget
        ? found(assumeRootPolicySubject(event, caller, rootTarget).role)
        : NO_ROLE_IN_EVENT,
    caller.type === 'IAMUser' && caller.principalArn
      ? lookUp(facts, 'getUser', caller.principalArn)
      : caller.type === 'AssumedRole' && caller.principalArn
        ? lookUp(facts, 'getRole', caller.principalArn)
        : undefined,
    caller.accountId && ORG_BOUND_CALLERS.has(caller.type)
      ? lookUp(facts, 'getOrganizationPolicies', caller.accountId)
      : NO_CHAIN,
    event.role.accountId && !rootTarget ? lookUp(facts, 'getOrganizationPolicies', event.role.accountId) : NO_CHAIN,
  ] as const);
  return andThen(lookups, ([role, callerLookup, callerOrgLookup, roleOrgLookup]) =>
    assembleFacts(event, caller, rootTarget, role, callerLookup, callerOrgLookup, roleOrgLookup),
  );
}

const NO_ROLE_IN_EVENT: Lookup<RoleFacts> = Object.freeze({
  status: 'unknown',
  reason: 'the event does not name the role',
});
const NO_CHAIN: Lookup<OrgPolicyChain> = Object.freeze({ status: 'not-found' });

function found<T>(value: T): Lookup<T> {
  return { status: 'found', value };
}

function assembleFacts(
  event: NormalizedEvent,
  caller: CallerProfile,
  rootTarget: string | undefined,
  role: Lookup<RoleFacts>,
  callerLookup: Lookup<RoleFacts> | Lookup<UserFacts> | undefined,
  callerOrgLookup: Lookup<OrgPolicyChain>,
  roleOrgLookup: Lookup<OrgPolicyChain>,
): GatheredFacts {
  const unknowns: Unknown[] = [];
  const missingPolicies: MissingPolicy[] = [];
  const isIamCaller = caller.type === 'IAMUser' || caller.type === 'AssumedRole';
  const result: GatheredFacts = { role, callerLookupStatus: 'not-applicable', unknowns, missingPolicies };
  let identity: NamedPolicy[] | undefined = [];
  let boundary: NamedPolicy | null | undefined = null;
  if (isIamCaller) {
    if (callerLookup?.status !== 'found') {
      result.callerLookupStatus = callerLookup?.status === 'not-found' ? 'not-found' : 'unknown';
      const reason =
        callerLookup?.status === 'unknown'
          ? callerLookup.reason
          : callerLookup?.status === 'not-found'
            ? 'the caller no longer exists in IAM'
            : 'the caller ARN is not in the event';
      unknowns.push({ key: 'caller identity policies', reason });
      identity = undefined;
      boundary = undefined;
    } else if (caller.type === 'IAMUser') {
      const user = callerLookup.value as UserFacts;
      result.callerUser = user;
      result.callerLookupStatus = 'found';
      identity = user.identityPolicies;
      boundary = user.permissionsBoundary ?? null;
      missingPolicies.push(...(user.missingPolicies ?? []));
    } else {
      const callerRole = callerLookup.value as RoleFacts;
      result.callerRole = callerRole;
      result.callerLookupStatus = 'found';
      identity = callerRole.identityPolicies;
      boundary = callerRole.permissionsBoundary ?? null;
      missingPolicies.push(...(callerRole.missingPolicies ?? []));
      unknowns.push({
        key: 'session policy',
        reason:
          'a session policy passed when the calling session was created is not visible; it can only narrow what the role allows',
      });
    }
  } else if (
    caller.type === 'AWSAccount' ||
    caller.type === 'FederatedUser' ||
    caller.type === 'Root' ||
    caller.type === 'Unknown'
  ) {
    identity = caller.type === 'Root' ? [] : undefined;
    boundary = caller.type === 'Root' ? null : undefined;
    if (identity === undefined)
      unknowns.push({
        key: 'caller identity policies',
        reason:
          caller.type === 'AWSAccount'
            ? "the role owner's copy of a cross-account call names only the caller's account; diagnose the caller account's copy for its side"
            : 'the caller is not an IAM user or role whose policies can be read',
      });
  }
  for (const m of missingPolicies) unknowns.push({ key: m.ref, reason: `${m.kind} ${m.attachedTo}: ${m.reason}` });

  const callerLabel = `caller account ${caller.accountId ?? '?'}`;
  const scps =
    isIamCaller || caller.type === 'AWSAccount' || caller.type === 'FederatedUser'
      ? orgChain(callerOrgLookup, 'scp', unknowns, callerLabel)
      : null;
  const rcps = rootTarget
    ? null
    : orgChain(roleOrgLookup, 'rcp', unknowns, `role account ${event.role.accountId ?? '?'}`);
  if (callerOrgLookup.status === 'found') result.callerOrg = callerOrgLookup.value;
  if (roleOrgLookup.status === 'found') result.roleOrg = roleOrgLookup.value;

  if (role.status === 'found') {
    const trust = rootTarget ? assumeRootPolicySubject(event, caller, rootTarget).trust : trustPolicyOf(role.value);
    // RCPs do not restrict AssumeRoot into a member account's root (there is no role resource to protect).
    result.policySet = { trust, role: role.value, identity, boundary, scps, rcps };
  }
  return result;
}

/** The request-context facts a diagnosis needs from what was gathered (tags, organization, role account). */
export function contextFactsOf(g: GatheredFacts, caller: CallerProfile): ContextFacts {
  const role = g.policySet?.role;
  return {
    principalTags: g.callerUser?.tags ?? g.callerRole?.tags,
    principalTagsComplete: caller.type === 'IAMUser',
    principalOrgId: g.callerOrg?.organizationId,
    principalOrgPaths: g.callerOrg ? [orgPath(g.callerOrg)] : undefined,
    roleTags: role?.tags,
    roleAccountId: role?.accountId,
    resourceOrgId: g.roleOrg?.organizationId,
  };
}

function orgPath(chain: { organizationId?: string; levels: Array<{ target: string }> }): string {
  // aws:PrincipalOrgPaths: o-id/r-root/ou-1/.../ (accounts are not part of the path).
  const ous = chain.levels.map((l) => l.target).filter((t) => !/^\d{12}$/.test(t));
  return `${chain.organizationId ?? 'o-unknown'}/${ous.join('/')}/`;
}
