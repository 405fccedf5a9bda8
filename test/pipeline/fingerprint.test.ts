import type { NormalizedCaller, NormalizedEvent } from '../../src/engine/event/types';
import type { Finding } from '../../src/engine/finding/types';
import { callerIdentity, fingerprintOf, fingerprintParts } from '../../src/pipeline/fingerprint';

const A = '111111111111';

test.each<[string, NormalizedCaller, string]>([
  [
    'IAM user → its ARN',
    { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/alice`, accountId: A },
    `arn:aws:iam::${A}:user/alice`,
  ],
  [
    'role session → the issuing role, not the session',
    {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${A}:assumed-role/ci/run-81`,
      issuerArn: `arn:aws:iam::${A}:role/build/ci`,
      sessionName: 'run-81',
    },
    `arn:aws:iam::${A}:role/build/ci`,
  ],
  [
    'role session without issuer → session ARN minus session name',
    { type: 'AssumedRole', arn: `arn:aws:sts::${A}:assumed-role/ci/run-81` },
    `arn:aws:sts::${A}:assumed-role/ci`,
  ],
  [
    'web identity → provider + sub',
    {
      type: 'WebIdentityUser',
      webIdentity: {
        provider: 'token.actions.githubusercontent.com',
        aud: 'sts.amazonaws.com',
        sub: 'repo:a/b:ref:refs/heads/main',
      },
    },
    'web-identity:token.actions.githubusercontent.com:repo:a/b:ref:refs/heads/main',
  ],
  [
    'SAML → provider + user',
    { type: 'SAMLUser', identityProvider: 'AcmeIdP', saml: { userName: 'jane@acme.example' } },
    'saml:AcmeIdP:jane@acme.example',
  ],
  [
    'another account → its root ARN (the account id)',
    { type: 'AWSAccount', accountId: '222222222222', principalId: 'AIDAX' },
    'arn:aws:iam::222222222222:root',
  ],
  [
    'AWS service → the service principal',
    { type: 'AWSService', invokedBy: 'logs.amazonaws.com' },
    'service:logs.amazonaws.com',
  ],
  ['root → its ARN', { type: 'Root', arn: `arn:aws:iam::${A}:root`, accountId: A }, `arn:aws:iam::${A}:root`],
])('caller identity: %s', (_name, caller, expected) => {
  expect(callerIdentity(caller)).toBe(expected);
});

function finding(overrides: Partial<Finding>): Finding {
  return {
    cause: 'TRUST_CONDITION_FAILED',
    role: { arn: `arn:aws:iam::${A}:role/deploy`, accountId: A },
    evidence: [],
    ...overrides,
  } as Finding;
}

const event = (sessionName: string) =>
  ({
    caller: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${A}:assumed-role/ci/${sessionName}`,
      issuerArn: `arn:aws:iam::${A}:role/ci`,
    },
    role: { arn: `arn:aws:iam::${A}:role/deploy`, source: 'requestParameters' },
  }) as NormalizedEvent;

test('stable across sessions of the same role; different per failing condition key (case-insensitive)', () => {
  const withKey = (key: string) =>
    finding({ evidence: [{ policy: 'trust', source: 's', statement: '#0', conditionKey: key }] });
  const a = fingerprintOf(fingerprintParts(event('run-1'), withKey('sts:ExternalId')));
  const b = fingerprintOf(fingerprintParts(event('run-2'), withKey('STS:EXTERNALID')));
  const c = fingerprintOf(fingerprintParts(event('run-1'), withKey('aws:SourceIp')));
  expect(a).toBe(b);
  expect(a).not.toBe(c);
  expect(a).toMatch(/^[0-9a-f]{32}$/);
});

test('pinned: the recipe is SHA-256 of ["trustgap-fp-v1", caller, role, cause, conditionKey], first 32 hex', () => {
  const parts = {
    caller: `arn:aws:iam::${A}:user/alice`,
    role: `arn:aws:iam::${A}:role/deploy-prod`,
    cause: 'TRUST_PRINCIPAL_MISSING',
    conditionKey: '',
  };
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const expected = createHash('sha256')
    .update(JSON.stringify(['trustgap-fp-v1', parts.caller, parts.role, parts.cause, '']))
    .digest('hex')
    .slice(0, 32);
  expect(fingerprintOf(parts)).toBe(expected);
  expect(fingerprintOf({ ...parts, cause: 'IDENTITY_NO_ALLOW' })).not.toBe(expected);
});
