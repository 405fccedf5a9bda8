import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolesCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  type AwsEmulator,
  credentialsFor,
  type IamAccountFixture,
  loadIamAccount,
  type OrganizationDescription,
  startAwsEmulator,
} from '.';

const ORG = JSON.parse(
  readFileSync(path.join(__dirname, '../../../examples/snapshot/organization.json'), 'utf8'),
) as OrganizationDescription;
/** The example organization plus one RCP on its root. */
const RCP = { Id: 'p-rcp00001', Name: 'OnlyOrgPrincipals', Type: 'RESOURCE_CONTROL_POLICY', Content: '{}' };
const ORG_WITH_RCP: OrganizationDescription = {
  ...ORG,
  Policies: [...ORG.Policies, RCP],
  Targets: ORG.Targets.map((t) => (t.Type === 'ROOT' ? { ...t, PolicyIds: [...t.PolicyIds, RCP.Id] } : t)),
};
const CENTRAL_KEY = 'AKIACENTRAL000000001';
const STRANGER_KEY = 'AKIASTRANGER00000001';

let emulator: AwsEmulator;
const client = <T>(Client: new (config: object) => T, accessKeyId = CENTRAL_KEY): T =>
  new Client({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: credentialsFor(accessKeyId),
    maxAttempts: 1,
  });

beforeAll(async () => {
  emulator = await startAwsEmulator({
    iamAccounts: [
      loadIamAccount('111111111111'),
      { ...loadIamAccount('111111111111'), accountId: '999999999999' } as IamAccountFixture,
    ],
    principals: {
      [CENTRAL_KEY]: {
        accountId: '111111111111',
        arn: 'arn:aws:sts::111111111111:assumed-role/trustgap-diagnoser/fn',
        userId: 'AROACENTRAL:fn',
      },
      [STRANGER_KEY]: { accountId: '444455556666', arn: 'arn:aws:iam::444455556666:user/mallory', userId: 'AIDAX' },
    },
    assumeRule: (caller) => caller.arn.includes('/trustgap-diagnoser/'),
    organization: ORG_WITH_RCP,
  });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetCalls();
});

