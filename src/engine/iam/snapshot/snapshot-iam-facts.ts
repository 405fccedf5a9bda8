import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type {
  IamFacts,
  IdentityProviderFacts,
  KnownIamFacts,
  Lookup,
  OrgPolicyChain,
  RoleFacts,
  UserFacts,
} from '../iam-facts';
import { accountsInArns, asAuthorizationDetails, deriveAccountId } from './authorization-details-input';
import { parseIamArn } from './iam-arn';
import {
  type OrganizationFile,
  OrganizationFileError,
  organizationPolicyChain,
  parseOrganizationFile,
} from './organization-file';
import { buildRoleFacts, buildUserFacts } from './principal-facts';
import { SnapshotError } from './snapshot-error';
import { type AccountIndex, addToIndex, emptyIndex, type SnapshotIndex } from './snapshot-index';

export { SnapshotError } from './snapshot-error';

const NOT_FOUND = { status: 'not-found' } as const;

function unknown(reason: string): { status: 'unknown'; reason: string } {
  return { status: 'unknown', reason };
}

/**
 * IamFacts over get-account-authorization-details snapshots (one file per account) and an optional organization
 * file. Everything is indexed at load; a lookup is a couple of Map reads, and each principal's facts are assembled
 * once and then returned as the same object (read-only by contract; nothing is copied per lookup).
 *
 * "Cannot tell" is kept apart from "does not exist": an account with no snapshot, a list the snapshot lacks
 * (--filter), a truncated page, or identity providers the file does not list all give `unknown`, never `not-found`.
 */
export class SnapshotIamFacts implements IamFacts {
  /** Found principals only: not-found and unknown answers cost two Map reads and need no memory. */
  private readonly roleLookups = new Map<string, Lookup<RoleFacts>>();
  private readonly userLookups = new Map<string, Lookup<UserFacts>>();
  private readonly chainLookups = new Map<string, Lookup<OrgPolicyChain>>();
  private readonly roleNameLists = new Map<string, Lookup<string[]>>();

  /** Every answer is known without I/O: the async methods below are these, settled. */
  readonly known: KnownIamFacts = {
    getRole: (arn) => this.getRoleSync(arn),
    getUser: (arn) => this.getUserSync(arn),
    listRoleNames: (accountId) => this.listRoleNamesSync(accountId),
    getIdentityProvider: (arn) => this.getIdentityProviderSync(arn),
    getOrganizationPolicies: (accountId) => this.getOrganizationPoliciesSync(accountId),
    findPrincipalByUniqueId: (id) => this.findPrincipalByUniqueIdSync(id),
  };

  private constructor(
    private readonly index: SnapshotIndex,
    private readonly org?: OrganizationFile,
  ) {}

  /** From already-parsed documents; `accountId` is needed only for a file without ARNs. */
  static fromAuthorizationDetails(
    docs: Array<{ accountId?: string; details: unknown; source: string }>,
    org?: OrganizationFile,
  ): SnapshotIamFacts {
    const index = emptyIndex();
    for (const doc of docs) {
      const details = asAuthorizationDetails(doc.details, doc.source);
      addToIndex(index, details, deriveAccountId(details, doc.source, doc.accountId), doc.source);
    }
    return new SnapshotIamFacts(index, org);
  }

  /**
   * Reads snapshot files (JSON, optionally .gz) and an optional organization file. A file without ARNs takes its
   * account from an "AccountId" field or a 12-digit number in its file name. Throws SnapshotError naming the file.
   */
  static fromFiles(paths: string[], orgPath?: string): SnapshotIamFacts {
    const docs = paths.map((p) => {
      const details = asAuthorizationDetails(readJsonFile(p, 'snapshot'), p);
      const fromName = /(?:^|[^0-9])([0-9]{12})(?![0-9])/.exec(path.basename(p))?.[1];
      const needsName = accountsInArns(details).size === 0 && !details.AccountId;
      return { details, source: p, accountId: needsName ? fromName : undefined };
    });
    let org: OrganizationFile | undefined;
    if (orgPath !== undefined) {
      try {
        org = parseOrganizationFile(readJsonFile(orgPath, 'organization'), orgPath);
      } catch (e) {
        if (e instanceof OrganizationFileError) throw new SnapshotError(e.message);
        throw e;
      }
    }
    return SnapshotIamFacts.fromAuthorizationDetails(docs, org);
  }

