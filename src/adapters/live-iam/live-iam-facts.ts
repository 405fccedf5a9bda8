import {
  GetOpenIDConnectProviderCommand,
  type GetOpenIDConnectProviderCommandOutput,
  GetSAMLProviderCommand,
  IAMClient,
  ListRolesCommand,
  type ListRolesCommandOutput,
} from '@aws-sdk/client-iam';
import type {
  IamFacts,
  IdentityProviderFacts,
  Lookup,
  OrgPolicyChain,
  RoleFacts,
  UserFacts,
} from '../../engine/iam/iam-facts';
import { type IamArn, parseIamArn } from '../../engine/iam/snapshot/iam-arn';
import { IamCallCounter, type IamSender, listAllPages, sendCounted } from './iam-calls';
import { PolicyReader, type ReadContext } from './policy-reader';
import { PrincipalReader } from './principal-reader';
import { attemptRead, type ReadFailure, type ReadResult } from './read-errors';
import { type Clock, TtlCache } from './ttl-cache';

export const DEFAULT_IAM_CACHE_TTL_MS = 5 * 60 * 1000;
/** Policy versions never change once written; the bound only limits how long a deleted version lingers. */
export const DEFAULT_POLICY_VERSION_TTL_MS = 60 * 60 * 1000;

export interface LiveIamFactsOptions {
  client: IamSender;
  /** The account the Lambda runs in: the only account whose IAM it can read. */
  ownAccountId: string;
  ttlMs?: number;
  policyVersionTtlMs?: number;
  clock?: Clock;
}

export interface DiagnosisScopeOptions {
  /**
   * The role whose identity policies and permissions boundary matter: the role that issued the calling session
   * (event.caller.issuerArn), or undefined when the caller is not a role session. Every other role — the role
   * being assumed — is read with GetRole alone: its trust policy, tags and session duration are all that
   * AssumeRole evaluates about it, and its own permissions are irrelevant to the denial, so its
   * `identityPolicies` come back empty (and its boundary unread) in such a scope.
   */
  callerRoleArn?: string;
}

/** The SDK client the live adapter expects: adaptive retry mode, so IAM throttling slows us down instead of failing. */
export function createIamClient(config: { region?: string; maxAttempts?: number } = {}): IAMClient {
  return new IAMClient({ region: config.region, retryMode: 'adaptive', maxAttempts: config.maxAttempts ?? 5 });
}

interface RoleListing {
  names: string[];
  arnByRoleId: Map<string, string>;
}

/**
 * The live IAM adapter. One instance per Lambda container (created outside the handler) holds the caches;
 * each diagnosis works through `scope()`, which counts the IAM calls made on its behalf. Calling the IamFacts
 * methods on the instance itself reads every role fully (no caller hint) and counts only in `containerCalls`.
 */
export class LiveIamFacts implements IamFacts {
  /** Every IAM call this container has made. */
  readonly containerCalls = new IamCallCounter();
  readonly ownAccountId: string;
  private readonly client: IamSender;
  private readonly principals: PrincipalReader;
  private readonly policies: PolicyReader;
  private readonly providers: TtlCache<ReadResult<IdentityProviderFacts>>;
  private readonly roleListings: TtlCache<ReadResult<RoleListing>>;
  private readonly fullScope: LiveIamScope;

  constructor(options: LiveIamFactsOptions) {
    const ttl = options.ttlMs ?? DEFAULT_IAM_CACHE_TTL_MS;
    const clock = options.clock ?? Date.now;
    this.client = options.client;
    this.ownAccountId = options.ownAccountId;
    this.policies = new PolicyReader(ttl, options.policyVersionTtlMs ?? DEFAULT_POLICY_VERSION_TTL_MS, clock);
    this.principals = new PrincipalReader(this.policies, options.ownAccountId, ttl, clock);
    this.providers = new TtlCache(ttl, clock);
    this.roleListings = new TtlCache(ttl, clock);
    this.fullScope = new LiveIamScope(this, { client: this.client, counters: [this.containerCalls] }, undefined);
  }

  /** A per-diagnosis view: same caches, its own call counter. */
  scope(options: DiagnosisScopeOptions = {}): LiveIamScope {
    const calls = new IamCallCounter();
    const ctx: ReadContext = { client: this.client, counters: [calls, this.containerCalls] };
    return new LiveIamScope(this, ctx, { callerRoleArn: options.callerRoleArn }, calls);
  }

  getRole(roleArn: string): Promise<Lookup<RoleFacts>> {
    return this.fullScope.getRole(roleArn);
  }
  getUser(userArn: string): Promise<Lookup<UserFacts>> {
    return this.fullScope.getUser(userArn);
  }
  listRoleNames(accountId: string): Promise<Lookup<string[]>> {
    return this.fullScope.listRoleNames(accountId);
  }
  getIdentityProvider(providerArn: string): Promise<Lookup<IdentityProviderFacts>> {
    return this.fullScope.getIdentityProvider(providerArn);
  }
  getOrganizationPolicies(accountId: string): Promise<Lookup<OrgPolicyChain>> {
    return this.fullScope.getOrganizationPolicies(accountId);
  }
  findPrincipalByUniqueId(uniqueId: string): Promise<Lookup<string>> {
    return this.fullScope.findPrincipalByUniqueId(uniqueId);
  }

