import { createIamClient, LiveIamFacts } from '../../../src/adapters/live-iam';
import { TransientError } from '../../../src/errors';
import {
  FIXTURE_ACCOUNT_ID as A,
  type IamApi,
  type IamApiOptions,
  startIamApi,
} from '../../fixtures/iam-api/iam-api-emulator';

let iam: IamApi;
let now: number;
const clock = () => now;

function newFacts(): LiveIamFacts {
  return new LiveIamFacts({ client: iam.client, ownAccountId: A, clock });
}

beforeEach(() => {
  now = Date.parse('2026-05-01T12:00:00Z');
});
afterEach(() => iam.close());

/** IAM on the loopback emulator; the client tries twice, so "outlived the SDK retries" means two failed attempts. */
const startIam = (options: IamApiOptions = {}) => startIamApi({ ...options, clientConfig: { maxAttempts: 2 } });

describe('LiveIamFacts: what a diagnosis reads', () => {
  test('the role being assumed costs one GetRole, with the URL-encoded trust policy decoded', async () => {
    iam = await startIam();
    const scope = newFacts().scope({ callerRoleArn: undefined });
    const role = await scope.getRole(`arn:aws:iam::${A}:role/deploy-prod`);
    expect(role.status).toBe('found');
    if (role.status !== 'found') return;
    expect(role.value.trustPolicy.Statement[0]).toEqual({
      Sid: 'CiRunnerOnly',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/ci/ci-runner` },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    expect(role.value.tags).toEqual({ team: 'platform', env: 'prod' });
    expect(role.value.createDate).toBe('2024-03-11T09:12:44.000Z');
    expect(role.value.identityPolicies).toEqual([]);
    expect(iam.calls).toEqual({ GetRole: 1 });
    expect(scope.callCount).toBe(1);
  });

  test('a cold same-account IAM-user diagnosis reads the user, its groups and their policies: 11 calls', async () => {
    iam = await startIam();
    const scope = newFacts().scope({});
    const [role, user] = await Promise.all([
      scope.getRole(`arn:aws:iam::${A}:role/deploy-prod`),
      scope.getUser(`arn:aws:iam::${A}:user/alice`),
    ]);
    expect(role.status).toBe('found');
    expect(user.status).toBe('found');
    if (user.status !== 'found') return;
    expect(user.value.groups).toEqual(['developers']);
    expect(user.value.tags).toEqual({ team: 'payments' });
    expect(user.value.identityPolicies.map((p) => p.source)).toEqual([
      'inline user/alice:AllowAssumeDeploy',
      'group/developers:GroupAssumeStaging',
      'arn:aws:iam::aws:policy/IAMReadOnlyAccess (attached to group developers)',
    ]);
    expect(user.value.identityPolicies[2].document.Statement[0].Action).toContain('iam:Get*');
    expect(user.value.missingPolicies).toBeUndefined();
    expect(iam.calls).toEqual({
      GetRole: 1,
      GetUser: 1,
      ListUserPolicies: 1,
      GetUserPolicy: 1,
      ListAttachedUserPolicies: 1,
      ListGroupsForUser: 1,
      ListGroupPolicies: 1,
      GetGroupPolicy: 1,
      ListAttachedGroupPolicies: 1,
      GetPolicy: 1,
      GetPolicyVersion: 1,
    });
    expect(scope.callCount).toBe(11);
    expect(scope.calls.byApi.GetPolicy).toBe(1);
  });

  test('a warm container answers the same diagnosis with no IAM call; the TTL expires entries', async () => {
    iam = await startIam();
    const facts = newFacts();
    const read = (scope: ReturnType<LiveIamFacts['scope']>) =>
      Promise.all([scope.getRole(`arn:aws:iam::${A}:role/deploy-prod`), scope.getUser(`arn:aws:iam::${A}:user/alice`)]);
    await read(facts.scope());
    const warm = facts.scope();
    await read(warm);
    expect(warm.callCount).toBe(0);

    now += 5 * 60 * 1000 + 1;
    const expired = facts.scope();
    await read(expired);
    // Everything is read again except the managed policy document: versions are cached by ARN + version id.
    expect(expired.callCount).toBe(10);
    expect(expired.calls.byApi.GetPolicyVersion).toBeUndefined();
    expect(facts.containerCalls.total).toBe(21);
  });

  test('concurrent identical lookups share one in-flight IAM call', async () => {
    iam = await startIam({ latencyMs: () => 20 });
    const facts = newFacts();
    const scopes = Array.from({ length: 25 }, () => facts.scope());
    const results = await Promise.all(scopes.map((s) => s.getRole(`arn:aws:iam::${A}:role/deploy-prod`)));
    expect(results.every((r) => r.status === 'found')).toBe(true);
    expect(iam.calls.GetRole).toBe(1);
    expect(scopes.reduce((sum, s) => sum + s.callCount, 0)).toBe(1);
  });

  test('the calling role (a role session) is read with its policies and permissions boundary', async () => {
    iam = await startIam();
    const scope = newFacts().scope({ callerRoleArn: `arn:aws:iam::${A}:role/ci/ci-runner` });
    const caller = await scope.getRole(`arn:aws:iam::${A}:role/ci/ci-runner`);
    expect(caller.status).toBe('found');
    if (caller.status !== 'found') return;
    expect(caller.value.path).toBe('/ci/');
    expect(caller.value.identityPolicies.map((p) => p.source)).toEqual([
      'inline role/ci-runner:AssumeDeployRoles',
      `arn:aws:iam::${A}:policy/ReadOnlyArtifacts`,
    ]);
    expect(caller.value.permissionsBoundary?.kind).toBe('boundary');
    expect(caller.value.permissionsBoundary?.arn).toBe(`arn:aws:iam::${A}:policy/ci-boundary`);
    expect(caller.value.permissionsBoundary?.document.Statement[0].Sid).toBe('ArtifactsOnly');
    const target = await scope.getRole(`arn:aws:iam::${A}:role/deploy-prod`);
    expect(target.status === 'found' && target.value.identityPolicies).toEqual([]);
    expect(iam.calls.ListRolePolicies).toBe(1);
  });

  test('a user with a permissions boundary and a managed policy', async () => {
    iam = await startIam();
    const user = await newFacts().scope().getUser(`arn:aws:iam::${A}:user/contractors/bob`);
    expect(user.status).toBe('found');
    if (user.status !== 'found') return;
    expect(user.value.path).toBe('/contractors/');
    expect(user.value.groups).toEqual([]);
    expect(user.value.identityPolicies.map((p) => p.arn)).toEqual([`arn:aws:iam::${A}:policy/DeveloperBase`]);
    expect(user.value.permissionsBoundary?.name).toBe('contractor-boundary');
  });
});

describe('LiveIamFacts: not found, other accounts, denied reads, throttling', () => {
  test('NoSuchEntity on the role is not-found (the engine turns it into ROLE_NOT_FOUND)', async () => {
    iam = await startIam();
    expect(await newFacts().scope().getRole(`arn:aws:iam::${A}:role/deploy-prd`)).toEqual({ status: 'not-found' });
    expect(await newFacts().scope().getUser(`arn:aws:iam::${A}:user/nobody`)).toEqual({ status: 'not-found' });
  });

  test('a role or user in another account is unknown with a reason, and costs no call', async () => {
    iam = await startIam();
    const scope = newFacts().scope();
    const role = await scope.getRole('arn:aws:iam::222222222222:role/deploy-prod');
    const user = await scope.getUser('arn:aws:iam::222222222222:user/alice');
    expect(role).toEqual({ status: 'unknown', reason: expect.stringContaining('is in account 222222222222') });
    expect(user).toEqual({ status: 'unknown', reason: expect.stringContaining(`own account ${A}`) });
    expect(scope.callCount).toBe(0);
  });

  test('AccessDenied on GetRole is unknown naming the denied call, never a crash', async () => {
    iam = await startIam({ faults: { GetRole: { fault: 'AccessDenied' } } });
    const role = await newFacts().scope().getRole(`arn:aws:iam::${A}:role/deploy-prod`);
    expect(role).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('iam:GetRole on role deploy-prod was denied'),
    });
  });

  test('AccessDenied on a managed policy leaves the user found, with the policy in missingPolicies', async () => {
    iam = await startIam({ faults: { GetPolicy: { fault: 'AccessDenied' } } });
    const user = await newFacts().scope().getUser(`arn:aws:iam::${A}:user/alice`);
    expect(user.status).toBe('found');
    if (user.status !== 'found') return;
    expect(user.value.identityPolicies).toHaveLength(2);
    expect(user.value.missingPolicies).toEqual([
      {
        ref: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
        kind: 'managed-policy',
        attachedTo: 'group developers',
        reason: expect.stringContaining('iam:GetPolicy on policy arn:aws:iam::aws:policy/IAMReadOnlyAccess was denied'),
      },
    ]);
  });

  test('AccessDenied on an inline policy read makes the user unknown (its permissions cannot be known)', async () => {
    iam = await startIam({ faults: { GetUserPolicy: { fault: 'AccessDenied' } } });
    const user = await newFacts().scope().getUser(`arn:aws:iam::${A}:user/alice`);
    expect(user).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('iam:GetUserPolicy on user alice was denied'),
    });
  });

  test('throttling that outlived the SDK retries is thrown as TransientError, and is not cached', async () => {
    iam = await startIam({ faults: { GetRole: { fault: 'Throttling', times: 2 } } });
    const facts = newFacts();
    await expect(facts.scope().getRole(`arn:aws:iam::${A}:role/deploy-prod`)).rejects.toBeInstanceOf(TransientError);
    const retry = await facts.scope().getRole(`arn:aws:iam::${A}:role/deploy-prod`);
    expect(retry.status).toBe('found');
    expect(iam.calls.GetRole).toBe(3);
  });

  test('an IAM 5xx is transient too', async () => {
    iam = await startIam({ faults: { ListGroupsForUser: { fault: 'ServiceFailure' } } });
    await expect(newFacts().scope().getUser(`arn:aws:iam::${A}:user/alice`)).rejects.toThrow(
      /ListGroupsForUser .*failed transiently/,
    );
  });
});

describe('LiveIamFacts: providers, role names, unique ids, organization', () => {
  test('OIDC and SAML providers of this account; another account is unknown', async () => {
    iam = await startIam();
    const scope = newFacts().scope();
    expect(
      await scope.getIdentityProvider(`arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`),
    ).toEqual({
      status: 'found',
      value: {
        arn: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com`,
        type: 'oidc',
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
      },
    });
    expect(await scope.getIdentityProvider(`arn:aws:iam::${A}:saml-provider/AcmeIdP`)).toEqual({
      status: 'found',
      value: { arn: `arn:aws:iam::${A}:saml-provider/AcmeIdP`, type: 'saml' },
    });
    expect(await scope.getIdentityProvider(`arn:aws:iam::${A}:oidc-provider/gitlab.example.com`)).toEqual({
      status: 'not-found',
    });
    expect((await scope.getIdentityProvider('arn:aws:iam::222222222222:oidc-provider/x.example')).status).toBe(
      'unknown',
    );
  });

  test('role names come from one cached ListRoles listing, which also resolves role unique ids', async () => {
    iam = await startIam();
    const scope = newFacts().scope();
    expect(await scope.listRoleNames(A)).toEqual({
      status: 'found',
      value: ['deploy-prod', 'deploy-staging', 'ci-runner', 'gh-deploy'],
    });
    expect(await scope.findPrincipalByUniqueId('AROAQCIRUNNEREXAMPLE1')).toEqual({
      status: 'found',
      value: `arn:aws:iam::${A}:role/ci/ci-runner`,
    });
    expect((await scope.findPrincipalByUniqueId('AROAQDELETEDROLE00001')).status).toBe('unknown');
    expect((await scope.findPrincipalByUniqueId('AIDAQALICEEXAMPLE0001')).status).toBe('unknown');
    expect((await scope.listRoleNames('222222222222')).status).toBe('unknown');
    expect(iam.calls).toEqual({ ListRoles: 1 });
  });

  test('SCPs are not visible from a member account', async () => {
    iam = await startIam();
    const org = await newFacts().scope().getOrganizationPolicies(A);
    expect(org).toEqual({
      status: 'unknown',
      reason: expect.stringContaining('SCPs and RCPs are not visible from a member account'),
    });
    expect(iam.totalCalls()).toBe(0);
  });

  test('the SDK client uses adaptive retry', async () => {
    iam = await startIam();
    const real = createIamClient({ region: 'us-east-1' });
    const strategy = (await real.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('adaptive');
    real.destroy();
  });
});