  /** Accounts with a snapshot loaded. */
  get accountIds(): string[] {
    return [...this.index.accounts.keys()];
  }

  getRole(roleArn: string): Promise<Lookup<RoleFacts>> {
    return settled<Lookup<RoleFacts>>(() => this.getRoleSync(roleArn));
  }

  /** Synchronous form of getRole (the snapshot needs no I/O), for benchmarks and offline tools. */
  getRoleSync(roleArn: string): Lookup<RoleFacts> {
    const cached = this.roleLookups.get(roleArn);
    if (cached) return cached;
    const arn = parseIamArn(roleArn);
    if (arn?.resourceType !== 'role') return unknown(`${roleArn} is not an IAM role ARN`);
    const acct = this.index.accounts.get(arn.accountId);
    let result: Lookup<RoleFacts>;
    if (!acct) result = unknown(this.noSnapshot(arn.accountId));
    else if (!acct.roles) result = unknown(missingList(acct, 'RoleDetailList', 'Role'));
    else {
      // Case-sensitive on purpose: AssumeRole matches the role name exactly.
      const role = acct.roles.get(arn.name);
      if (role) result = { status: 'found', value: buildRoleFacts(this.index, acct, role) };
      else result = acct.truncated ? unknown(truncated(acct, `role ${arn.name}`)) : NOT_FOUND;
    }
    if (result.status === 'found') this.roleLookups.set(roleArn, result);
    return result;
  }

  getUser(userArn: string): Promise<Lookup<UserFacts>> {
    return settled<Lookup<UserFacts>>(() => this.getUserSync(userArn));
  }

  getUserSync(userArn: string): Lookup<UserFacts> {
    const cached = this.userLookups.get(userArn);
    if (cached) return cached;
    const arn = parseIamArn(userArn);
    if (arn?.resourceType !== 'user') return unknown(`${userArn} is not an IAM user ARN`);
    const acct = this.index.accounts.get(arn.accountId);
    let result: Lookup<UserFacts>;
    if (!acct) result = unknown(this.noSnapshot(arn.accountId));
    else if (!acct.users) result = unknown(missingList(acct, 'UserDetailList', 'User'));
    else {
      const user = acct.users.get(arn.name);
      if (user) result = { status: 'found', value: buildUserFacts(this.index, acct, user) };
      else result = acct.truncated ? unknown(truncated(acct, `user ${arn.name}`)) : NOT_FOUND;
    }
    if (result.status === 'found') this.userLookups.set(userArn, result);
    return result;
  }

  listRoleNames(accountId: string): Promise<Lookup<string[]>> {
    return settled<Lookup<string[]>>(() => this.listRoleNamesSync(accountId));
  }

  listRoleNamesSync(accountId: string): Lookup<string[]> {
    const cached = this.roleNameLists.get(accountId);
    if (cached) return cached;
    const acct = this.index.accounts.get(accountId);
    let result: Lookup<string[]>;
    if (!acct) result = unknown(this.noSnapshot(accountId));
    else if (!acct.roles) result = unknown(missingList(acct, 'RoleDetailList', 'Role'));
    else result = { status: 'found', value: Object.freeze([...acct.roles.keys()]) as string[] };
    this.roleNameLists.set(accountId, result);
    return result;
  }

  getIdentityProvider(providerArn: string): Promise<Lookup<IdentityProviderFacts>> {
    return settled<Lookup<IdentityProviderFacts>>(() => this.getIdentityProviderSync(providerArn));
  }

