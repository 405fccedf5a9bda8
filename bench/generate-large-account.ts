import type {
  RawAuthorizationDetails,
  RawGroupDetail,
  RawManagedPolicyDetail,
  RawRoleDetail,
  RawUserDetail,
} from '../src/engine';
import { seededRandom } from './seeded-random';

/**
 * A deterministic, realistic get-account-authorization-details document for load/lookup benchmarks: users in
 * groups, roles trusted by users / roles / services / GitHub and EKS OIDC / SAML with typical conditions,
 * permissions boundaries, multi-version managed policies, tags, and a share of URL-encoded documents (as the raw
 * IAM API returns them) mixed with decoded objects (as the CLI prints them).
 */
export interface LargeAccountOptions {
  seed?: number;
  accountId?: string;
  roles?: number;
  managedPolicies?: number;
  users?: number;
  groups?: number;
  /** Share of policy documents written URL-encoded (0..1). */
  urlEncodedShare?: number;
}

const SERVICES: Record<string, string[]> = {
  s3: ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject', 'GetBucketPolicy'],
  ec2: ['DescribeInstances', 'StartInstances', 'StopInstances', 'RunInstances', 'CreateTags'],
  dynamodb: ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
  sts: ['AssumeRole', 'TagSession', 'GetCallerIdentity'],
  lambda: ['InvokeFunction', 'GetFunction', 'UpdateFunctionCode'],
  kms: ['Decrypt', 'Encrypt', 'GenerateDataKey'],
  logs: ['CreateLogStream', 'PutLogEvents', 'DescribeLogGroups'],
  iam: ['GetRole', 'PassRole', 'ListRoles'],
  sqs: ['SendMessage', 'ReceiveMessage', 'DeleteMessage'],
  secretsmanager: ['GetSecretValue', 'DescribeSecret'],
};
const SERVICE_NAMES = Object.keys(SERVICES);
const TEAMS = ['payments', 'platform', 'data', 'search', 'identity', 'mobile', 'ml', 'security'];
const SERVICE_PRINCIPALS = [
  'ec2.amazonaws.com',
  'lambda.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'states.amazonaws.com',
  'codebuild.amazonaws.com',
];

