import {
  type PolicyDocument,
  parsePolicyDocument,
  type RawAuthorizationDetails,
  type RawRoleDetail,
  type RawUserDetail,
  toArray,
} from '../src/engine';
import { seededRandom } from './seeded-random';

/**
 * Denied CloudTrail records for the engine benchmark, derived from whatever account the generator produced: the
 * builder reads the roles' trust policies and picks callers that each trust policy does *not* let in, so every
 * record is a real denial with a known intended cause. Deterministic for a given seed.
 *
 * The mix (weights below) covers the diagnosis paths whose cost differs: a trust principal mismatch, a failed
 * trust condition (ExternalId), a missing identity allow (walks the caller's user/group/managed policies), a role
 * that does not exist (closest-name search over every role in the account), an OIDC web-identity call with the
 * wrong `sub`, and a caller from an account with no snapshot (everything about the caller unknown).
 */

export type BenchKind =
  | 'trust-principal-missing'
  | 'trust-condition-failed'
  | 'identity-no-allow'
  | 'role-not-found'
  | 'oidc-sub-mismatch'
  | 'unknown-caller-account';

export interface BenchEvent {
  kind: BenchKind;
  record: Record<string, unknown>;
}

const WEIGHTS: Array<[BenchKind, number]> = [
  ['trust-principal-missing', 25],
  ['trust-condition-failed', 15],
  ['identity-no-allow', 20],
  ['role-not-found', 15],
  ['oidc-sub-mismatch', 20],
  ['unknown-caller-account', 5],
];

/** An account no snapshot describes: its callers' identity policies are unknown. */
const FOREIGN_ACCOUNT = '999988887777';

interface RoleProfile {
  role: RawRoleDetail;
  arn: string;
  name: string;
  trust: PolicyDocument;
  /** AWS principals named by Allow statements. */
  awsPrincipals: string[];
  /** Federated OIDC provider ARNs named by Allow statements. */
  oidcProviders: string[];
  /** Allow statements for sts:AssumeRole with an sts:ExternalId condition, by the principals they name. */
  externalIdPrincipals: string[];
  trustsOwnAccount: boolean;
}

function profileRole(role: RawRoleDetail, accountId: string): RoleProfile | undefined {
  if (!role.Arn || !role.RoleName) return undefined;
  const trust = parsePolicyDocument(role.AssumeRolePolicyDocument, `trust policy of ${role.Arn}`);
  const profile: RoleProfile = {
    role,
    arn: role.Arn,
    name: role.RoleName,
    trust,
    awsPrincipals: [],
    oidcProviders: [],
    externalIdPrincipals: [],
    trustsOwnAccount: false,
  };
  for (const st of trust.Statement) {
    if (st.Effect !== 'Allow' || !st.Principal || st.Principal === '*') continue;
    const aws = toArray(st.Principal.AWS);
    const federated = toArray(st.Principal.Federated);
    profile.awsPrincipals.push(...aws);
    profile.oidcProviders.push(...federated.filter((f) => f.includes(':oidc-provider/')));
    if (aws.some((p) => p === accountId || p === `arn:aws:iam::${accountId}:root`)) profile.trustsOwnAccount = true;
    const conditionKeys = Object.values(st.Condition ?? {}).flatMap((block) =>
      Object.keys(block).map((k) => k.toLowerCase()),
    );
    if (conditionKeys.includes('sts:externalid')) profile.externalIdPrincipals.push(...aws);
  }
  return profile;
}

function accountOf(details: RawAuthorizationDetails): string {
  for (const list of [details.RoleDetailList, details.UserDetailList]) {
    for (const entry of list ?? []) {
      const m = /^arn:aws:iam::([0-9]{12}):/.exec(entry.Arn ?? '');
      if (m) return m[1];
    }
  }
  throw new Error('generated account has no principal ARNs');
}

const isoTime = (i: number): string =>
  new Date(Date.UTC(2025, 4, 14, 0, 0, 0) + i * 1000).toISOString().replace('.000Z', 'Z');

function baseRecord(
  i: number,
  api: string,
  userIdentity: Record<string, unknown>,
  roleArn: string,
  accountId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity,
    eventTime: isoTime(i),
    eventSource: 'sts.amazonaws.com',
    eventName: api,
    awsRegion: 'eu-west-1',
    sourceIPAddress: `198.51.100.${i % 250}`,
    userAgent: 'aws-cli/2.27.14 md/command#sts.assume-role',
    errorCode: 'AccessDenied',
    errorMessage: `Not authorized to perform sts:${api}`,
    requestParameters: { roleArn, roleSessionName: `bench-${i}`, ...extra },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `bench-event-${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: accountId,
  };
}

function userIdentityOf(user: RawUserDetail, accountId: string): Record<string, unknown> {
  return {
    type: 'IAMUser',
    principalId: user.UserId,
    arn: user.Arn,
    accountId,
    accessKeyId: 'AKIABENCHEXAMPLE0001',
    userName: user.UserName,
  };
}

/** The userIdentity CloudTrail logs for a call made by the IAM user or (a session of) the IAM role `arn`. */
function identityForPrincipalArn(arn: string, i: number): Record<string, unknown> {
  const m = /^arn:aws:iam::([0-9]{12}):(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) throw new Error(`bench: unexpected trust principal ${arn}`);
  const [, account, kind, name] = m;
  if (kind === 'user') {
    return {
      type: 'IAMUser',
      principalId: 'AIDABENCHEXTERNAL0002',
      arn,
      accountId: account,
      accessKeyId: 'AKIABENCHEXAMPLE0002',
      userName: name,
    };
  }
  const session = `bench-session-${i}`;
  return {
    type: 'AssumedRole',
    principalId: `AROABENCHEXTERNAL0003:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
    accountId: account,
    accessKeyId: 'ASIABENCHEXAMPLE0003',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROABENCHEXTERNAL0003', arn, accountId: account, userName: name },
      attributes: { creationDate: isoTime(i - 60), mfaAuthenticated: 'false' },
    },
  };
}

