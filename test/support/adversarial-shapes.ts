/**
 * Adversarial policy shapes and request values (issue 9), shared by the tests and `npm run bench:adversarial`:
 * one account whose role `target` trusts its own account under a condition block chosen by the attacker's policy
 * author, and a denied AssumeRole whose session name and tags are chosen by the caller.
 */
import { normalizeInput } from '../../src/engine/event/normalize';
import type { NormalizedEvent } from '../../src/engine/event/types';
import { SnapshotIamFacts } from '../../src/engine/iam/snapshot/snapshot-iam-facts';

export const ACCOUNT = '111122223333';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/nina`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/target`;

export interface AdversarialShape {
  name: string;
  /** The trust statement's Condition block. */
  condition?: Record<string, Record<string, string | string[]>>;
  /** Extra statements of the caller's identity policy (its Action/Resource patterns). */
  identityStatements?: object[];
  requestParameters?: Record<string, unknown>;
  /** Overrides of the CloudTrail record (userIdentity, errorMessage…). */
  record?: Record<string, unknown>;
}

export function snapshotFor(shape: AdversarialShape): SnapshotIamFacts {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Adversarial',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        ...(shape.condition ? { Condition: shape.condition } : {}),
      },
    ],
  };
  const identity = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE_ARN }, ...(shape.identityStatements ?? [])],
  };
  const details = {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'nina',
        UserId: 'AIDAPG3EFDO52RC4O5RHF',
        Arn: USER_ARN,
        UserPolicyList: [{ PolicyName: 'Assume', PolicyDocument: identity }],
        GroupList: [],
        AttachedManagedPolicies: [],
        Tags: [],
      },
    ],
    GroupDetailList: [],
    RoleDetailList: [
      {
        Path: '/',
        RoleName: 'target',
        RoleId: 'AROAOWVNOXPOFVOISKVWH',
        Arn: ROLE_ARN,
        AssumeRolePolicyDocument: trust,
        RolePolicyList: [],
        AttachedManagedPolicies: [],
        Tags: [],
      },
    ],
    Policies: [],
  };
  return SnapshotIamFacts.fromAuthorizationDetails([{ details, source: `${shape.name}.json` }]);
}

export function recordFor(shape: AdversarialShape): Record<string, unknown> {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAPG3EFDO52RC4O5RHF',
      arn: USER_ARN,
      accountId: ACCOUNT,
      accessKeyId: 'AKIAANM74HFAVS7Y7X2V',
      userName: 'nina',
    },
    eventTime: '2026-07-20T06:03:11Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.71',
    userAgent: 'aws-cli/2.27.41',
    errorCode: 'AccessDenied',
    errorMessage: `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`,
    requestParameters: { roleArn: ROLE_ARN, roleSessionName: 'deploy', ...shape.requestParameters },
    responseElements: null,
    requestID: 'cf6301d3-3726-486c-9285-f095cb805a3f',
    eventID: `c09617ed-0ca8-486c-9285-${shape.name.length.toString().padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...shape.record,
  };
}

export function eventFor(shape: AdversarialShape): NormalizedEvent {
  const result = normalizeInput(recordFor(shape));
  if (result.events.length !== 1) throw new Error(`${shape.name}: the record did not normalize to one event`);
  return result.events[0];
}

const stars = (n: number, between: string, tail: string) => `${`*${between}`.repeat(n)}${tail}`;
const manyKeys = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`aws:RequestTag/k${i}`, `v${i}*`]));

/** The cases the audit reported, first (issue 9 point 1). */
export const REPORTED_SHAPES: AdversarialShape[] = [
  {
    name: 'session-name-eight-stars',
    condition: { StringLike: { 'sts:RoleSessionName': '*-*-*-*-*-*-*-*-ops' } },
    requestParameters: { roleSessionName: '-'.repeat(64) },
  },
  {
    name: 'session-tag-five-stars',
    condition: { StringLike: { 'aws:RequestTag/team': '*a*a*a*a*a*b' } },
    requestParameters: { tags: [{ key: 'team', value: 'a'.repeat(256) }] },
  },
  {
    name: 'condition-block-10000-keys',
    condition: { StringLike: manyKeys(10_000) },
    requestParameters: {
      tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}x` })),
    },
  },
  {
    name: 'bare-role-and-short-account',
    requestParameters: { roleArn: 'role/target' },
    record: {
      errorCode: 'ValidationError',
      errorMessage: "1 validation error detected: Value 'role/target' at 'roleArn' failed to satisfy constraint",
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::12345:user/nina', accountId: '12345', userName: 'nina' },
      recipientAccountId: '12345',
    },
  },
];

/**
 * A generated family around the reported cases: star counts, separators and value lengths at IAM's limits
 * (session names 64 characters, tag values 256, ARNs 2,048, a trust policy of ~4,096 characters), ArnLike on the
 * source ARN, Action/Resource patterns in the identity policy, and many-value / many-key condition blocks.
 */
export function generatedShapes(): AdversarialShape[] {
  const shapes: AdversarialShape[] = [...REPORTED_SHAPES];
  for (const n of [3, 8, 16, 31]) {
    for (const sep of ['-', 'a', '?']) {
      shapes.push({
        name: `session-${n}-stars-${sep}`,
        condition: { StringLike: { 'sts:RoleSessionName': stars(n, sep, 'ops') } },
        requestParameters: { roleSessionName: (sep === '?' ? 'x' : sep).repeat(64) },
      });
      shapes.push({
        name: `tag-${n}-stars-${sep}`,
        condition: { StringNotLike: { 'aws:RequestTag/team': stars(n, sep, '!') } },
        requestParameters: { tags: [{ key: 'team', value: (sep === '?' ? 'y' : sep).repeat(256) }] },
      });
    }
  }
  for (const n of [8, 64, 400]) {
    shapes.push({
      name: `arnlike-${n}-stars`,
      condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${stars(n, 'a', 'zz')}` } },
      requestParameters: { sourceArn: `arn:aws:s3:::${'a'.repeat(2000)}` },
    });
    shapes.push({
      name: `identity-resource-${n}-stars`,
      identityStatements: [
        { Effect: 'Deny', Action: `s${stars(n, 't', 's')}:*`, Resource: `arn:aws:iam::*:role/${stars(n, 'a', 'q')}` },
      ],
      requestParameters: { roleSessionName: 'a'.repeat(64) },
    });
  }
  for (const n of [100, 1000, 4000]) {
    shapes.push({
      name: `many-values-${n}`,
      condition: {
        'ForAnyValue:StringLike': { 'aws:TagKeys': Array.from({ length: n }, (_, i) => `*${i}*${i}*x`) },
      },
      requestParameters: { tags: Array.from({ length: 50 }, (_, i) => ({ key: `${i}`.repeat(60), value: 'v' })) },
    });
    shapes.push({ name: `many-keys-${n}`, condition: { StringLike: manyKeys(n), StringEquals: manyKeys(n) } });
  }
  return shapes;
}
