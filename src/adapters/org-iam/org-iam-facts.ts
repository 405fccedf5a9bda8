import type {
  IamFacts,
  IdentityProviderFacts,
  Lookup,
  OrgPolicyChain,
  RoleFacts,
  UserFacts,
} from '../../engine/iam/iam-facts';
import { parseIamArn } from '../../engine/iam/snapshot/iam-arn';
import { IamCallCounter, type IamSender } from '../live-iam/iam-calls';
import { type DiagnosisScopeOptions, LiveIamFacts, type LiveIamScope } from '../live-iam/live-iam-facts';
import type { Clock } from '../live-iam/ttl-cache';
import type { OrganizationsReader } from '../organizations/organizations-reader';
import { AccountLru } from './account-lru';
import type { ReaderCredentials, ReaderCredentialsCache } from './reader-credentials';

export interface OrgIamFactsOptions {
  readers: ReaderCredentialsCache;
  /** An IAM client for one account, signed with the given credential provider (the account's reader session). */
  createIamClient: (credentials: () => Promise<ReaderCredentials>) => IamSender;
  organizations?: OrganizationsReader;
  maxCachedAccounts: number;
  ttlMs?: number;
  clock?: Clock;
}

interface AccountReader {
  facts: LiveIamFacts;
}

/**
 * IamFacts for many accounts, through the reader role (READER_ROLE_NAME) of each: every account — the central
 * account included — is read only through its reader role, so the central function's own role needs no IAM read
 * permission at all, and an account without a reader (not in a target OU) is reported as such. Each account gets
 * the single-account LiveIamFacts (same caches, same call economy) with a client signed by its reader session;
 * accounts live in an LRU bounded by `maxCachedAccounts`. SCPs and RCPs come from the Organizations reader.
 */
export class OrgIamFacts {
  /** Every STS, IAM and Organizations call of this container. */
  readonly containerCalls = new IamCallCounter();
  private readonly accounts: AccountLru<AccountReader>;

  constructor(private readonly options: OrgIamFactsOptions) {
    this.accounts = new AccountLru(options.maxCachedAccounts);
  }

  get cachedAccounts(): number {
    return this.accounts.size;
  }

  get evictions(): number {
    return this.accounts.evictions;
  }

  scope(options: DiagnosisScopeOptions = {}): OrgIamScope {
    return new OrgIamScope(this, options);
  }

  /** @internal the account's reader (created on first use; its IAM client renews the session as it expires). */
  account(accountId: string): AccountReader {
    return this.accounts.getOrCreate(accountId, () => ({
      facts: new LiveIamFacts({
        client: this.options.createIamClient(this.options.readers.providerFor(accountId, () => [this.containerCalls])),
        ownAccountId: accountId,
        ttlMs: this.options.ttlMs,
        clock: this.options.clock,
      }),
    }));
  }

  /** @internal */
  get readers(): ReaderCredentialsCache {
    return this.options.readers;
  }

  /** @internal */
  get organizations(): OrganizationsReader | undefined {
    return this.options.organizations;
  }
}

/** What one diagnosis sees: each IAM read goes to the account that owns the ARN. `calls` sums STS, IAM and Organizations. */
export class OrgIamScope implements IamFacts {
  private readonly own = new IamCallCounter();
  private readonly scopes = new Map<string, Promise<LiveIamScope | { unknown: string }>>();

  constructor(
    private readonly org: OrgIamFacts,
    private readonly hint: DiagnosisScopeOptions,
  ) {}

  get calls(): IamCallCounter {
    const sum = new IamCallCounter();
    const add = (c: IamCallCounter) => {
      sum.total += c.total;
      for (const [api, n] of Object.entries(c.byApi)) sum.byApi[api] = (sum.byApi[api] ?? 0) + n;
    };
    add(this.own);
    for (const scope of this.settled) add(scope.calls);
    return sum;
  }

  get callCount(): number {
    return this.calls.total;
  }

  getRole(roleArn: string): Promise<Lookup<RoleFacts>> {
    return this.inAccountOf(roleArn, (s) => s.getRole(roleArn));
  }
  getUser(userArn: string): Promise<Lookup<UserFacts>> {
    return this.inAccountOf(userArn, (s) => s.getUser(userArn));
  }
  getIdentityProvider(providerArn: string): Promise<Lookup<IdentityProviderFacts>> {
    return this.inAccountOf(providerArn, (s) => s.getIdentityProvider(providerArn));
  }
  async listRoleNames(accountId: string): Promise<Lookup<string[]>> {
    const scope = await this.scopeFor(accountId);
    return 'unknown' in scope ? { status: 'unknown', reason: scope.unknown } : scope.listRoleNames(accountId);
  }

  getOrganizationPolicies(accountId: string): Promise<Lookup<OrgPolicyChain>> {
    const reader = this.org.organizations;
    if (!reader)
      return Promise.resolve({
        status: 'unknown',
        reason: 'SCPs and RCPs are not read (no Organizations access configured)',
      });
    return reader.chain(accountId, [this.own, this.org.containerCalls]);
  }

  /** Role unique ids are searched in the accounts this diagnosis already reads (the role's and the caller's). */
  async findPrincipalByUniqueId(uniqueId: string): Promise<Lookup<string>> {
    let last: Lookup<string> = {
      status: 'unknown',
      reason: `no account read for this call has a principal with unique id ${uniqueId}`,
    };
    for (const pending of [...this.scopes.values()]) {
      const scope = await pending;
      if ('unknown' in scope) continue;
      const found = await scope.findPrincipalByUniqueId(uniqueId);
      if (found.status === 'found') return found;
      last = found;
    }
    return last;
  }

  private readonly settled: LiveIamScope[] = [];

  private async inAccountOf<T>(arn: string, read: (scope: LiveIamScope) => Promise<Lookup<T>>): Promise<Lookup<T>> {
    const account = parseIamArn(arn)?.accountId;
    if (!account || !/^\d{12}$/.test(account))
      return { status: 'unknown', reason: `${arn} is not an IAM ARN of an account` };
    const scope = await this.scopeFor(account);
    return 'unknown' in scope ? { status: 'unknown', reason: scope.unknown } : read(scope);
  }

  /** The account's per-diagnosis scope, once its reader session is known to work. */
  private scopeFor(accountId: string): Promise<LiveIamScope | { unknown: string }> {
    let pending = this.scopes.get(accountId);
    if (!pending) {
      pending = this.org.readers.access(accountId, [this.own, this.org.containerCalls]).then((access) => {
        if (!access.ok) return { unknown: access.reason };
        const scope = this.org.account(accountId).facts.scope(this.hint);
        this.settled.push(scope);
        return scope;
      });
      this.scopes.set(accountId, pending);
    }
    return pending;
  }
}
