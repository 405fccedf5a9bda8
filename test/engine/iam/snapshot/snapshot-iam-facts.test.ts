import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SnapshotError, SnapshotIamFacts } from '../../../../src/engine/iam/snapshot/snapshot-iam-facts';

const FIXTURES = path.join(__dirname, '../../../fixtures/snapshots');
const ACCOUNT_111 = path.join(FIXTURES, 'account-111111111111.json');
const ACCOUNT_222 = path.join(FIXTURES, 'account-222222222222-raw-api.json');
const ORG = path.join(FIXTURES, 'organization.json');
const readFixture = (p: string): any => JSON.parse(fs.readFileSync(p, 'utf8'));

describe('SnapshotIamFacts over CLI and raw-API snapshots', () => {
  const facts = SnapshotIamFacts.fromFiles([ACCOUNT_111, ACCOUNT_222], ORG);

  it('derives the account of each file from its ARNs', () => {
    expect(facts.accountIds.sort()).toEqual(['111111111111', '222222222222']);
  });

  it('resolves a user with groups, inline, managed (default version) and boundary policies', async () => {
    const lookup = await facts.getUser('arn:aws:iam::111111111111:user/alice');
    if (lookup.status !== 'found') throw new Error(`expected found, got ${lookup.status}`);
    const alice = lookup.value;
    expect(alice).toMatchObject({
      name: 'alice',
      userId: 'AIDAALICEEXAMPLE00001',
      accountId: '111111111111',
      path: '/',
      groups: ['devs'],
      tags: { team: 'platform' },
    });
    expect(alice.identityPolicies.map((p) => p.source)).toEqual([
      'inline policy AllowAssumeDeploy on user alice',
      'managed policy arn:aws:iam::111111111111:policy/AssumeDeployRoles (attached to user alice)',
      'inline policy DevsAssumeReadOnly on group devs',
      'managed policy arn:aws:iam::aws:policy/ReadOnlyAccess (attached to group devs)',
    ]);
    expect(alice.identityPolicies.every((p) => p.kind === 'identity')).toBe(true);
    // the default version (v2), not v1
    expect(alice.identityPolicies[1].document.Statement[0].Sid).toBe('AssumeDeployOnly');
    expect(alice.identityPolicies[1]).toMatchObject({
      name: 'AssumeDeployRoles',
      arn: 'arn:aws:iam::111111111111:policy/AssumeDeployRoles',
    });
    expect(alice.permissionsBoundary).toMatchObject({
      kind: 'boundary',
      arn: 'arn:aws:iam::111111111111:policy/boundaries/DeveloperBoundary',
      source:
        'managed policy arn:aws:iam::111111111111:policy/boundaries/DeveloperBoundary (permissions boundary of user alice)',
    });
    expect(alice.permissionsBoundary!.document.Statement[0].Sid).toBe('OnlySts');
    expect(alice.missingPolicies).toBeUndefined();
  });

  it('finds a user with a path by its full ARN', async () => {
    const bob = await facts.getUser('arn:aws:iam::111111111111:user/contractors/bob');
    expect(bob.status === 'found' && bob.value).toMatchObject({
      path: '/contractors/',
      identityPolicies: [],
      groups: [],
    });
  });

  it('resolves a role: trust, boundary, tags, default MaxSessionDuration, identity policies', async () => {
    const lookup = await facts.getRole('arn:aws:iam::111111111111:role/Deploy');
    if (lookup.status !== 'found') throw new Error('expected found');
    const role = lookup.value;
    expect(role).toMatchObject({
      arn: 'arn:aws:iam::111111111111:role/Deploy',
      roleId: 'AROADEPLOYEXAMPLE0004',
      createDate: '2023-02-01T00:00:00+00:00',
      maxSessionDuration: 3600,
      maxSessionDurationAssumed: true,
      tags: { env: 'prod', owner: 'platform' },
    });
    expect(role.trustPolicy.Statement[0].Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'deploy-7781' } });
    expect(role.permissionsBoundary?.source).toContain('(permissions boundary of role Deploy)');
    expect(role.identityPolicies.map((p) => p.source)).toEqual([
      'inline policy DeployS3 on role Deploy',
      'managed policy arn:aws:iam::aws:policy/ReadOnlyAccess (attached to role Deploy)',
    ]);
  });

  it('normalizes a single-object trust Statement and keeps the role path', async () => {
    const lookup = await facts.getRole('arn:aws:iam::111111111111:role/service-role/Ec2App');
    if (lookup.status !== 'found') throw new Error('expected found');
    expect(lookup.value.path).toBe('/service-role/');
    expect(lookup.value.trustPolicy.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('decodes URL-encoded documents from raw API output and uses only the default policy version', async () => {
    const lookup = await facts.getRole('arn:aws:iam::222222222222:role/CrossAccountAudit');
    if (lookup.status !== 'found') throw new Error('expected found');
    const role = lookup.value;
    expect(role.trustPolicy.Statement[0].Principal).toEqual({
      AWS: ['arn:aws:iam::111111111111:role/Deploy', 'AROADELETEDROLE000012'],
    });
    expect(role.identityPolicies[0].document.Statement).toEqual([
      { Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' },
    ]);
    expect(role.identityPolicies[1].document.Statement[0].Sid).toBe('CurrentV3');
  });

  it('reports a referenced managed policy or boundary that is not in the snapshot', async () => {
    const github = await facts.getRole('arn:aws:iam::111111111111:role/GitHubActions');
    if (github.status !== 'found') throw new Error('expected found');
    expect(github.value.identityPolicies).toEqual([]);
    expect(github.value.missingPolicies).toEqual([
      {
        ref: 'arn:aws:iam::111111111111:policy/DeletedPolicy',
        kind: 'managed-policy',
        attachedTo: 'attached to role GitHubActions',
        reason: `arn:aws:iam::111111111111:policy/DeletedPolicy is not in the Policies list of ${ACCOUNT_111}`,
      },
    ]);
    const audit = await facts.getRole('arn:aws:iam::222222222222:role/CrossAccountAudit');
    if (audit.status !== 'found') throw new Error('expected found');
    expect(audit.value.permissionsBoundary).toBeUndefined();
    expect(audit.value.missingPolicies).toEqual([
      expect.objectContaining({
        ref: 'arn:aws:iam::222222222222:policy/MissingBoundary',
        kind: 'permissions-boundary',
        attachedTo: 'permissions boundary of role CrossAccountAudit',
      }),
    ]);
  });

  it('returns the same facts object on every lookup (no per-lookup copies)', async () => {
    const a = await facts.getRole('arn:aws:iam::111111111111:role/Deploy');
    const b = await facts.getRole('arn:aws:iam::111111111111:role/Deploy');
    expect(a).toBe(b);
  });

  it('tells not-found (loaded account) from unknown (no snapshot), and matches role names case-sensitively', async () => {
    expect(await facts.getRole('arn:aws:iam::111111111111:role/NoSuchRole')).toEqual({ status: 'not-found' });
    expect(await facts.getRole('arn:aws:iam::111111111111:role/deploy')).toEqual({ status: 'not-found' });
    expect(await facts.getUser('arn:aws:iam::111111111111:user/carol')).toEqual({ status: 'not-found' });
    const other = await facts.getRole('arn:aws:iam::333333333333:role/Deploy');
    expect(other).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('no snapshot for account 333333333333'),
    });
    expect((await facts.getRole('arn:aws:sts::111111111111:assumed-role/Deploy/s')).status).toBe('unknown');
  });

  it('lists role names of a loaded account', async () => {
    const names = await facts.listRoleNames('111111111111');
    expect(names.status === 'found' && [...names.value].sort()).toEqual([
      'Deploy',
      'Ec2App',
      'GitHubActions',
      'OktaAdmins',
    ]);
    expect((await facts.listRoleNames('333333333333')).status).toBe('unknown');
  });

  it('finds identity providers from the extension lists, unknown when the file has none', async () => {
    const gh = await facts.getIdentityProvider(
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(gh).toEqual({
      status: 'found',
      value: {
        arn: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
        type: 'oidc',
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
      },
    });
    expect(await facts.getIdentityProvider('arn:aws:iam::111111111111:saml-provider/Okta')).toEqual({
      status: 'found',
      value: { arn: 'arn:aws:iam::111111111111:saml-provider/Okta', type: 'saml' },
    });
    expect(await facts.getIdentityProvider('arn:aws:iam::111111111111:oidc-provider/gitlab.com')).toEqual({
      status: 'not-found',
    });
    const noList = await facts.getIdentityProvider(
      'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(noList).toEqual({ status: 'unknown', reason: expect.stringContaining('has no OpenIDConnectProviderList') });
  });

  it('maps unique IDs (and CloudTrail principalIds) to ARNs', async () => {
    expect(await facts.findPrincipalByUniqueId('AROADEPLOYEXAMPLE0004')).toEqual({
      status: 'found',
      value: 'arn:aws:iam::111111111111:role/Deploy',
    });
    expect(await facts.findPrincipalByUniqueId('AROADEPLOYEXAMPLE0004:my-session')).toEqual({
      status: 'found',
      value: 'arn:aws:iam::111111111111:role/Deploy',
    });
    expect(await facts.findPrincipalByUniqueId('AIDABOBEXAMPLE0000002')).toEqual({
      status: 'found',
      value: 'arn:aws:iam::111111111111:user/contractors/bob',
    });
    expect(await facts.findPrincipalByUniqueId('AGPADEVSEXAMPLE000003')).toEqual({
      status: 'found',
      value: 'arn:aws:iam::111111111111:group/devs',
    });
    expect((await facts.findPrincipalByUniqueId('AROADELETEDROLE000012')).status).toBe('unknown');
  });

  it('gives the organization chain from the org file', async () => {
    const chain = await facts.getOrganizationPolicies('111111111111');
    expect(chain.status === 'found' && chain.value.levels.map((l) => l.target)).toEqual([
      'r-a1b2',
      'ou-a1b2-11111111',
      'ou-a1b2-22222222',
      '111111111111',
    ]);
    expect((await facts.getOrganizationPolicies('222222222222')).status).toBe('unknown');
    const noOrg = SnapshotIamFacts.fromFiles([ACCOUNT_111]);
    expect(await noOrg.getOrganizationPolicies('111111111111')).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('no organization file'),
    });
  });
});