  /** @internal used by LiveIamScope */
  readers(): { principals: PrincipalReader; policies: PolicyReader } {
    return { principals: this.principals, policies: this.policies };
  }

  /** @internal one OIDC/SAML provider, cached. */
  provider(ctx: ReadContext, arn: string, type: 'oidc' | 'saml'): Promise<ReadResult<IdentityProviderFacts>> {
    return this.providers.get(arn, () =>
      type === 'oidc'
        ? attemptRead('GetOpenIDConnectProvider', `OIDC provider ${arn}`, async () => {
            const out = await sendCounted<GetOpenIDConnectProviderCommandOutput>(
              ctx.client,
              ctx.counters,
              'GetOpenIDConnectProvider',
              new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
            );
            return { arn, type, url: out.Url?.replace(/^https:\/\//, ''), clientIds: out.ClientIDList ?? [] };
          })
        : attemptRead('GetSAMLProvider', `SAML provider ${arn}`, async () => {
            await sendCounted(
              ctx.client,
              ctx.counters,
              'GetSAMLProvider',
              new GetSAMLProviderCommand({ SAMLProviderArn: arn }),
            );
            return { arn, type };
          }),
    );
  }

  /** @internal every role of this account (names and unique ids), cached: ListRoles pages through the account. */
  roleListing(ctx: ReadContext): Promise<ReadResult<RoleListing>> {
    return this.roleListings.get(this.ownAccountId, () =>
      attemptRead('ListRoles', `roles of account ${this.ownAccountId}`, async () => {
        const roles = await listAllPages(
          (marker) =>
            sendCounted<ListRolesCommandOutput>(
              ctx.client,
              ctx.counters,
              'ListRoles',
              new ListRolesCommand({ Marker: marker, MaxItems: 1000 }),
            ),
          (page) => page.Roles,
          1000,
        );
        const listing: RoleListing = { names: [], arnByRoleId: new Map() };
        for (const role of roles) {
          if (role.RoleName) listing.names.push(role.RoleName);
          if (role.RoleId && role.Arn) listing.arnByRoleId.set(role.RoleId, role.Arn);
        }
        // Frozen, like the snapshot adapter's list: the near-name search indexes (and caches) only frozen lists, so
        // a storm of one missing role does not rebuild the index of every role name per event.
        Object.freeze(listing.names);
        return listing;
      }),
    );
  }
}

/** The IamFacts one diagnosis sees. `callCount` is the number of IAM calls made for it (cache hits cost none). */
export class LiveIamScope implements IamFacts {
  constructor(
    private readonly facts: LiveIamFacts,
    private readonly ctx: ReadContext,
    /** undefined: read every role fully. */
    private readonly hint: DiagnosisScopeOptions | undefined,
    readonly calls: IamCallCounter = new IamCallCounter(),
  ) {}

  get callCount(): number {
    return this.calls.total;
  }

  async getRole(roleArn: string): Promise<Lookup<RoleFacts>> {
    const parsed = this.ownIamArn(roleArn, 'role');
    if ('status' in parsed) return parsed;
    const { principals, policies } = this.facts.readers();
    const core = await principals.role(this.ctx, parsed.name);
    if (!core.ok) return toLookup(core.failure);
    const role = core.value;
    const facts: RoleFacts = {
      arn: role.arn,
      name: role.name,
      path: role.path,
      roleId: role.roleId,
      accountId: role.accountId,
      createDate: role.createDate,
      maxSessionDuration: role.maxSessionDuration,
      trustPolicy: role.trustPolicy,
      tags: role.tags,
      identityPolicies: [],
    };
    if (!this.needsRolePermissions(parsed)) return { status: 'found', value: facts };

    const [own, boundary] = await Promise.all([
      principals.rolePolicies(this.ctx, role.name),
      role.boundaryArn ? policies.managed(this.ctx, role.boundaryArn, 'boundary', `role ${role.name}`) : undefined,
    ]);
    if (!own.ok) return toLookup(own.failure, `policies of role ${role.arn}`);
    facts.identityPolicies = own.value.policies;
    const missing = [...own.value.missing];
    if (boundary && 'policy' in boundary) facts.permissionsBoundary = boundary.policy;
    if (boundary && 'missing' in boundary) missing.push(boundary.missing);
    if (missing.length > 0) facts.missingPolicies = missing;
    return { status: 'found', value: facts };
  }

  async getUser(userArn: string): Promise<Lookup<UserFacts>> {
    const parsed = this.ownIamArn(userArn, 'user');
    if ('status' in parsed) return parsed;
    const { principals, policies } = this.facts.readers();
    const [core, userPolicies] = await Promise.all([
      principals.user(this.ctx, parsed.name),
      principals.userPolicies(this.ctx, parsed.name),
    ]);
    if (!core.ok) return toLookup(core.failure);
    if (!userPolicies.ok) return toLookup(userPolicies.failure, `policies of user ${core.value.arn}`);
    const user = core.value;
    const facts: UserFacts = {
      arn: user.arn,
      name: user.name,
      path: user.path,
      userId: user.userId,
      accountId: user.accountId,
      createDate: user.createDate,
      tags: user.tags,
      groups: userPolicies.value.groups,
      identityPolicies: userPolicies.value.identityPolicies,
    };
    const missing = [...userPolicies.value.missingPolicies];
    if (user.boundaryArn) {
      const boundary = await policies.managed(this.ctx, user.boundaryArn, 'boundary', `user ${user.name}`);
      if ('policy' in boundary) facts.permissionsBoundary = boundary.policy;
      else missing.push(boundary.missing);
    }
    if (missing.length > 0) facts.missingPolicies = missing;
    return { status: 'found', value: facts };
  }

  async listRoleNames(accountId: string): Promise<Lookup<string[]>> {
    if (accountId !== this.facts.ownAccountId)
      return { status: 'unknown', reason: otherAccountReason('roles', accountId, this.facts.ownAccountId) };
    const listing = await this.facts.roleListing(this.ctx);
    return listing.ok ? { status: 'found', value: listing.value.names } : toLookup(listing.failure);
  }

  async getIdentityProvider(providerArn: string): Promise<Lookup<IdentityProviderFacts>> {
    const parsed = parseIamArn(providerArn);
    if (!parsed || (parsed.resourceType !== 'oidc-provider' && parsed.resourceType !== 'saml-provider')) {
      return { status: 'unknown', reason: `${providerArn} is not an IAM OIDC or SAML provider ARN` };
    }
    if (parsed.accountId !== this.facts.ownAccountId) {
      return {
        status: 'unknown',
        reason: otherAccountReason(`identity provider ${providerArn}`, parsed.accountId, this.facts.ownAccountId),
      };
    }
    const result = await this.facts.provider(
      this.ctx,
      providerArn,
      parsed.resourceType === 'oidc-provider' ? 'oidc' : 'saml',
    );
    return result.ok ? { status: 'found', value: result.value } : toLookup(result.failure);
  }

  getOrganizationPolicies(accountId: string): Promise<Lookup<OrgPolicyChain>> {
    return Promise.resolve({
      status: 'unknown',
      reason: `SCPs and RCPs are not visible from a member account: the live adapter reads IAM only, not AWS Organizations (account ${accountId})`,
    });
  }

  /**
   * Role unique ids (AROA…) are looked up in this account's ListRoles listing — the same cached listing that
   * serves near-name suggestions. User ids (AIDA…) would need iam:ListUsers, which trustgap is not granted.
   */
  async findPrincipalByUniqueId(uniqueId: string): Promise<Lookup<string>> {
    if (!uniqueId.startsWith('AROA')) {
      return {
        status: 'unknown',
        reason: `only role unique ids (AROA…) can be resolved live; ${uniqueId.slice(0, 4)}… would need iam:ListUsers`,
      };
    }
    const listing = await this.facts.roleListing(this.ctx);
    if (!listing.ok) return toLookup(listing.failure);
    const arn = listing.value.arnByRoleId.get(uniqueId);
    if (arn !== undefined) return { status: 'found', value: arn };
    return {
      status: 'unknown',
      reason: `no role of account ${this.facts.ownAccountId} has unique id ${uniqueId}; it may be a deleted role or one in another account`,
    };
  }

  private needsRolePermissions(role: IamArn): boolean {
    if (this.hint === undefined) return true;
    const caller = this.hint.callerRoleArn ? parseIamArn(this.hint.callerRoleArn) : undefined;
    return (
      caller !== undefined &&
      caller.accountId === role.accountId &&
      caller.name.toLowerCase() === role.name.toLowerCase()
    );
  }

  /** The parsed ARN if it names a `type` in this account, else the Lookup to return. */
  private ownIamArn(arn: string, type: 'role' | 'user'): IamArn | Lookup<never> {
    const parsed = parseIamArn(arn);
    if (!parsed || parsed.resourceType !== type)
      return { status: 'unknown', reason: `${arn} is not an IAM ${type} ARN` };
    if (parsed.accountId !== this.facts.ownAccountId) {
      return {
        status: 'unknown',
        reason: otherAccountReason(`${type} ${arn}`, parsed.accountId, this.facts.ownAccountId),
      };
    }
    return parsed;
  }
}

function otherAccountReason(what: string, account: string, own: string): string {
  return `${what} is in account ${account}; trustgap reads IAM only in its own account ${own} (deploy it in ${account} to see that side)`;
}

function toLookup(failure: ReadFailure, context?: string): Lookup<never> {
  if (failure.kind === 'not-found') {
    return context === undefined
      ? { status: 'not-found' }
      : { status: 'unknown', reason: `${context} disappeared while being read` };
  }
  return { status: 'unknown', reason: failure.reason };
}
