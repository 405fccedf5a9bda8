/**
 * A small organization for the organization runtime's tests: CI in a tools account assumes roles in a prod account.
 *   r-root ─ ou-tools-aaaa1111 ─ 222222222222 (tools: role ci-runner, user alice)
 *          ├ ou-prod-bbbb2222  ─ 111111111111 (prod: roles deploy, release, scp-guarded, rcp-guarded)
 *          │                   └ 444444444444 (legacy: no reader role)
 *          └ 333333333333 (central: trustgap) · management account 999999999999
 * An SCP on the tools account denies assuming roles named scp-guarded; an RCP on the prod account denies rcp-guarded.
 */
import { FULL_AWS_ACCESS, type LoopbackOptions, type LoopbackOrganization, RCP_FULL_AWS_ACCESS } from './model';

export const CENTRAL = '333333333333';
export const MANAGEMENT = '999999999999';
export const TOOLS = '222222222222';
export const PROD = '111111111111';
export const LEGACY = '444444444444';
export const ORG_ID = 'o-exampleorg1';
export const READER = 'trustgap-reader';

const ciRunner = `arn:aws:iam::${TOOLS}:role/ci-runner`;
const alice = `arn:aws:iam::${TOOLS}:user/alice`;
const trusts = (...principals: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }],
});
const allowAssume = (resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }],
});

export const EXAMPLE_ORGANIZATION: LoopbackOrganization = {
  id: ORG_ID,
  managementAccountId: MANAGEMENT,
  rootId: 'r-root',
  parents: {
    'ou-tools-aaaa1111': 'r-root',
    'ou-prod-bbbb2222': 'r-root',
    [TOOLS]: 'ou-tools-aaaa1111',
    [PROD]: 'ou-prod-bbbb2222',
    [LEGACY]: 'ou-prod-bbbb2222',
    [CENTRAL]: 'r-root',
    [MANAGEMENT]: 'r-root',
  },
  scpsEnabled: true,
  rcpsEnabled: true,
  policies: [
    {
      id: 'p-FullAWSAccess',
      name: 'FullAWSAccess',
      type: 'SERVICE_CONTROL_POLICY',
      awsManaged: true,
      content: FULL_AWS_ACCESS,
      targets: ['r-root', 'ou-tools-aaaa1111', 'ou-prod-bbbb2222', TOOLS, PROD, LEGACY, CENTRAL],
    },
    {
      id: 'p-RCPFullAWSAccess',
      name: 'RCPFullAWSAccess',
      type: 'RESOURCE_CONTROL_POLICY',
      awsManaged: true,
      content: RCP_FULL_AWS_ACCESS,
      targets: ['r-root', 'ou-tools-aaaa1111', 'ou-prod-bbbb2222', TOOLS, PROD, LEGACY, CENTRAL],
    },
    {
      id: 'p-scpguard01',
      name: 'NoScpGuardedRoles',
      type: 'SERVICE_CONTROL_POLICY',
      content: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'NoGuarded', Effect: 'Deny', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/scp-guarded' },
        ],
      },
      targets: [TOOLS],
    },
    {
      id: 'p-rcpguard01',
      name: 'ProdPerimeter',
      type: 'RESOURCE_CONTROL_POLICY',
      content: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'NoRcpGuarded',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sts:AssumeRole',
            Resource: `arn:aws:iam::${PROD}:role/rcp-guarded`,
          },
        ],
      },
      targets: [PROD],
    },
  ],
};

export function exampleOrganization(overrides: Partial<LoopbackOptions> = {}): LoopbackOptions {
  return {
    centralAccountId: CENTRAL,
    readerRoleName: READER,
    organization: EXAMPLE_ORGANIZATION,
    accounts: [
      {
        id: TOOLS,
        roles: [
          {
            name: 'ci-runner',
            trust: trusts(`arn:aws:iam::${TOOLS}:root`),
            inline: { assume: allowAssume(`arn:aws:iam::${PROD}:role/*`) },
          },
        ],
        users: [{ name: 'alice', groups: ['developers'] }],
        groups: [{ name: 'developers', attached: [`arn:aws:iam::${TOOLS}:policy/read-only-things`] }],
        policies: {
          'read-only-things': {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
          },
        },
      },
      {
        id: PROD,
        roles: [
          { name: 'deploy', trust: trusts(ciRunner, alice) },
          { name: 'release', trust: trusts(`arn:aws:iam::${TOOLS}:role/release-bot`) },
          { name: 'scp-guarded', trust: trusts(ciRunner) },
          { name: 'rcp-guarded', trust: trusts(ciRunner) },
        ],
      },
      {
        id: LEGACY,
        reader: false,
        roles: [{ name: 'old-ci', trust: trusts(`arn:aws:iam::${LEGACY}:root`), inline: { assume: allowAssume('*') } }],
      },
      { id: CENTRAL, reader: false },
      { id: MANAGEMENT },
    ],
    ...overrides,
  };
}

/** A denied cross-account AssumeRole as the caller's account logs it (the only copy CloudTrail writes). */
export function deniedCrossAccount(
  caller: { type: 'role' | 'user'; account: string; name: string },
  roleArn: string,
  eventId: string,
  eventTime = '2026-05-01T12:00:00Z',
): Record<string, unknown> {
  const userIdentity =
    caller.type === 'user'
      ? {
          type: 'IAMUser',
          principalId: 'AIDALOOPALICE0000001',
          arn: `arn:aws:iam::${caller.account}:user/${caller.name}`,
          accountId: caller.account,
          userName: caller.name,
        }
      : {
          type: 'AssumedRole',
          principalId: `AROALOOPCIRUNNER00001:build-${eventId}`,
          arn: `arn:aws:sts::${caller.account}:assumed-role/${caller.name}/build`,
          accountId: caller.account,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              principalId: 'AROALOOPCIRUNNER00001',
              arn: `arn:aws:iam::${caller.account}:role/${caller.name}`,
              accountId: caller.account,
              userName: caller.name,
            },
            attributes: { creationDate: '2026-05-01T11:00:00Z', mfaAuthenticated: 'false' },
          },
        };
  const detail = {
    eventVersion: '1.11',
    userIdentity,
    eventTime,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.3',
    errorCode: 'AccessDenied',
    errorMessage: `User: ${userIdentity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    requestParameters: { roleArn, roleSessionName: 'deploy' },
    responseElements: null,
    requestID: `req-${eventId}`,
    eventID: eventId,
    readOnly: true,
    resources: [{ ARN: roleArn, accountId: roleArn.split(':')[4], type: 'AWS::IAM::Role' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: caller.account,
    eventCategory: 'Management',
  };
  return {
    version: '0',
    id: `eb-${eventId}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: caller.account,
    time: eventTime,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
