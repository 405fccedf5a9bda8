import type { NamedPolicy, PolicyDocument } from './policy-types';

/**
 * What the engine needs to know about an account's IAM. Two adapters implement it: the snapshot adapter
 * (get-account-authorization-details files) and the live IAM API adapter (with a cache). The engine never
 * imports an AWS SDK; it only sees this interface.
 *
 * Every lookup distinguishes "exists", "does not exist" and "cannot tell" (another account we have no
 * snapshot for, a read that was denied, a throttle that outlived retries…). "Cannot tell" must never be
 * read as "does not exist".
 */
export type Lookup<T> = { status: 'found'; value: T } | { status: 'not-found' } | { status: 'unknown'; reason: string };

/**
 * A policy (or group) that a principal references but the facts source could not provide — e.g. a managed
 * policy attached to a role but absent from the snapshot file. When a principal has any, its identityPolicies /
 * permissionsBoundary are incomplete: the engine must report "policy X not in snapshot" rather than conclude.
 */
export interface MissingPolicy {
  /** A managed policy ARN, or for kind 'group' the group name. */
  ref: string;
  kind: 'managed-policy' | 'permissions-boundary' | 'group';
  /** Where it is referenced, e.g. "attached to group devs", "permissions boundary of role Deploy". */
  attachedTo: string;
  /** Why it is missing, e.g. "not in snapshot /path/account-111111111111.json". */
  reason: string;
}

export interface RoleFacts {
  arn: string;
  name: string;
  path: string;
  roleId: string;
  accountId: string;
  createDate?: string;
  /** Seconds; IAM default is 3600. */
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  permissionsBoundary?: NamedPolicy;
  tags: Record<string, string>;
  /** Inline and attached managed policies of the role (needed when the role is itself the caller). */
  identityPolicies: NamedPolicy[];
  /** Optional (added for the snapshot adapter): referenced policies that could not be read; see MissingPolicy. */
  missingPolicies?: MissingPolicy[];
  /**
   * Optional: true when the source did not say and maxSessionDuration is IAM's default (3600), e.g. snapshots,
   * because get-account-authorization-details does not return MaxSessionDuration. Don't blame duration on it.
   */
  maxSessionDurationAssumed?: boolean;
}

export interface UserFacts {
  arn: string;
  name: string;
  path: string;
  userId: string;
  accountId: string;
  createDate?: string;
  tags: Record<string, string>;
  groups: string[];
  /** User inline, user managed, and every group's inline and managed policies. */
  identityPolicies: NamedPolicy[];
  permissionsBoundary?: NamedPolicy;
  /** Optional (added for the snapshot adapter): referenced policies or groups that could not be read. */
  missingPolicies?: MissingPolicy[];
}

export interface IdentityProviderFacts {
  arn: string;
  type: 'oidc' | 'saml';
  /** OIDC issuer URL without scheme, e.g. token.actions.githubusercontent.com */
  url?: string;
  clientIds?: string[];
}

/** One level of the organization tree (root, each OU, the account) with the SCPs/RCPs attached there. */
export interface OrgLevel {
  target: string;
  scps: NamedPolicy[];
  rcps: NamedPolicy[];
}

export interface OrgPolicyChain {
  organizationId?: string;
  managementAccountId?: string;
  /** Root first, account last. SCPs need an Allow at every level; a Deny at any level wins. */
  levels: OrgLevel[];
  /**
   * Optional (added with the organization file): false when SCPs do not restrict this account — the SCP policy
   * type is not enabled in the organization, or the account is the management account. The levels' scps lists are
   * then empty and must not be read as "no Allow". Absent means SCPs apply. (Organizations does not let the last
   * SCP be detached from a target while the type is enabled, so an empty list never means "deny everything".)
   */
  scpsApply?: boolean;
  /** Optional, same for RCPs: false when RCPs are not enabled or the account is the management account. */
  rcpsApply?: boolean;
}

export interface IamFacts {
  getRole(roleArn: string): Promise<Lookup<RoleFacts>>;
  getUser(userArn: string): Promise<Lookup<UserFacts>>;
  /** Role names in an account, for near-name suggestions when a role does not exist. */
  listRoleNames(accountId: string): Promise<Lookup<string[]>>;
  getIdentityProvider(providerArn: string): Promise<Lookup<IdentityProviderFacts>>;
  /** SCP/RCP chain for an account, when an organization file (or API access) makes it visible. */
  getOrganizationPolicies(accountId: string): Promise<Lookup<OrgPolicyChain>>;
  /** Map an IAM unique ID (AIDA…/AROA…) to the ARN of the principal that currently has it, if any. */
  findPrincipalByUniqueId(uniqueId: string): Promise<Lookup<string>>;
  /**
   * Optional: the answers this source already holds, without a promise (iam/look-up.ts). A diagnosis makes a
   * handful of lookups, and a promise and an await for each cost more than the rest of a cached lookup; a source
   * that needs no I/O for an answer (a snapshot, always) gives it here.
   */
  readonly known?: KnownIamFacts;
}

/**
 * The synchronous side of IamFacts: each method answers exactly what the IamFacts method of the same name would
 * resolve to (and throws where it would reject), or returns undefined when the answer needs I/O, and the caller
 * then asks the IamFacts method.
 */
export interface KnownIamFacts {
  getRole(roleArn: string): Lookup<RoleFacts> | undefined;
  getUser(userArn: string): Lookup<UserFacts> | undefined;
  listRoleNames(accountId: string): Lookup<string[]> | undefined;
  getIdentityProvider(providerArn: string): Lookup<IdentityProviderFacts> | undefined;
  getOrganizationPolicies(accountId: string): Lookup<OrgPolicyChain> | undefined;
  findPrincipalByUniqueId(uniqueId: string): Lookup<string> | undefined;
}
