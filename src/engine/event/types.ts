/**
 * The normalized shape of one denied role-assumption call, whatever CloudTrail envelope it came in.
 * Everything downstream (context building, evaluation, diagnosis, sinks) reads this, never the raw record.
 */
export type AssumeApi = 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML' | 'AssumeRoot';

export type CallerType =
  | 'IAMUser'
  | 'AssumedRole'
  | 'FederatedUser'
  | 'AWSAccount'
  | 'WebIdentityUser'
  | 'SAMLUser'
  | 'AWSService'
  | 'Root'
  | 'Unknown';

export interface NormalizedCaller {
  type: CallerType;
  /** Principal ARN as CloudTrail shows it. For AssumedRole it is the session ARN (arn:aws:sts::…:assumed-role/R/S). */
  arn?: string;
  accountId?: string;
  /** CloudTrail principalId (AIDA… for users, AROA…:session for role sessions, provider:aud:sub for OIDC). */
  principalId?: string;
  userName?: string;
  /** AssumedRole: the role that issued the session (sessionContext.sessionIssuer.arn), an IAM role ARN. */
  issuerArn?: string;
  /** AssumedRole / FederatedUser: the session name (last ARN segment). */
  sessionName?: string;
  /** AWSService: the service principal, e.g. ec2.amazonaws.com. */
  invokedBy?: string;
  /** sessionContext.attributes.mfaAuthenticated, when CloudTrail logged it. */
  mfaAuthenticated?: boolean;
  /** sessionContext.sourceIdentity of the calling session, when set. */
  sourceIdentity?: string;
  /** WebIdentityUser: claims recovered from userIdentity (principalId = <provider>:<aud>:<sub>, userName = sub). */
  webIdentity?: { provider: string; aud?: string; sub?: string };
  /** SAMLUser: what userIdentity tells about the assertion. */
  saml?: { provider?: string; userName?: string; principalId?: string };
  /** userIdentity.identityProvider (web identity / SAML), as logged. */
  identityProvider?: string;
}

/** `supplied`: given on the command line (--role-arn), not read from the input. */
export type RoleSource = 'requestParameters' | 'resources' | 'errorMessage' | 'supplied' | 'none';

export interface NormalizedRole {
  arn?: string;
  accountId?: string;
  name?: string;
  /** Role path, e.g. "/" or "/service-role/", when the ARN carries one. */
  path?: string;
  /** Where the role ARN was found; `none` means the record did not say which role was targeted. */
  source: RoleSource;
}

export interface NormalizedRequest {
  /** False when CloudTrail logged `requestParameters: null`: every request key below is then unknown, not absent. */
  parametersLogged: boolean;
  roleSessionName?: string;
  externalId?: string;
  durationSeconds?: number;
  sourceIdentity?: string;
  /** Session tags passed with the call (tags[] → {key: value}). */
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  /** MFA device serial passed with the call. */
  serialNumber?: string;
  /** Session policy ARNs / inline session policy passed with the call. */
  policyArns?: string[];
  hasInlineSessionPolicy?: boolean;
  /** AssumeRoleWithSAML: the IdP ARN the caller named. */
  principalArn?: string;
  /** AssumeRoot: the member account and task policy. */
  targetPrincipal?: string;
  taskPolicyArn?: string;
  /** AssumeRoleWithWebIdentity: provider id, when logged. */
  providerId?: string;
}

export interface NormalizedEvent {
  eventId: string;
  /** True when the record had no eventID and `eventId` was derived from its content (see event-id.ts). */
  eventIdDerived?: boolean;
  /**
   * `error-text`: built from an AWS CLI/SDK error message (trustgap diagnose --error), not a CloudTrail record; the
   * request parameters, the token's claims and often the caller or role are then not known.
   */
  origin?: 'error-text';
  sharedEventId?: string;
  eventTime: string;
  awsRegion?: string;
  /** Account whose CloudTrail logged this copy. */
  recipientAccountId?: string;
  api: AssumeApi;
  errorCode: string;
  errorMessage?: string;
  sourceIpAddress?: string;
  userAgent?: string;
  vpcEndpointId?: string;
  caller: NormalizedCaller;
  role: NormalizedRole;
  request: NormalizedRequest;
}

export interface SkippedRecord {
  index: number;
  eventId?: string;
  eventName?: string;
  reason: string;
}

export interface NormalizeResult {
  events: NormalizedEvent[];
  skipped: SkippedRecord[];
}
