import type { IdentityProviderFacts } from '../iam-facts';
import { PolicyParseError, parsePolicyDocument } from '../policy-document';
import type { PolicyDocument } from '../policy-types';
import type {
  RawAttachedPolicy,
  RawAuthorizationDetails,
  RawInlinePolicy,
  RawManagedPolicyDetail,
  RawTag,
} from './authorization-details-types';
import { parseIamArn } from './iam-arn';
import { SnapshotError } from './snapshot-error';

/**
 * The in-memory index of one or more get-account-authorization-details files. Built once at load: every policy
 * document the engine can need (trust, inline, each managed policy's default version) is parsed here exactly once;
 * other policy versions are never parsed. Principal facts are assembled from this on first lookup.
 */
export interface InlinePolicy {
  name: string;
  document: PolicyDocument;
}

export interface AttachedRef {
  arn: string;
  name: string;
}

interface IndexedPrincipal {
  arn: string;
  name: string;
  path: string;
  createDate?: string;
  inline: InlinePolicy[];
  attached: AttachedRef[];
}

export interface IndexedRole extends IndexedPrincipal {
  roleId: string;
  trustPolicy: PolicyDocument;
  boundaryArn?: string;
  tags: Record<string, string>;
  /** Only when the file carried MaxSessionDuration (get-account-authorization-details does not). */
  maxSessionDuration?: number;
  source: string;
}

export interface IndexedUser extends IndexedPrincipal {
  userId: string;
  groups: string[];
  boundaryArn?: string;
  tags: Record<string, string>;
  source: string;
}

export interface IndexedGroup extends IndexedPrincipal {
  groupId: string;
  /** The policies its members' facts share (principal-facts.ts), made on the first member's lookup. */
  memberPolicies: object | undefined;
}

export interface ManagedPolicyEntry {
  arn: string;
  name: string;
  /** The default version's document; absent when the file had none (then `problem` says why). */
  document?: PolicyDocument;
  problem?: string;
}

export class AccountIndex {
  readonly sources: string[] = [];
  /** Undefined when no file for the account had the list at all (e.g. made with --filter that excluded it). */
  roles?: Map<string, IndexedRole>;
  users?: Map<string, IndexedUser>;
  groups?: Map<string, IndexedGroup>;
  policiesListed = false;
  /** Some file was one page of a paginated call (IsTruncated: true): absence proves nothing. */
  truncated = false;
  oidcProviders?: Map<string, IdentityProviderFacts>;
  samlProviders?: Map<string, IdentityProviderFacts>;

  constructor(readonly accountId: string) {}
}

export interface SnapshotIndex {
  accounts: Map<string, AccountIndex>;
  /** By ARN, all accounts together (AWS-managed policy ARNs are the same in every account). */
  managedPolicies: Map<string, ManagedPolicyEntry>;
  /** UserId / RoleId / GroupId → ARN. */
  uniqueIds: Map<string, string>;
}

export function emptyIndex(): SnapshotIndex {
  return { accounts: new Map(), managedPolicies: new Map(), uniqueIds: new Map() };
}

function parseDoc(input: unknown, where: string): PolicyDocument {
  if (input === undefined || input === null) throw new SnapshotError(`${where}: policy document is missing`);
  try {
    return parsePolicyDocument(input, where);
  } catch (e) {
    if (e instanceof PolicyParseError) throw new SnapshotError(e.message);
    throw e;
  }
}

function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new SnapshotError(`${where}: ${key} is missing`);
  return v;
}

function dateString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

function tagsOf(tags: RawTag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? [])
    if (t && typeof t.Key === 'string') out[t.Key] = typeof t.Value === 'string' ? t.Value : '';
  return out;
}

function inlineOf(list: RawInlinePolicy[] | undefined, where: string): InlinePolicy[] {
  const out: InlinePolicy[] = [];
  (list ?? []).forEach((p, i) => {
    const name = requireString(p as Record<string, unknown>, 'PolicyName', `${where} inline policy [${i}]`);
    out.push({ name, document: parseDoc(p.PolicyDocument, `${where} inline policy ${name}`) });
  });
  return out;
}