describe('SnapshotIamFacts partial snapshots', () => {
  it('answers unknown, not not-found, for lists a filtered snapshot lacks', async () => {
    const json = readFixture(ACCOUNT_111);
    delete json.RoleDetailList;
    delete json.GroupDetailList;
    delete json.Policies;
    const facts = SnapshotIamFacts.fromAuthorizationDetails([{ details: json, source: 'users-only.json' }]);
    expect(await facts.getRole('arn:aws:iam::111111111111:role/Deploy')).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('has no RoleDetailList'),
    });
    const alice = await facts.getUser('arn:aws:iam::111111111111:user/alice');
    if (alice.status !== 'found') throw new Error('expected found');
    expect(alice.value.missingPolicies?.map((m) => [m.kind, m.ref])).toEqual([
      ['managed-policy', 'arn:aws:iam::111111111111:policy/AssumeDeployRoles'],
      ['group', 'devs'],
      ['permissions-boundary', 'arn:aws:iam::111111111111:policy/boundaries/DeveloperBoundary'],
    ]);
    expect(alice.value.missingPolicies![0].reason).toContain('has no Policies list');
  });

  it('treats absence in a truncated page as unknown', async () => {
    const json = { ...readFixture(ACCOUNT_111), IsTruncated: true, Marker: 'abc' };
    const facts = SnapshotIamFacts.fromAuthorizationDetails([{ details: json, source: 'page1.json' }]);
    expect((await facts.getRole('arn:aws:iam::111111111111:role/Other')).status).toBe('unknown');
    expect((await facts.getRole('arn:aws:iam::111111111111:role/Deploy')).status).toBe('found');
  });

  it('uses MaxSessionDuration when a file carries it', async () => {
    const json = readFixture(ACCOUNT_111);
    json.RoleDetailList[0].MaxSessionDuration = 43200;
    const facts = SnapshotIamFacts.fromAuthorizationDetails([{ details: json, source: 'x.json' }]);
    const role = await facts.getRole('arn:aws:iam::111111111111:role/Deploy');
    expect(role.status === 'found' && [role.value.maxSessionDuration, role.value.maxSessionDurationAssumed]).toEqual([
      43200,
      undefined,
    ]);
  });

  it('merges several files for one account and takes the account from AccountId or the file name when there are no ARNs', async () => {
    const providersOnly = {
      AccountId: '222222222222',
      OpenIDConnectProviderList: [
        { Arn: 'arn:aws:iam::222222222222:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF' },
      ],
    };
    const facts = SnapshotIamFacts.fromAuthorizationDetails([
      { details: readFixture(ACCOUNT_222), source: 'a.json' },
      { details: { ...providersOnly, AccountId: undefined }, source: 'b.json', accountId: '222222222222' },
    ]);
    const eks = await facts.getIdentityProvider(
      'arn:aws:iam::222222222222:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF',
    );
    expect(eks.status === 'found' && eks.value.url).toBe('oidc.eks.us-east-1.amazonaws.com/id/ABCDEF');
    expect((await facts.getRole('arn:aws:iam::222222222222:role/CrossAccountAudit')).status).toBe('found');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-snap-'));
    const named = path.join(dir, 'account-444444444444.json');
    fs.writeFileSync(named, JSON.stringify({ RoleDetailList: [], UserDetailList: [] }));
    expect(SnapshotIamFacts.fromFiles([named]).accountIds).toEqual(['444444444444']);
    expect((await SnapshotIamFacts.fromFiles([named]).getRole('arn:aws:iam::444444444444:role/X')).status).toBe(
      'not-found',
    );

    // AWS-managed policy ARNs (any partition) name no account
    const cn = path.join(dir, 'cn-555555555555.json');
    const awsManaged = {
      Arn: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess',
      PolicyVersionList: [{ IsDefaultVersion: true, Document: { Statement: [] } }],
    };
    fs.writeFileSync(cn, JSON.stringify({ RoleDetailList: [], Policies: [awsManaged] }));
    expect(SnapshotIamFacts.fromFiles([cn]).accountIds).toEqual(['555555555555']);
  });

  it('reads gzipped files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-snap-'));
    const gz = path.join(dir, 'snap.json.gz');
    fs.writeFileSync(gz, gzipSync(fs.readFileSync(ACCOUNT_111)));
    expect((await SnapshotIamFacts.fromFiles([gz]).getRole('arn:aws:iam::111111111111:role/Deploy')).status).toBe(
      'found',
    );
  });
});