export function generateLargeAccount(opts: LargeAccountOptions = {}): RawAuthorizationDetails {
  const rnd = seededRandom(opts.seed ?? 42);
  const acct = opts.accountId ?? '123456789012';
  const counts = {
    roles: opts.roles ?? 5000,
    policies: opts.managedPolicies ?? 10000,
    users: opts.users ?? 2000,
    groups: opts.groups ?? 500,
  };
  const encodedShare = opts.urlEncodedShare ?? 0.3;
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const date = (i: number) => new Date(Date.UTC(2019, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', '+00:00');
  const doc = (o: object): unknown => (rnd() < encodedShare ? encodeURIComponent(JSON.stringify(o)) : o);
  // IAM unique IDs: a 4-letter type prefix and 17 upper-case base-32 characters.
  const uid = (prefix: string, i: number) => `${prefix}${i.toString(32).toUpperCase().padStart(17, 'Q')}`;

  const permissionStatement = (i: number) => {
    const service = pick(SERVICE_NAMES);
    const actions = Array.from({ length: 1 + int(4) }, () => `${service}:${pick(SERVICES[service])}`);
    const statement: Record<string, unknown> = {
      Sid: `S${i}`,
      Effect: rnd() < 0.9 ? 'Allow' : 'Deny',
      Action: actions.length === 1 ? actions[0] : actions,
      Resource:
        service === 's3'
          ? [`arn:aws:s3:::${pick(TEAMS)}-bucket-${int(300)}`, `arn:aws:s3:::${pick(TEAMS)}-bucket-${int(300)}/*`]
          : '*',
    };
    if (rnd() < 0.25) statement.Condition = { StringEquals: { 'aws:ResourceTag/team': pick(TEAMS) } };
    else if (rnd() < 0.1) statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    return statement;
  };
  const permissionDocument = () => ({
    Version: '2012-10-17',
    Statement: Array.from({ length: 1 + int(4) }, (_, i) => permissionStatement(i)),
  });

  const policies: RawManagedPolicyDetail[] = [];
  for (let i = 0; i < counts.policies; i++) {
    const name = `${pick(TEAMS)}-policy-${i}`;
    const versionCount = 1 + int(3);
    const defaultIndex = int(versionCount);
    policies.push({
      PolicyName: name,
      PolicyId: uid('ANPA', i),
      Arn: `arn:aws:iam::${acct}:policy/${i % 10 === 0 ? 'boundaries/' : ''}${name}`,
      Path: i % 10 === 0 ? '/boundaries/' : '/',
      DefaultVersionId: `v${defaultIndex + 1}`,
      AttachmentCount: int(20),
      PermissionsBoundaryUsageCount: i % 10 === 0 ? int(50) : 0,
      IsAttachable: true,
      CreateDate: date(i),
      UpdateDate: date(i + 100),
      PolicyVersionList: Array.from({ length: versionCount }, (_, v) => ({
        Document: doc(permissionDocument()),
        VersionId: `v${v + 1}`,
        IsDefaultVersion: v === defaultIndex,
        CreateDate: date(i + v),
      })),
    });
  }
  const awsManaged: RawManagedPolicyDetail = {
    PolicyName: 'ReadOnlyAccess',
    PolicyId: 'ANPAILL3HVNFSB6DCOWYQ',
    Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    Path: '/',
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ Document: doc(permissionDocument()), VersionId: 'v1', IsDefaultVersion: true }],
  };
  policies.push(awsManaged);
  const boundaryArns = policies.filter((p) => p.Path === '/boundaries/').map((p) => p.Arn!);
  const attach = (n: number) =>
    Array.from({ length: n }, () => {
      const p = rnd() < 0.05 ? awsManaged : policies[int(counts.policies)];
      return { PolicyName: p.PolicyName, PolicyArn: p.Arn };
    });
  const inline = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, k) => ({
      PolicyName: `${prefix}-inline-${k}`,
      PolicyDocument: doc(permissionDocument()),
    }));
  const boundary = (share: number) =>
    rnd() < share ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: pick(boundaryArns) } : undefined;
  const tags = () => [
    { Key: 'team', Value: pick(TEAMS) },
    ...(rnd() < 0.5 ? [{ Key: 'env', Value: pick(['dev', 'staging', 'prod']) }] : []),
  ];

  const groups: RawGroupDetail[] = [];
  for (let i = 0; i < counts.groups; i++) {
    const name = `${pick(TEAMS)}-group-${i}`;
    groups.push({
      Path: '/',
      GroupName: name,
      GroupId: uid('AGPA', i),
      Arn: `arn:aws:iam::${acct}:group/${name}`,
      CreateDate: date(i),
      GroupPolicyList: inline(int(3), name),
      AttachedManagedPolicies: attach(1 + int(3)),
    });
  }

  const users: RawUserDetail[] = [];
  for (let i = 0; i < counts.users; i++) {
    const name = `user${i}.${pick(TEAMS)}`;
    const path = i % 7 === 0 ? '/contractors/' : '/';
    users.push({
      Path: path,
      UserName: name,
      UserId: uid('AIDA', i),
      Arn: `arn:aws:iam::${acct}:user${path}${name}`,
      CreateDate: date(i),
      UserPolicyList: inline(int(3), name),
      GroupList: counts.groups > 0 ? Array.from({ length: int(4) }, () => groups[int(counts.groups)].GroupName!) : [],
      AttachedManagedPolicies: attach(int(4)),
      PermissionsBoundary: boundary(0.2),
      Tags: tags(),
    });
  }

  const roleNames: string[] = [];
  const trustStatement = (i: number): Record<string, unknown> => {
    const kind = int(7);
    const assume = 'sts:AssumeRole';
    switch (kind) {
      case 0:
        return {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${acct}:root` },
          Action: assume,
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        };
      case 1: {
        const u = users.length > 0 ? users[int(users.length)].Arn! : `arn:aws:iam::${acct}:root`;
        return { Effect: 'Allow', Principal: { AWS: [u] }, Action: [assume, 'sts:TagSession'] };
      }
      case 2: {
        const r = roleNames.length > 0 ? `arn:aws:iam::${acct}:role/${pick(roleNames)}` : `arn:aws:iam::${acct}:root`;
        return {
          Effect: 'Allow',
          Principal: { AWS: r },
          Action: assume,
          Condition: { StringEquals: { 'sts:ExternalId': `ext-${i}` } },
        };
      }
      case 3:
        return {
          Effect: 'Allow',
          Principal: { Service: pick(SERVICE_PRINCIPALS) },
          Action: assume,
          Condition: { StringEquals: { 'aws:SourceAccount': acct } },
        };
      case 4:
        return {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${acct}:oidc-provider/token.actions.githubusercontent.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: {
              'token.actions.githubusercontent.com:sub': `repo:acme/${pick(TEAMS)}-svc-${int(200)}:ref:refs/heads/main`,
            },
          },
        };
      case 5:
        return {
          Effect: 'Allow',
          Principal: {
            Federated: `arn:aws:iam::${acct}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
          },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': `system:serviceaccount:${pick(TEAMS)}:app-${i}`,
            },
          },
        };
      default:
        return {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${acct}:saml-provider/Okta` },
          Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        };
    }
  };

  const roles: RawRoleDetail[] = [];
  for (let i = 0; i < counts.roles; i++) {
    const name = `${pick(TEAMS)}-${pick(['deploy', 'app', 'reader', 'admin', 'ci', 'batch'])}-role-${i}`;
    const path = i % 5 === 0 ? '/service-role/' : '/';
    const statements = Array.from({ length: 1 + int(2) }, () => trustStatement(i));
    roles.push({
      Path: path,
      RoleName: name,
      RoleId: uid('AROA', i),
      Arn: `arn:aws:iam::${acct}:role${path}${name}`,
      CreateDate: date(i),
      // A single statement is sometimes written as an object, as IAM allows.
      AssumeRolePolicyDocument: doc({
        Version: '2012-10-17',
        Statement: statements.length === 1 && rnd() < 0.3 ? statements[0] : statements,
      }),
      InstanceProfileList: [],
      RolePolicyList: inline(int(3), name),
      AttachedManagedPolicies: attach(1 + int(4)),
      PermissionsBoundary: boundary(0.3),
      Tags: tags(),
      RoleLastUsed: rnd() < 0.7 ? { LastUsedDate: date(i + 1000), Region: 'us-east-1' } : {},
    });
    roleNames.push(name);
  }

  return {
    UserDetailList: users,
    GroupDetailList: groups,
    RoleDetailList: roles,
    Policies: policies,
    IsTruncated: false,
    OpenIDConnectProviderList: [
      {
        Arn: `arn:aws:iam::${acct}:oidc-provider/token.actions.githubusercontent.com`,
        ClientIDList: ['sts.amazonaws.com'],
      },
      {
        Arn: `arn:aws:iam::${acct}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`,
        ClientIDList: ['sts.amazonaws.com'],
      },
    ],
    SAMLProviderList: [{ Arn: `arn:aws:iam::${acct}:saml-provider/Okta` }],
  };
}