/** A name close to an existing one that no role has: drop, double or swap a character. */
function misspell(name: string, existing: ReadonlySet<string>, rnd: () => number): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pos = Math.floor(rnd() * name.length);
    const variants = [
      name.slice(0, pos) + name.slice(pos + 1),
      name.slice(0, pos) + name[pos] + name.slice(pos),
      pos + 1 < name.length ? name.slice(0, pos) + name[pos + 1] + name[pos] + name.slice(pos + 2) : `${name}s`,
    ];
    const candidate = variants[Math.floor(rnd() * variants.length)];
    if (candidate.length > 0 && !existing.has(candidate)) return candidate;
  }
  return `${name}-missing`;
}

export function buildBenchEvents(details: RawAuthorizationDetails, count: number, seed: number): BenchEvent[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const accountId = accountOf(details);
  const roles = (details.RoleDetailList ?? [])
    .map((r) => profileRole(r, accountId))
    .filter((p): p is RoleProfile => !!p);
  const users = (details.UserDetailList ?? []).filter((u) => u.Arn && u.UserName);
  const roleNames = new Set(roles.map((r) => r.name));

  const pools: Record<BenchKind, RoleProfile[]> = {
    'trust-principal-missing': roles.filter((r) =>
      r.awsPrincipals.some((p) => p.includes(':user/') || p.includes(':role/')),
    ),
    'trust-condition-failed': roles.filter((r) => r.externalIdPrincipals.length > 0),
    'identity-no-allow': roles.filter((r) => r.trustsOwnAccount),
    'role-not-found': roles,
    'oidc-sub-mismatch': roles.filter((r) => r.oidcProviders.length > 0),
    'unknown-caller-account': roles.filter((r) => r.awsPrincipals.length > 0),
  };
  const kinds = WEIGHTS.filter(([kind]) => pools[kind].length > 0 && (users.length > 0 || !kind.includes('identity')));
  const missingKinds = WEIGHTS.filter(([kind]) => !kinds.some(([k]) => k === kind)).map(([k]) => k);
  if (missingKinds.length > 0)
    throw new Error(`generated account cannot produce these bench cases: ${missingKinds.join(', ')}`);
  const totalWeight = kinds.reduce((sum, [, w]) => sum + w, 0);

  const events: BenchEvent[] = [];
  for (let i = 0; i < count; i++) {
    let roll = rnd() * totalWeight;
    const kind =
      kinds.find(([, w]) => {
        roll -= w;
        return roll < 0;
      })?.[0] ?? kinds[kinds.length - 1][0];
    const role = pick(pools[kind]);
    let record: Record<string, unknown>;
    switch (kind) {
      case 'trust-principal-missing': {
        // A user the trust policy does not name.
        let user = pick(users);
        for (let tries = 0; tries < 5 && role.awsPrincipals.includes(user.Arn as string); tries++) user = pick(users);
        record = baseRecord(i, 'AssumeRole', userIdentityOf(user, accountId), role.arn, accountId);
        break;
      }
      case 'identity-no-allow': {
        // The trust policy names the account (with an MFA condition in generated accounts), so the caller's own
        // policies decide; the user signs the call with an MFA device (--serial-number/--token-code) so the trust
        // condition holds. Most generated users have no allow for an arbitrary role.
        const user = pick(users);
        record = baseRecord(i, 'AssumeRole', userIdentityOf(user, accountId), role.arn, accountId, {
          serialNumber: `arn:aws:iam::${accountId}:mfa/${user.UserName}`,
        });
        break;
      }
      case 'trust-condition-failed': {
        // The named principal calls without the ExternalId.
        const principal = pick(role.externalIdPrincipals);
        const m = /^(?:arn:aws:iam::)?([0-9]{12})(?::root)?$/.exec(principal);
        const identity = m
          ? { type: 'AWSAccount', principalId: 'AIDABENCHEXTERNAL0001', accountId: m[1] }
          : identityForPrincipalArn(principal, i);
        record = baseRecord(i, 'AssumeRole', identity, role.arn, accountId);
        break;
      }
      case 'role-not-found': {
        const missing = misspell(role.name, roleNames, rnd);
        record = baseRecord(
          i,
          'AssumeRole',
          userIdentityOf(pick(users), accountId),
          `arn:aws:iam::${accountId}:role/${missing}`,
          accountId,
        );
        break;
      }
      case 'oidc-sub-mismatch': {
        const provider = pick(role.oidcProviders);
        const sub = `repo:bench-org/service-${i % 97}:ref:refs/heads/feature-${i}`;
        const identity = {
          type: 'WebIdentityUser',
          principalId: `${provider}:sts.amazonaws.com:${sub}`,
          userName: sub,
          identityProvider: provider,
        };
        record = baseRecord(i, 'AssumeRoleWithWebIdentity', identity, role.arn, accountId);
        break;
      }
      case 'unknown-caller-account': {
        const identity = { type: 'AWSAccount', principalId: 'AIDABENCHFOREIGN00001', accountId: FOREIGN_ACCOUNT };
        record = baseRecord(i, 'AssumeRole', identity, role.arn, accountId);
        break;
      }
    }
    events.push({ kind, record });
  }
  return events;
}
