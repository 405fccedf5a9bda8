/**
 * Exact normalized output of the denied AssumeRole / AssumeRoot fixtures (test/fixtures/events/01–16).
 * Each fixture is a realistic denied record built from the reference shapes in shared/reference/cloudtrail;
 * test/fixtures/events/README.md says which reference each one derives from.
 */
import type { NormalizedCaller } from '../../../src/engine/event/types';
import { BOTO_AGENT, CLI_AGENT, normalizeOne } from './fixture-loader';

const ALICE: NormalizedCaller = {
  type: 'IAMUser',
  arn: 'arn:aws:iam::111111111111:user/alice',
  accountId: '111111111111',
  principalId: 'AIDAYWQ3ZPLK7EXAMPLE',
  userName: 'alice',
};

const CI_RUNNER: NormalizedCaller = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111111111111:assumed-role/CiRunner/build-4711',
  accountId: '111111111111',
  principalId: 'AROAYWQ3ZPLKCIRUNNER1:build-4711',
  mfaAuthenticated: false,
  sourceIdentity: 'jenkins',
  // The issuer keeps its path (/ci/), which the session ARN (assumed-role/CiRunner/…) has lost.
  issuerArn: 'arn:aws:iam::111111111111:role/ci/CiRunner',
  sessionName: 'build-4711',
};

const CAROL: NormalizedCaller = {
  type: 'AssumedRole',
  arn: 'arn:aws:sts::111111111111:assumed-role/Developer/carol',
  accountId: '111111111111',
  principalId: 'AROAYWQ3ZPLKDEVELOP1:carol',
  mfaAuthenticated: true,
  issuerArn: 'arn:aws:iam::111111111111:role/Developer',
  sessionName: 'carol',
};

const DAVE: NormalizedCaller = {
  type: 'IAMUser',
  arn: 'arn:aws:iam::111111111111:user/dave',
  accountId: '111111111111',
  principalId: 'AIDAYWQ3ZPLKDAVEEXAM',
  userName: 'dave',
};

describe('cross-account AssumeRole, both CloudTrail copies', () => {
  const deployRole = {
    arn: 'arn:aws:iam::222222222222:role/DeployRole',
    accountId: '222222222222',
    name: 'DeployRole',
    path: '/',
    source: 'requestParameters' as const,
  };
  const request = {
    parametersLogged: true,
    roleSessionName: 'alice-deploy',
    serialNumber: 'arn:aws:iam::111111111111:mfa/alice-phone',
    hasInlineSessionPolicy: false,
  };
  const message =
    'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/DeployRole';

  // Reference 05 (IAM User Guide) gives the caller-account copy recipientAccountId = the role owner's account;
  // a caller-account copy is delivered to the caller's account, so fixture 01 uses 111111111111 (see the fixtures
  // README, "Where a reference disagrees with AWS documentation").
  it('caller-account copy (01) names the IAM user', () => {
    expect(normalizeOne('01-assumerole-iamuser-cross-account-caller-copy.json')).toStrictEqual({
      eventId: 'ce0f32b9-ce5d-4e3a-9c1d-2d1010cd0009',
      sharedEventId: '84963a27-5da7-419d-a0ac-32108b6da3c5',
      eventTime: '2025-06-03T09:14:22Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage: message,
      sourceIpAddress: '198.51.100.23',
      userAgent: CLI_AGENT,
      caller: ALICE,
      role: deployRole,
      request,
    });
  });

  it('role-owner copy (02) only knows the caller as an account and principal id, and shares sharedEventID', () => {
    expect(normalizeOne('02-assumerole-awsaccount-cross-account-owner-copy.json')).toStrictEqual({
      eventId: '5b60fa9b-eb97-4cc1-8399-ee81c5ce8e8e',
      sharedEventId: '84963a27-5da7-419d-a0ac-32108b6da3c5',
      eventTime: '2025-06-03T09:14:22Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage: message,
      sourceIpAddress: '198.51.100.23',
      userAgent: CLI_AGENT,
      caller: { type: 'AWSAccount', accountId: '111111111111', principalId: 'AIDAYWQ3ZPLK7EXAMPLE' },
      role: deployRole,
      request,
    });
  });
});