  getIdentityProviderSync(providerArn: string): Lookup<IdentityProviderFacts> {
    const arn = parseIamArn(providerArn);
    if (!arn || (arn.resourceType !== 'oidc-provider' && arn.resourceType !== 'saml-provider')) {
      return unknown(`${providerArn} is not an IAM OIDC or SAML provider ARN`);
    }
    const acct = this.index.accounts.get(arn.accountId);
    if (!acct) return unknown(this.noSnapshot(arn.accountId));
    const oidc = arn.resourceType === 'oidc-provider';
    const providers = oidc ? acct.oidcProviders : acct.samlProviders;
    if (!providers) {
      const list = oidc ? 'OpenIDConnectProviderList' : 'SAMLProviderList';
      return unknown(
        `the snapshot of account ${acct.accountId} has no ${list} (get-account-authorization-details does not ` +
          'include identity providers; see docs/snapshots.md to add them)',
      );
    }
    const provider = providers.get(providerArn);
    return provider ? { status: 'found', value: provider } : NOT_FOUND;
  }

  getOrganizationPolicies(accountId: string): Promise<Lookup<OrgPolicyChain>> {
    return settled<Lookup<OrgPolicyChain>>(() => this.getOrganizationPoliciesSync(accountId));
  }

  getOrganizationPoliciesSync(accountId: string): Lookup<OrgPolicyChain> {
    const cached = this.chainLookups.get(accountId);
    if (cached) return cached;
    let result: Lookup<OrgPolicyChain>;
    if (!this.org) result = unknown('no organization file was loaded, so SCPs and RCPs are not known');
    else {
      const chain = organizationPolicyChain(this.org, accountId);
      result = chain
        ? { status: 'found', value: chain }
        : unknown(`account ${accountId} is not in the organization file ${this.org.source}`);
    }
    this.chainLookups.set(accountId, result);
    return result;
  }

  /** Accepts a bare unique ID or a CloudTrail principalId ("AROA…:session"). */
  findPrincipalByUniqueId(uniqueId: string): Promise<Lookup<string>> {
    return settled<Lookup<string>>(() => this.findPrincipalByUniqueIdSync(uniqueId));
  }

  findPrincipalByUniqueIdSync(uniqueId: string): Lookup<string> {
    const colon = uniqueId.indexOf(':');
    const id = colon < 0 ? uniqueId : uniqueId.slice(0, colon);
    const arn = this.index.uniqueIds.get(id);
    if (arn) return { status: 'found', value: arn };
    // Unique IDs carry no account, so absence from the loaded snapshots proves nothing about other accounts.
    return unknown(
      `no principal with unique ID ${id} in the snapshots of ${this.accountIds.join(', ') || 'no account'}; ` +
        'it may be a deleted principal (IAM never reuses unique IDs) or one in an account without a snapshot',
    );
  }

  private noSnapshot(accountId: string): string {
    return `no snapshot for account ${accountId} (loaded: ${this.accountIds.join(', ') || 'none'})`;
  }
}

/** A synchronous answer as a promise, and a throw as a rejection, as an async method would give them. */
function settled<T>(compute: () => T): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (error) {
    return Promise.reject(error);
  }
}

function missingList(acct: AccountIndex, list: string, filter: string): string {
  return `the snapshot of account ${acct.accountId} (${acct.sources.join(', ')}) has no ${list} (made with --filter without ${filter}?)`;
}

function truncated(acct: AccountIndex, what: string): string {
  return `${what} is not in ${acct.sources.join(', ')}, but the snapshot is one truncated page (IsTruncated: true)`;
}

function readJsonFile(p: string, what: string): unknown {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(p);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new SnapshotError(`${p}: cannot read ${what} file (${err.code ?? err.message})`);
  }
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new SnapshotError(`${p}: gzip data is corrupt (${(e as Error).message})`);
    }
  }
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SnapshotError(`${p}: ${what} file is not valid JSON (${(e as Error).message})`);
  }
}
