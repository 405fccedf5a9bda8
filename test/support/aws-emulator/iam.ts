import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatedError } from './protocol';
import type { QueryService, RequestContext } from './server';

/**
 * One account's IAM, as test/fixtures/iam-api/account-<id>.json records it: per API, the response IAM returned
 * (URL-encoded policy documents included), keyed by the name or ARN asked for.
 */
export type IamAccountFixture = Record<string, Record<string, unknown>> & { accountId: string };

const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'iam-api');

export function loadIamAccount(accountId: string): IamAccountFixture {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `account-${accountId}.json`), 'utf8')) as IamAccountFixture;
}

function findCaseInsensitive(table: unknown, key: string | undefined): unknown {
  if (!table || typeof table !== 'object' || key === undefined) return undefined;
  const match = Object.keys(table).find((k) => k.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : (table as Record<string, unknown>)[match];
}

/** By-name APIs: the parameter that names the entity, and how IAM words it when it is missing. */
const BY_NAME: Record<string, [field: string, label: string]> = {
  GetRole: ['RoleName', 'role'],
  ListRolePolicies: ['RoleName', 'role'],
  ListAttachedRolePolicies: ['RoleName', 'role'],
  GetUser: ['UserName', 'user'],
  ListUserPolicies: ['UserName', 'user'],
  ListAttachedUserPolicies: ['UserName', 'user'],
  ListGroupsForUser: ['UserName', 'user'],
  ListGroupPolicies: ['GroupName', 'group'],
  ListAttachedGroupPolicies: ['GroupName', 'group'],
};
const INLINE: Record<string, [field: string, label: string]> = {
  GetRolePolicy: ['RoleName', 'role'],
  GetUserPolicy: ['UserName', 'user'],
  GetGroupPolicy: ['GroupName', 'group'],
};
const BY_ARN: Record<string, [field: string, label: string]> = {
  GetPolicy: ['PolicyArn', 'policy'],
  GetOpenIDConnectProvider: ['OpenIDConnectProviderArn', 'OpenIDConnect provider'],
  GetSAMLProvider: ['SAMLProviderArn', 'SAML provider'],
};

/**
 * IAM in the awsQuery protocol, one fixture per account: the account is the one the request was signed for (the
 * caller's, or the role's for credentials STS issued). Unknown names answer NoSuchEntity (404) as IAM does.
 */
export class EmulatedIam implements QueryService {
  readonly name = 'iam';
  readonly xmlns = 'https://iam.amazonaws.com/doc/2010-05-08/';
  private readonly accounts = new Map<string, IamAccountFixture>();

  addAccount(fixture: IamAccountFixture): void {
    this.accounts.set(fixture.accountId, fixture);
  }

  account(accountId: string): IamAccountFixture | undefined {
    return this.accounts.get(accountId);
  }

  /** Whether the role exists in the account (STS checks it before assuming). */
  hasRole(accountId: string, roleName: string): boolean {
    return findCaseInsensitive(this.accounts.get(accountId)?.GetRole, roleName) !== undefined;
  }

  handle(action: string, form: Record<string, string>, ctx: RequestContext): unknown {
    const fixture = this.accounts.get(ctx.caller.accountId);
    if (!fixture) throw new EmulatedError(403, 'AccessDenied', `no IAM is emulated for ${ctx.caller.accountId}`);
    const missing = (what: string) => new EmulatedError(404, 'NoSuchEntity', `The ${what} cannot be found.`);
    if (BY_NAME[action]) {
      const [field, label] = BY_NAME[action];
      const found = findCaseInsensitive(fixture[action], form[field]);
      if (found === undefined) throw missing(`${label} with name ${form[field]}`);
      return found;
    }
    if (INLINE[action]) {
      const [field, label] = INLINE[action];
      const found = findCaseInsensitive(findCaseInsensitive(fixture[action], form[field]), form.PolicyName);
      if (found === undefined) throw missing(`${label} policy with name ${form.PolicyName}`);
      return found;
    }
    if (BY_ARN[action]) {
      const [field, label] = BY_ARN[action];
      const found = fixture[action]?.[form[field]];
      if (found === undefined) throw missing(`${label} ${form[field]}`);
      return found;
    }
    if (action === 'GetPolicyVersion') {
      const found = (fixture.GetPolicyVersion?.[form.PolicyArn] as Record<string, unknown> | undefined)?.[
        form.VersionId
      ];
      if (found === undefined) throw missing(`policy ${form.PolicyArn} version ${form.VersionId}`);
      return found;
    }
    if (action === 'ListRoles') return listRoles(fixture, form);
    throw new EmulatedError(400, 'InvalidAction', `IAM action ${action} is not emulated`);
  }
}

/** ListRoles pages with Marker / MaxItems (default 100) and IsTruncated, as IAM does. */
function listRoles(fixture: IamAccountFixture, form: Record<string, string>): unknown {
  const all = ((fixture.ListRoles as { Roles?: unknown[] } | undefined)?.Roles ?? []) as unknown[];
  const start = form.Marker ? Number(form.Marker) : 0;
  const size = form.MaxItems ? Number(form.MaxItems) : 100;
  const page = all.slice(start, start + size);
  const next = start + size;
  return next < all.length
    ? { Roles: page, IsTruncated: true, Marker: String(next) }
    : { Roles: page, IsTruncated: false };
}