describe('AssumeRole fixtures', () => {
  it('03: role chaining with session tags, transitive keys and source identity', () => {
    expect(normalizeOne('03-assumerole-assumedrole-chaining-tags-no-identity-policy.json')).toStrictEqual({
      eventId: 'cd9bcd57-1581-428e-bc46-c9e9f487bdd4',
      eventTime: '2025-06-03T10:02:41Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:sts::111111111111:assumed-role/CiRunner/build-4711 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/ArtifactPublisher because no identity-based policy allows the sts:AssumeRole action',
      sourceIpAddress: '203.0.113.40',
      userAgent: BOTO_AGENT,
      caller: CI_RUNNER,
      role: {
        arn: 'arn:aws:iam::111111111111:role/ArtifactPublisher',
        accountId: '111111111111',
        name: 'ArtifactPublisher',
        path: '/',
        source: 'requestParameters',
      },
      request: {
        parametersLogged: true,
        roleSessionName: 'build-4711-publish',
        durationSeconds: 3600,
        sourceIdentity: 'jenkins',
        tags: { Project: 'payments', CostCenter: '4711' },
        transitiveTagKeys: ['Project'],
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('04: requestParameters null → parametersLogged false, role (with a path) from resources[]', () => {
    expect(normalizeOne('04-assumerole-null-params-role-in-resources.json')).toStrictEqual({
      eventId: '6c4ab0ed-62c1-4dce-8629-be9e9db55daa',
      eventTime: '2025-06-04T07:45:10Z',
      awsRegion: 'eu-central-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:iam::111111111111:user/ops/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/service-role/ops/Maintenance',
      sourceIpAddress: '198.51.100.77',
      userAgent: CLI_AGENT,
      caller: {
        type: 'IAMUser',
        arn: 'arn:aws:iam::111111111111:user/ops/bob',
        accountId: '111111111111',
        principalId: 'AIDAYWQ3ZPLKBOBEXAMP',
        userName: 'bob',
      },
      role: {
        arn: 'arn:aws:iam::222222222222:role/service-role/ops/Maintenance',
        accountId: '222222222222',
        name: 'Maintenance',
        path: '/service-role/ops/',
        source: 'resources',
      },
      request: { parametersLogged: false },
    });
  });

  it('05: role only in an SCP explicit-deny message; the SCP ARN at the end is not mistaken for it', () => {
    expect(normalizeOne('05-assumerole-null-params-role-in-message-scp-deny.json')).toStrictEqual({
      eventId: '04c8bb6d-0875-4ff6-8052-0890bdcbba07',
      eventTime: '2025-06-05T08:12:09Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:sts::111111111111:assumed-role/Developer/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/service-role/a/b/DataExport with an explicit deny in a service control policy: arn:aws:organizations::333333333333:policy/o-a1b2c3d4e5/service_control_policy/p-examplescp1',
      sourceIpAddress: '192.0.2.15',
      userAgent: CLI_AGENT,
      caller: CAROL,
      role: {
        arn: 'arn:aws:iam::222222222222:role/service-role/a/b/DataExport',
        accountId: '222222222222',
        name: 'DataExport',
        path: '/service-role/a/b/',
        source: 'errorMessage',
      },
      request: { parametersLogged: false },
    });
  });

  it('06: empty resources[] falls through to the permissions-boundary message', () => {
    expect(normalizeOne('06-assumerole-null-params-role-in-message-boundary.json')).toStrictEqual({
      eventId: 'e3cb431e-b293-45b6-a44a-941ff14a28dd',
      eventTime: '2025-06-05T13:30:51Z',
      awsRegion: 'us-west-2',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:iam::111111111111:user/dave is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Auditor because no permissions boundary allows the sts:AssumeRole action',
      sourceIpAddress: '198.51.100.90',
      userAgent: CLI_AGENT,
      caller: DAVE,
      role: {
        arn: 'arn:aws:iam::111111111111:role/Auditor',
        accountId: '111111111111',
        name: 'Auditor',
        path: '/',
        source: 'errorMessage',
      },
      request: { parametersLogged: false },
    });
  });

  it('07: identity-based explicit deny naming a policy ARN; SSO permission-set caller', () => {
    expect(normalizeOne('07-assumerole-null-params-role-in-message-identity-deny.json')).toStrictEqual({
      eventId: '1fef0201-c909-4e6b-9d99-99366e024b0e',
      eventTime: '2025-06-06T07:03:44Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_PowerUser_0123456789abcdef/frank@example.com is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/BreakGlass with an explicit deny in an identity-based policy: arn:aws:iam::111111111111:policy/DenyBreakGlass',
      sourceIpAddress: '192.0.2.200',
      userAgent: CLI_AGENT,
      caller: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_PowerUser_0123456789abcdef/frank@example.com',
        accountId: '111111111111',
        principalId: 'AROAYWQ3ZPLKSSOADMIN:frank@example.com',
        mfaAuthenticated: false,
        issuerArn:
          'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PowerUser_0123456789abcdef',
        sessionName: 'frank@example.com',
      },
      role: {
        arn: 'arn:aws:iam::222222222222:role/BreakGlass',
        accountId: '222222222222',
        name: 'BreakGlass',
        path: '/',
        source: 'errorMessage',
      },
      request: { parametersLogged: false },
    });
  });

  it('08: root caller keeps its root ARN; role from requestParameters', () => {
    expect(normalizeOne('08-assumerole-root-caller.json')).toStrictEqual({
      eventId: '39dec66d-182b-4c22-80a1-d3d15cfad7c3',
      eventTime: '2025-06-06T18:20:00Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage: 'Roles may not be assumed by root accounts.',
      sourceIpAddress: '198.51.100.5',
      userAgent: CLI_AGENT,
      caller: {
        type: 'Root',
        arn: 'arn:aws:iam::111111111111:root',
        accountId: '111111111111',
        principalId: '111111111111',
      },
      role: {
        arn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
        accountId: '222222222222',
        name: 'OrganizationAccountAccessRole',
        path: '/',
        source: 'requestParameters',
      },
      request: { parametersLogged: true, roleSessionName: 'root-test', hasInlineSessionPolicy: false },
    });
  });

  it('09: ValidationError for DurationSeconds keeps the code and the requested duration', () => {
    expect(normalizeOne('09-assumerole-validationerror-duration.json')).toStrictEqual({
      eventId: '316de344-5f42-41e4-8bd4-8ca7d000eb85',
      eventTime: '2025-06-07T09:00:13Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'ValidationError',
      errorMessage: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      sourceIpAddress: '198.51.100.23',
      userAgent: CLI_AGENT,
      caller: ALICE,
      role: {
        arn: 'arn:aws:iam::111111111111:role/ReadOnly',
        accountId: '111111111111',
        name: 'ReadOnly',
        path: '/',
        source: 'requestParameters',
      },
      request: {
        parametersLogged: true,
        roleSessionName: 'alice-ro',
        durationSeconds: 43200,
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('10: ValidationError on roleArn with null parameters → the value sent, unparsed, from the message', () => {
    expect(normalizeOne('10-assumerole-validationerror-rolearn-null-params.json')).toStrictEqual({
      eventId: '1a0519ff-5306-4ec8-a7e7-a6d57766f777',
      eventTime: '2025-06-07T09:04:55Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'ValidationError',
      errorMessage:
        "1 validation error detected: Value 'DeployRole' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      sourceIpAddress: '198.51.100.23',
      userAgent: CLI_AGENT,
      caller: ALICE,
      // A role name where an ARN was expected: kept as sent, with no name/account parsed out of it.
      role: { arn: 'DeployRole', source: 'errorMessage' },
      request: { parametersLogged: false },
    });
  });

  it('11: federated user session name comes from the federated-user ARN; issuerArn stays role-only', () => {
    expect(normalizeOne('11-assumerole-federateduser.json')).toStrictEqual({
      eventId: 'ec0bee95-cba9-47f4-a1ac-b61c8e6e19cd',
      eventTime: '2025-06-08T11:05:31Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:sts::111111111111:federated-user/grace is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Reporting',
      sourceIpAddress: '203.0.113.9',
      userAgent: BOTO_AGENT,
      caller: {
        type: 'FederatedUser',
        arn: 'arn:aws:sts::111111111111:federated-user/grace',
        accountId: '111111111111',
        principalId: '111111111111:grace',
        mfaAuthenticated: false,
        sessionName: 'grace',
      },
      role: {
        arn: 'arn:aws:iam::111111111111:role/Reporting',
        accountId: '111111111111',
        name: 'Reporting',
        path: '/',
        source: 'requestParameters',
      },
      request: { parametersLogged: true, roleSessionName: 'grace-reporting', hasInlineSessionPolicy: false },
    });
  });

  it('12: AWS service caller keeps sourceIPAddress as the service name', () => {
    expect(normalizeOne('12-assumerole-awsservice.json')).toStrictEqual({
      eventId: '3be9bee8-47cc-488f-8f20-c306b99832c9',
      sharedEventId: '55165f6f-6f11-4fad-b353-23a0e0f91af3',
      eventTime: '2025-06-09T02:28:21Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      sourceIpAddress: 'logs.amazonaws.com',
      userAgent: 'logs.amazonaws.com',
      caller: { type: 'AWSService', invokedBy: 'logs.amazonaws.com' },
      role: {
        arn: 'arn:aws:iam::222222222222:role/LogsToFirehose',
        accountId: '222222222222',
        name: 'LogsToFirehose',
        path: '/',
        source: 'requestParameters',
      },
      request: {
        parametersLogged: true,
        roleSessionName: '7768c8f2082f36f6f2de1fdf58041806',
        externalId: '222222222222',
        durationSeconds: 3600,
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('13: MalformedPolicyDocument — inline session policy flagged, policy ARNs listed, external id kept', () => {
    expect(normalizeOne('13-assumerole-malformedpolicydocument-session-policy.json')).toStrictEqual({
      eventId: '299cb59e-e110-426f-a206-79343d5e9262',
      sharedEventId: 'b0a692c8-fc8a-47f5-9ae3-73d0da238031',
      eventTime: '2025-06-09T14:02:17Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '444444444444',
      api: 'AssumeRole',
      errorCode: 'MalformedPolicyDocument',
      errorMessage: 'The policy is not in the valid JSON format.',
      sourceIpAddress: '198.51.100.140',
      userAgent: BOTO_AGENT,
      caller: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::444444444444:assumed-role/VendorIntegration/heidi',
        accountId: '444444444444',
        principalId: 'AROAYWQ3ZPLKVENDOR13:heidi',
        mfaAuthenticated: true,
        issuerArn: 'arn:aws:iam::444444444444:role/VendorIntegration',
        sessionName: 'heidi',
      },
      role: {
        arn: 'arn:aws:iam::111111111111:role/ThirdPartyAudit',
        accountId: '111111111111',
        name: 'ThirdPartyAudit',
        path: '/',
        source: 'requestParameters',
      },
      request: {
        parametersLogged: true,
        roleSessionName: 'vendor-audit',
        externalId: '9f1c0f3e-example',
        policyArns: ['arn:aws:iam::aws:policy/SecurityAudit', 'arn:aws:iam::111111111111:policy/AuditScope'],
        hasInlineSessionPolicy: true,
      },
    });
  });

  it('14: PackedPolicyTooLarge — every tag carried', () => {
    const value = 'x'.repeat(200);
    const tags: Record<string, string> = {};
    for (let i = 1; i <= 8; i += 1) tags[`Attr${String(i).padStart(2, '0')}`] = value;
    expect(normalizeOne('14-assumerole-packedpolicytoolarge.json')).toStrictEqual({
      eventId: '77a8433c-3888-43e8-99ad-e5986dafaed4',
      eventTime: '2025-06-10T10:10:10Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'PackedPolicyTooLarge',
      errorMessage: 'Packed policy consumes 131% of allotted space, please use smaller policy for this request.',
      sourceIpAddress: '203.0.113.40',
      userAgent: BOTO_AGENT,
      caller: CI_RUNNER,
      role: {
        arn: 'arn:aws:iam::111111111111:role/ArtifactPublisher',
        accountId: '111111111111',
        name: 'ArtifactPublisher',
        path: '/',
        source: 'requestParameters',
      },
      request: {
        parametersLogged: true,
        roleSessionName: 'build-4712',
        tags,
        transitiveTagKeys: ['Attr01', 'Attr02'],
        policyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('15: RegionDisabledException keeps the opt-in region', () => {
    expect(normalizeOne('15-assumerole-regiondisabled.json')).toStrictEqual({
      eventId: '3667fc6d-3b3f-4eae-94d5-835d25cdbad3',
      sharedEventId: '3e103590-baca-4adf-8e68-53d3f6ee5c53',
      eventTime: '2025-06-10T12:00:00Z',
      awsRegion: 'af-south-1',
      recipientAccountId: '111111111111',
      api: 'AssumeRole',
      errorCode: 'RegionDisabledException',
      errorMessage:
        'STS is not activated in this region for account:222222222222. Your account administrator can activate STS in this region using the IAM Console.',
      sourceIpAddress: '198.51.100.23',
      userAgent: CLI_AGENT,
      caller: ALICE,
      role: {
        arn: 'arn:aws:iam::222222222222:role/DeployRole',
        accountId: '222222222222',
        name: 'DeployRole',
        path: '/',
        source: 'requestParameters',
      },
      request: { parametersLogged: true, roleSessionName: 'alice-deploy', hasInlineSessionPolicy: false },
    });
  });

  it('16: AssumeRoot — no role (the resource is the member account root), target and task policy kept', () => {
    expect(normalizeOne('16-assumeroot-accessdenied.json')).toStrictEqual({
      eventId: 'd2a1f87c-174b-4e08-9c47-cc313f5b855c',
      eventTime: '2025-06-11T08:05:00Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '333333333333',
      api: 'AssumeRoot',
      errorCode: 'AccessDenied',
      errorMessage:
        'User: arn:aws:sts::333333333333:assumed-role/OrgAdmin/erin is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::444444444444:root',
      sourceIpAddress: '192.0.2.33',
      userAgent: CLI_AGENT,
      caller: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::333333333333:assumed-role/OrgAdmin/erin',
        accountId: '333333333333',
        principalId: 'AROAYWQ3ZPLKORGADM16:erin',
        mfaAuthenticated: true,
        issuerArn: 'arn:aws:iam::333333333333:role/OrgAdmin',
        sessionName: 'erin',
      },
      role: { source: 'none' },
      request: {
        parametersLogged: true,
        durationSeconds: 900,
        hasInlineSessionPolicy: false,
        targetPrincipal: '444444444444',
        taskPolicyArn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy',
      },
    });
  });
});
