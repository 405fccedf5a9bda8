/**
 * Denied role-assumption events for account 111111111111 (the IAM fixture account), in the EventBridge envelope the
 * rule delivers. Shapes follow the CloudTrail reference records in /work/shared/reference/cloudtrail (a denied call
 * keeps the successful call's userIdentity and requestParameters, with errorCode/errorMessage and
 * responseElements null).
 */
export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';

export interface DeniedEventOptions {
  eventId: string;
  eventTime?: string;
  sharedEventId?: string;
  recipientAccountId?: string;
  roleSessionName?: string;
  userAgent?: string;
  sourceIPAddress?: string;
  errorMessage?: string;
}

function envelope(detail: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `eb-${String(detail.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: String(detail.recipientAccountId),
    time: String(detail.eventTime),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

function common(o: DeniedEventOptions, eventName: string, roleArn: string): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    eventTime: o.eventTime ?? '2026-05-01T12:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: o.sourceIPAddress ?? '198.51.100.23',
    userAgent:
      o.userAgent ?? 'aws-cli/2.17.3 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.9',
    errorCode: 'AccessDenied',
    errorMessage: o.errorMessage,
    responseElements: null,
    requestID: `req-${o.eventId}`,
    eventID: o.eventId,
    readOnly: true,
    resources: [{ ARN: roleArn, accountId: roleArn.split(':')[4], type: 'AWS::IAM::Role' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: o.recipientAccountId ?? ACCOUNT,
    ...(o.sharedEventId ? { sharedEventID: o.sharedEventId } : {}),
    eventCategory: 'Management',
  };
}

/** IAM user alice (group developers) → deploy-prod, whose trust policy names only the ci-runner role. */
export function aliceAssumesDeployProd(o: DeniedEventOptions, roleName = 'deploy-prod'): Record<string, unknown> {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  return envelope({
    ...common(
      {
        errorMessage: `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        ...o,
      },
      'AssumeRole',
      roleArn,
    ),
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAQALICEEXAMPLE0001',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAQALICEEXAMPLEKEY',
      userName: 'alice',
    },
    requestParameters: { roleArn, roleSessionName: o.roleSessionName ?? 'alice-deploy' },
  });
}

/** A session of role ci-runner (path /ci/) → the given role. */
export function ciRunnerAssumes(o: DeniedEventOptions, roleName: string): Record<string, unknown> {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  const session = o.roleSessionName ?? 'i-0abc123def4567890';
  return envelope({
    ...common(
      {
        errorMessage: `User: arn:aws:sts::${ACCOUNT}:assumed-role/ci-runner/${session} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        ...o,
      },
      'AssumeRole',
      roleArn,
    ),
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAQCIRUNNEREXAMPLE1:${session}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-runner/${session}`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAQCIRUNNEREXAMPLE',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAQCIRUNNEREXAMPLE1',
          arn: `arn:aws:iam::${ACCOUNT}:role/ci/ci-runner`,
          accountId: ACCOUNT,
          userName: 'ci-runner',
        },
        attributes: { creationDate: '2026-05-01T11:58:00Z', mfaAuthenticated: 'false' },
      },
    },
    requestParameters: { roleArn, roleSessionName: 'deploy' },
  });
}

/** A GitHub Actions workflow on a pull request → gh-deploy, whose trust policy allows only the main branch. */
export function githubPullRequestAssumes(o: DeniedEventOptions & { sub?: string }): Record<string, unknown> {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/gh-deploy`;
  const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const sub = o.sub ?? 'repo:acme/app:pull_request';
  return envelope({
    ...common(
      { errorMessage: 'Not authorized to perform sts:AssumeRoleWithWebIdentity', ...o },
      'AssumeRoleWithWebIdentity',
      roleArn,
    ),
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${provider}:sts.amazonaws.com:${sub}`,
      userName: sub,
      identityProvider: provider,
    },
    requestParameters: { roleArn, roleSessionName: o.roleSessionName ?? 'GitHubActions', durationSeconds: 3600 },
  });
}

/**
 * The two copies of one cross-account call: alice of account 222222222222 → deploy-prod of 111111111111. The
 * caller's trail logs an IAMUser copy, the owner's trail an AWSAccount copy; both carry the same sharedEventID.
 */
export function crossAccountCopies(
  sharedEventId: string,
  eventIds: [string, string],
): [Record<string, unknown>, Record<string, unknown>] {
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/deploy-prod`;
  const base = {
    sharedEventId,
    errorMessage: `User: arn:aws:iam::${OTHER_ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  };
  const callerCopy = envelope({
    ...common({ ...base, eventId: eventIds[0], recipientAccountId: OTHER_ACCOUNT }, 'AssumeRole', roleArn),
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAQOTHERALICE000001',
      arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/alice`,
      accountId: OTHER_ACCOUNT,
      userName: 'alice',
    },
    requestParameters: { roleArn, roleSessionName: 'alice' },
  });
  const ownerCopy = envelope({
    ...common({ ...base, eventId: eventIds[1], recipientAccountId: ACCOUNT }, 'AssumeRole', roleArn),
    userIdentity: { type: 'AWSAccount', principalId: 'AIDAQOTHERALICE000001', accountId: OTHER_ACCOUNT },
    requestParameters: { roleArn, roleSessionName: 'alice' },
  });
  return [callerCopy, ownerCopy];
}