describe('the loopback AWS emulator, through the real SDK clients', () => {
  it('serves IAM in the query protocol, URL-encoded documents and NoSuchEntity included', async () => {
    const iam = client(IAMClient);
    const role = await iam.send(new GetRoleCommand({ RoleName: 'deploy-prod' }));
    expect(role.Role?.Arn).toBe('arn:aws:iam::111111111111:role/deploy-prod');
    expect(role.Role?.CreateDate).toBeInstanceOf(Date);
    expect(role.Role?.AssumeRolePolicyDocument).toMatch(/^%7B/);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'ci-runner', PolicyName: 'AssumeDeployRoles' }));
    expect(JSON.parse(decodeURIComponent(inline.PolicyDocument ?? '')).Statement).toBeDefined();
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      $metadata: { httpStatusCode: 404 },
    });
    expect(emulator.count({ service: 'iam', accountId: '111111111111' })).toBe(3);
  });

  it('pages ListRoles with Marker and IsTruncated', async () => {
    const roles: string[] = [];
    for await (const page of paginateListRoles({ client: client(IAMClient), pageSize: 1 }, {})) {
      roles.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    }
    const all = await client(IAMClient).send(new ListRolesCommand({}));
    expect(roles).toEqual((all.Roles ?? []).map((r) => r.RoleName));
    expect(roles.length).toBeGreaterThan(1);
  });

  it('issues STS credentials that sign as the assumed role, in the role account', async () => {
    const sts = client(STSClient);
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/deploy-prod', RoleSessionName: 'trustgap' }),
    );
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    const asRole = new IAMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
        sessionToken: assumed.Credentials?.SessionToken,
      },
    });
    await asRole.send(new GetRoleCommand({ RoleName: 'deploy-prod' }));
    expect(emulator.count({ service: 'iam', accountId: '999999999999' })).toBe(1);
    const who = await new STSClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: asRole.config.credentials,
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::999999999999:assumed-role/deploy-prod/trustgap');
  });

  it('denies AssumeRole as STS words it, for a missing role or a caller the rule refuses', async () => {
    await expect(
      client(STSClient).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/trustgap-reader', RoleSessionName: 'x1' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    await expect(
      client(STSClient, STRANGER_KEY).send(
        new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/deploy-prod', RoleSessionName: 'x1' }),
      ),
    ).rejects.toThrow(/User: arn:aws:iam::444455556666:user\/mallory is not authorized to perform: sts:AssumeRole/);
  });

  it('injects throttling, server errors and unanswered requests', async () => {
    emulator.setFault({ service: 'sts', action: 'AssumeRole', kind: 'throttle', times: 1 });
    const assume = new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::999999999999:role/deploy-prod',
      RoleSessionName: 'x1',
    });
    await expect(client(STSClient).send(assume)).rejects.toMatchObject({ name: 'Throttling' });
    await expect(client(STSClient).send(assume)).resolves.toBeDefined();
    emulator.setFault({ service: 'iam', kind: 'server-error', times: 1 });
    await expect(client(IAMClient).send(new GetRoleCommand({ RoleName: 'deploy-prod' }))).rejects.toMatchObject({
      $fault: 'server',
    });
    emulator.setFault({ service: 'sns', kind: 'hang', times: 1 });
    const sns = new SNSClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: credentialsFor(CENTRAL_KEY),
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    await expect(
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: 'm' })),
    ).rejects.toThrow();
    expect(emulator.published).toHaveLength(0);
  });

  it('records SNS publishes with their structure and attributes', async () => {
    await client(SNSClient).send(
      new PublishCommand({
        TopicArn: 'arn:aws:sns:us-east-1:111111111111:findings',
        Message: JSON.stringify({ default: 'd', email: 'e' }),
        MessageStructure: 'json',
        Subject: 'trustgap',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } },
      }),
    );
    expect(emulator.published.at(-1)).toMatchObject({
      messageStructure: 'json',
      subject: 'trustgap',
      attributes: { severity: { DataType: 'String', StringValue: 'high' } },
    });
  });

  it('serves Organizations in JSON 1.1, the tree and policies only to the management account', async () => {
    const fromMember = client(OrganizationsClient);
    const org = await fromMember.send(new DescribeOrganizationCommand({}));
    expect(org.Organization?.MasterAccountId).toBe(ORG.ManagementAccountId);
    await expect(fromMember.send(new ListParentsCommand({ ChildId: '111111111111' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await client(STSClient)
      .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::999999999999:role/deploy-prod`, RoleSessionName: 'org' }))
      .then(async (a) => {
        const asManagement = new OrganizationsClient({
          endpoint: emulator.endpoint,
          region: 'us-east-1',
          credentials: {
            accessKeyId: a.Credentials?.AccessKeyId ?? '',
            secretAccessKey: a.Credentials?.SecretAccessKey ?? '',
          },
        });
        const parents = await asManagement.send(new ListParentsCommand({ ChildId: '111111111111' }));
        expect(parents.Parents?.[0]).toMatchObject({ Type: 'ORGANIZATIONAL_UNIT' });
        const policies = await asManagement.send(
          new ListPoliciesForTargetCommand({ TargetId: parents.Parents?.[0].Id, Filter: 'SERVICE_CONTROL_POLICY' }),
        );
        expect(policies.Policies?.map((p) => p.Name)).toContain('DenyBreakGlassOutsideSecurityTeam');
        const denyId = policies.Policies?.find((p) => !p.AwsManaged)?.Id;
        const described = await asManagement.send(new DescribePolicyCommand({ PolicyId: denyId }));
        expect(JSON.parse(described.Policy?.Content ?? '{}').Statement[0].Effect).toBe('Deny');
      });
  });

  it('applies faults and latency per account and API only, and counts calls per service, API and account', async () => {
    const sts = client(STSClient);
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/deploy-prod', RoleSessionName: 'fault' }),
    );
    const inTarget = new IAMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: {
        accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
        secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      },
    });
    emulator.setFault({ service: 'iam', action: 'GetRole', accountId: '999999999999', kind: 'access-denied' });
    emulator.setFault({ service: 'iam', accountId: '999999999999', kind: 'latency', ms: () => 150, times: 1 });
    const started = Date.now();
    await expect(inTarget.send(new GetRoleCommand({ RoleName: 'deploy-prod' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(inTarget.send(new ListRolesCommand({}))).resolves.toBeDefined();
    await expect(client(IAMClient).send(new GetRoleCommand({ RoleName: 'deploy-prod' }))).resolves.toBeDefined();
    expect(emulator.count({ service: 'iam', action: 'GetRole', accountId: '999999999999' })).toBe(1);
    expect(emulator.count({ service: 'iam', accountId: '111111111111' })).toBe(1);
    expect(emulator.count({ service: 'sts', action: 'AssumeRole' })).toBe(1);
    expect(emulator.calls.map((c) => `${c.service}:${c.action}@${c.accountId}`)).toEqual([
      'sts:AssumeRole@111111111111',
      'iam:GetRole@999999999999',
      'iam:ListRoles@999999999999',
      'iam:GetRole@111111111111',
    ]);
  });

  it('pages Organizations lists with NextToken, filters RCPs, and throttles in the JSON protocol', async () => {
    const a = await client(STSClient).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::999999999999:role/deploy-prod`, RoleSessionName: 'org' }),
    );
    const org = new OrganizationsClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: a.Credentials?.AccessKeyId ?? '', secretAccessKey: 'x' },
    });
    const root = ORG.Targets.find((t) => t.Type === 'ROOT')?.Id;
    const first = await org.send(new ListAccountsCommand({ MaxResults: 1 }));
    const second = await org.send(new ListAccountsCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect([...(first.Accounts ?? []), ...(second.Accounts ?? [])].map((x) => x.Id)).toEqual([
      '111111111111',
      '222222222222',
    ]);
    const ous = await org.send(new ListChildrenCommand({ ParentId: root, ChildType: 'ORGANIZATIONAL_UNIT' }));
    expect(ous.Children).toEqual([{ Id: 'ou-a1b2-wrk4lds9', Type: 'ORGANIZATIONAL_UNIT' }]);
    const rcps = await org.send(
      new ListPoliciesForTargetCommand({ TargetId: root, Filter: 'RESOURCE_CONTROL_POLICY' }),
    );
    expect(rcps.Policies?.map((p) => [p.Id, p.Type])).toEqual([[RCP.Id, 'RESOURCE_CONTROL_POLICY']]);
    expect(rcps.Policies?.[0].Arn).toMatch(/:policy\/o-[a-z0-9]+\/resource_control_policy\/p-rcp00001$/);
    emulator.setFault({ service: 'organizations', action: 'ListParents', kind: 'throttle', times: 1 });
    await expect(org.send(new ListParentsCommand({ ChildId: '111111111111' }))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    await expect(org.send(new ListParentsCommand({ ChildId: '111111111111' }))).resolves.toBeDefined();
    expect(emulator.count({ service: 'organizations', accountId: '999999999999' })).toBe(6);
  });
  it('serves CloudTrail LookupEvents in awsJson1_1: pages newest first, throttles with ThrottlingException', async () => {
    const trail = client(CloudTrailClient);
    const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, i)).toISOString();
    emulator.cloudTrail.events = Array.from({ length: 3 }, (_, i) => ({
      eventID: `ct-${i}`,
      eventTime: at(i),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
    }));
    emulator.cloudTrail.ratePerSecond = 100;
    const first = await trail.send(new LookupEventsCommand({ MaxResults: 2 }));
    expect(first.Events?.map((e) => e.EventId)).toEqual(['ct-2', 'ct-1']);
    expect(first.Events?.[0].EventTime).toBeInstanceOf(Date);
    const second = await trail.send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Events?.map((e) => e.EventId)).toEqual(['ct-0']);
    expect(second.NextToken).toBeUndefined();
    emulator.cloudTrail.ratePerSecond = 0;
    await expect(trail.send(new LookupEventsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(emulator.count({ service: 'cloudtrail', action: 'LookupEvents', accountId: '111111111111' })).toBe(3);
    await expect(
      client(CloudTrailClient, 'AKIAUNKNOWN000000001').send(new LookupEventsCommand({})),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });
});