function attachedOf(list: RawAttachedPolicy[] | undefined, where: string): AttachedRef[] {
  const out: AttachedRef[] = [];
  (list ?? []).forEach((p, i) => {
    const arn = requireString(p as Record<string, unknown>, 'PolicyArn', `${where} AttachedManagedPolicies[${i}]`);
    out.push({ arn, name: typeof p.PolicyName === 'string' ? p.PolicyName : arn.slice(arn.lastIndexOf('/') + 1) });
  });
  return out;
}

function entity(list: unknown[], i: number, listName: string, source: string): Record<string, unknown> {
  const e = list[i];
  if (typeof e !== 'object' || e === null) throw new SnapshotError(`${source}: ${listName}[${i}] must be an object`);
  return e as Record<string, unknown>;
}

/** Adds one file's content for `accountId` to the index (several files for one account merge; later entries win). */
export function addToIndex(index: SnapshotIndex, d: RawAuthorizationDetails, accountId: string, source: string): void {
  let acct = index.accounts.get(accountId);
  if (!acct) {
    acct = new AccountIndex(accountId);
    index.accounts.set(accountId, acct);
  }
  acct.sources.push(source);
  if (d.IsTruncated === true) acct.truncated = true;

  if (d.Policies) {
    acct.policiesListed = true;
    const policies = d.Policies;
    policies.forEach((_, i) => {
      const p = entity(policies, i, 'Policies', source) as RawManagedPolicyDetail;
      const entry = managedPolicyEntry(p, `${source}: Policies[${i}]`);
      index.managedPolicies.set(entry.arn, entry);
    });
  }
  if (d.GroupDetailList) {
    let groups = acct.groups;
    if (!groups) {
      groups = new Map();
      acct.groups = groups;
    }
    const groupDetailList = d.GroupDetailList;
    groupDetailList.forEach((_, i) => {
      const g = entity(groupDetailList, i, 'GroupDetailList', source);
      const where = `${source}: GroupDetailList[${i}]`;
      const name = requireString(g, 'GroupName', where);
      const group: IndexedGroup = {
        ...principalBase(g, name, `${where} (group ${name})`, 'GroupPolicyList'),
        groupId: requireString(g, 'GroupId', where),
        memberPolicies: undefined,
      };
      groups.set(name, group);
      index.uniqueIds.set(group.groupId, group.arn);
    });
  }
  if (d.UserDetailList) {
    let users = acct.users;
    if (!users) {
      users = new Map();
      acct.users = users;
    }
    const userDetailList = d.UserDetailList;
    userDetailList.forEach((_, i) => {
      const u = entity(userDetailList, i, 'UserDetailList', source);
      const where = `${source}: UserDetailList[${i}]`;
      const name = requireString(u, 'UserName', where);
      const groups = Array.isArray(u.GroupList) ? u.GroupList.filter((g): g is string => typeof g === 'string') : [];
      const user: IndexedUser = {
        ...principalBase(u, name, `${where} (user ${name})`, 'UserPolicyList'),
        userId: requireString(u, 'UserId', where),
        groups,
        boundaryArn: boundaryOf(u),
        tags: tagsOf(u.Tags as RawTag[] | undefined),
        source,
      };
      users.set(name, user);
      index.uniqueIds.set(user.userId, user.arn);
    });
  }
  if (d.RoleDetailList) {
    let roles = acct.roles;
    if (!roles) {
      roles = new Map();
      acct.roles = roles;
    }
    const roleDetailList = d.RoleDetailList;
    roleDetailList.forEach((_, i) => {
      const r = entity(roleDetailList, i, 'RoleDetailList', source);
      const where = `${source}: RoleDetailList[${i}]`;
      const name = requireString(r, 'RoleName', where);
      const maxSessionDuration = typeof r.MaxSessionDuration === 'number' ? r.MaxSessionDuration : undefined;
      const role: IndexedRole = {
        ...principalBase(r, name, `${where} (role ${name})`, 'RolePolicyList'),
        roleId: requireString(r, 'RoleId', where),
        trustPolicy: parseDoc(r.AssumeRolePolicyDocument, `${where} (role ${name}) AssumeRolePolicyDocument`),
        boundaryArn: boundaryOf(r),
        tags: tagsOf(r.Tags as RawTag[] | undefined),
        maxSessionDuration,
        source,
      };
      roles.set(name, role);
      index.uniqueIds.set(role.roleId, role.arn);
    });
  }
  if (d.OpenIDConnectProviderList) {
    let providers = acct.oidcProviders;
    if (!providers) {
      providers = new Map();
      acct.oidcProviders = providers;
    }
    const openIDConnectProviderList = d.OpenIDConnectProviderList;
    openIDConnectProviderList.forEach((_, i) => {
      const p = entity(openIDConnectProviderList, i, 'OpenIDConnectProviderList', source);
      const where = `${source}: OpenIDConnectProviderList[${i}]`;
      const arn = requireString(p, 'Arn', where);
      const parsed = parseIamArn(arn);
      if (parsed?.resourceType !== 'oidc-provider')
        throw new SnapshotError(`${where}: ${arn} is not an OIDC provider ARN`);
      const url = typeof p.Url === 'string' ? p.Url.replace(/^https:\/\//, '') : parsed.name;
      const clientIds = Array.isArray(p.ClientIDList)
        ? p.ClientIDList.filter((c): c is string => typeof c === 'string')
        : undefined;
      providers.set(arn, { arn, type: 'oidc', url, clientIds });
    });
  }
  if (d.SAMLProviderList) {
    let providers = acct.samlProviders;
    if (!providers) {
      providers = new Map();
      acct.samlProviders = providers;
    }
    const sAMLProviderList = d.SAMLProviderList;
    sAMLProviderList.forEach((_, i) => {
      const p = entity(sAMLProviderList, i, 'SAMLProviderList', source);
      const arn = requireString(p, 'Arn', `${source}: SAMLProviderList[${i}]`);
      providers.set(arn, { arn, type: 'saml' });
    });
  }
}

function principalBase(
  e: Record<string, unknown>,
  name: string,
  where: string,
  inlineList: 'UserPolicyList' | 'GroupPolicyList' | 'RolePolicyList',
): IndexedPrincipal {
  const arn = requireString(e, 'Arn', where);
  return {
    arn,
    name,
    path: typeof e.Path === 'string' ? e.Path : '/',
    createDate: dateString(e.CreateDate),
    inline: inlineOf(e[inlineList] as RawInlinePolicy[] | undefined, where),
    attached: attachedOf(e.AttachedManagedPolicies as RawAttachedPolicy[] | undefined, where),
  };
}

function boundaryOf(e: Record<string, unknown>): string | undefined {
  const b = e.PermissionsBoundary as { PermissionsBoundaryArn?: unknown } | undefined;
  return b && typeof b.PermissionsBoundaryArn === 'string' ? b.PermissionsBoundaryArn : undefined;
}

/** Only the default version is parsed: it is the one IAM evaluates. */
function managedPolicyEntry(p: RawManagedPolicyDetail, where: string): ManagedPolicyEntry {
  const arn = requireString(p as Record<string, unknown>, 'Arn', where);
  const name = typeof p.PolicyName === 'string' ? p.PolicyName : arn.slice(arn.lastIndexOf('/') + 1);
  const versions = Array.isArray(p.PolicyVersionList) ? p.PolicyVersionList : [];
  const defaultVersion =
    versions.find((v) => v?.IsDefaultVersion === true) ??
    (p.DefaultVersionId ? versions.find((v) => v?.VersionId === p.DefaultVersionId) : undefined);
  if (!defaultVersion || defaultVersion.Document === undefined) {
    return { arn, name, problem: `the snapshot lists ${arn} without its default version's document` };
  }
  return { arn, name, document: parseDoc(defaultVersion.Document, `${where} (${arn}) default version`) };
}