describe('SnapshotIamFacts errors name the file and the problem', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-snap-'));
  const write = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  const withRole = (mutate: (r: any) => void) => {
    const json = readFixture(ACCOUNT_111);
    mutate(json.RoleDetailList[0]);
    return JSON.stringify(json);
  };

  it.each<[string, () => string, RegExp]>([
    ['missing file', () => path.join(dir, 'nope.json'), /nope\.json: cannot read snapshot file \(ENOENT\)/],
    ['invalid JSON', () => write('bad.json', '{"RoleDetailList": ['), /bad\.json: snapshot file is not valid JSON/],
    [
      'not authorization details',
      () => write('trail.json', '{"Records": []}'),
      /trail\.json: does not look like get-account-authorization-details output/,
    ],
    ['list of wrong type', () => write('t.json', '{"RoleDetailList": {}}'), /t\.json: RoleDetailList must be a list/],
    [
      'no ARNs and no account',
      () => write('empty.json', '{"RoleDetailList": []}'),
      /empty\.json: no ARNs to tell which account/,
    ],
    [
      'role without trust policy',
      () =>
        write(
          'r1.json',
          withRole((r) => delete r.AssumeRolePolicyDocument),
        ),
      /r1\.json: RoleDetailList\[0\] \(role Deploy\) AssumeRolePolicyDocument: policy document is missing/,
    ],
    [
      'bad URL-encoded trust policy',
      () =>
        write(
          'r2.json',
          withRole((r) => (r.AssumeRolePolicyDocument = '%7B%22Statement')),
        ),
      /r2\.json: RoleDetailList\[0\] \(role Deploy\) AssumeRolePolicyDocument: URL-decoded policy document is not valid JSON/,
    ],
    [
      'role without name',
      () =>
        write(
          'r3.json',
          withRole((r) => delete r.RoleName),
        ),
      /r3\.json: RoleDetailList\[0\]: RoleName is missing/,
    ],
    [
      'inline policy without name',
      () =>
        write(
          'r4.json',
          withRole((r) => delete r.RolePolicyList[0].PolicyName),
        ),
      /r4\.json: RoleDetailList\[0\] \(role Deploy\) inline policy \[0\]: PolicyName is missing/,
    ],
    [
      'mixed accounts',
      () =>
        write(
          'mixed.json',
          withRole((r) => (r.Arn = 'arn:aws:iam::999999999999:role/Deploy')),
        ),
      /mixed\.json: ARNs from several accounts \(111111111111, 999999999999\)/,
    ],
  ])('%s', (_name, makePath, message) => {
    const p = makePath();
    expect(() => SnapshotIamFacts.fromFiles([p])).toThrow(SnapshotError);
    expect(() => SnapshotIamFacts.fromFiles([p])).toThrow(message);
  });

  it('rejects an explicit account that contradicts the ARNs', () => {
    expect(() =>
      SnapshotIamFacts.fromAuthorizationDetails([
        { details: readFixture(ACCOUNT_111), source: 's.json', accountId: '222222222222' },
      ]),
    ).toThrow(/s\.json: account 222222222222 was given but the ARNs in the file are in account 111111111111/);
  });

  it('wraps organization file problems in SnapshotError', () => {
    const org = write(
      'org.json',
      JSON.stringify({ Policies: [], Targets: [{ Id: 'ou-a1b2-11111111', ParentId: 'r-a1b2' }] }),
    );
    expect(() => SnapshotIamFacts.fromFiles([ACCOUNT_111], org)).toThrow(SnapshotError);
    expect(() => SnapshotIamFacts.fromFiles([ACCOUNT_111], org)).toThrow(
      /org\.json: Targets must contain exactly one ROOT/,
    );
  });
});
