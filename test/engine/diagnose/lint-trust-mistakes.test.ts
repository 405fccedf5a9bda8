import { lintPolicy } from '../../../src/engine/diagnose/lint';
import { rolePathWarnings } from '../../../src/engine/diagnose/lint-trust-mistakes';
import type { PolicySet } from '../../../src/engine/eval/authorization';
import type { Warning } from '../../../src/engine/finding/types';
import type { RoleFacts } from '../../../src/engine/iam/iam-facts';
import type { ConditionBlock, NamedPolicy, PolicyStatement } from '../../../src/engine/iam/policy-types';

const GITHUB = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
const EKS_HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/5C2A1E';
const EKS = `arn:aws:iam::111122223333:oidc-provider/${EKS_HOST}`;

let counter = 0;
const trust = (st: Partial<PolicyStatement>): NamedPolicy => ({
  kind: 'trust',
  // A fresh source per call: lint answers are cached per document and source.
  source: `trust policy of arn:aws:iam::111122223333:role/Deploy${counter++}`,
  name: 'trust',
  document: {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: 'sts:AssumeRole', ...st },
    ],
  },
});
const oidc = (federated: string, Condition: ConditionBlock) =>
  trust({ Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', Condition });
const warnings = async (p: NamedPolicy, code: Warning['code']) => (await lintPolicy(p)).filter((w) => w.code === code);

describe('LITERAL_WILDCARD: a wildcard under an operator that compares exactly', () => {
  it('flags StringEquals with * and gives the StringLike form', async () => {
    const [w] = await warnings(
      oidc(GITHUB, { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' } }),
      'LITERAL_WILDCARD',
    );
    expect(w.message).toContain('"*" and "?"');
    expect(w.message).toContain('{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/app:*"}}');
  });

  it('keeps the qualifier and IfExists, and maps StringNotEquals to StringNotLike', async () => {
    const [w] = await warnings(
      trust({ Condition: { 'ForAnyValue:StringNotEqualsIfExists': { 'aws:PrincipalTag/team': 'ops-?' } } }),
      'LITERAL_WILDCARD',
    );
    expect(w.message).toContain('"ForAnyValue:StringNotLikeIfExists"');
  });

  it.each<[string, ConditionBlock]>([
    ['StringLike with *', { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ci-*' } }],
    [
      'ArnEquals with * (ArnEquals and ArnLike behave identically)',
      { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ci-*' } },
    ],
    ['StringEquals without wildcards', { StringEquals: { 'sts:ExternalId': 'abc' } }],
    ['StringEquals with the ${*} escape', { StringEquals: { 'aws:PrincipalTag/x': 'a${*}b' } }],
  ])('does not flag %s', async (_name, Condition) => {
    expect(await warnings(trust({ Condition }), 'LITERAL_WILDCARD')).toEqual([]);
  });
});

describe('PARTIAL_WILDCARD_PRINCIPAL', () => {
  it('flags role/ci-* and gives the account principal with ArnLike aws:PrincipalArn', async () => {
    const [w] = await warnings(
      trust({ Principal: { AWS: 'arn:aws:iam::111122223333:role/ci-*' } }),
      'PARTIAL_WILDCARD_PRINCIPAL',
    );
    expect(w.message).toContain('"Principal":{"AWS":"arn:aws:iam::111122223333:root"}');
    expect(w.message).toContain('"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ci-*"}');
  });

  it('says to name principals exactly when the wildcard is in the account', async () => {
    const [w] = await warnings(trust({ Principal: { AWS: 'arn:aws:iam::*:role/ci' } }), 'PARTIAL_WILDCARD_PRINCIPAL');
    expect(w.message).toContain('Name each principal exactly');
  });

  it('does not flag "*" or exact ARNs', async () => {
    expect(await warnings(trust({ Principal: '*' }), 'PARTIAL_WILDCARD_PRINCIPAL')).toEqual([]);
    expect(await warnings(trust({ Principal: { AWS: '*' } }), 'PARTIAL_WILDCARD_PRINCIPAL')).toEqual([]);
    expect(await warnings(trust({}), 'PARTIAL_WILDCARD_PRINCIPAL')).toEqual([]);
  });
});

describe('OIDC claims', () => {
  it('UNLOGGED_TOKEN_CLAIM: a GitHub environment claim, with the equivalent sub form', async () => {
    const [w] = await warnings(
      oidc(GITHUB, {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:repository': 'acme/app',
          'token.actions.githubusercontent.com:environment': 'production',
        },
      }),
      'UNLOGGED_TOKEN_CLAIM',
    ).then((ws) => ws.filter((x) => x.message.startsWith('token.actions.githubusercontent.com:environment')));
    expect(w.message).toContain('CloudTrail never shows');
    expect(w.message).toContain('"repo:acme/app:environment:production"');
  });

  it('UNSUPPORTED_TOKEN_CLAIM: a GitHub claim IAM has no key for', async () => {
    const [w] = await warnings(
      oidc(GITHUB, { StringEquals: { 'token.actions.githubusercontent.com:event_name': 'push' } }),
      'UNSUPPORTED_TOKEN_CLAIM',
    );
    expect(w.message).toContain('IAM has no condition key token.actions.githubusercontent.com:event_name');
  });

  it('aud, sub and claims sub does not carry (Cognito amr, job_workflow_ref, an EKS claim) are not flagged', async () => {
    const gh = oidc(GITHUB, {
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:a/b:ref:refs/heads/main',
      },
    });
    expect((await lintPolicy(gh)).map((w) => w.code)).toEqual([]);
    const eks = oidc(EKS, { StringEquals: { [`${EKS_HOST}:amr`]: 'x' } });
    expect((await lintPolicy(eks)).map((w) => w.code)).toEqual([]);
    const cognito = oidc('cognito-identity.amazonaws.com', {
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    });
    expect((await lintPolicy(cognito)).map((w) => w.code)).toEqual([]);
    const workflow = oidc(GITHUB, { StringLike: { 'token.actions.githubusercontent.com:job_workflow_ref': 'a/b/*' } });
    expect((await lintPolicy(workflow)).map((w) => w.code)).toEqual([]);
  });

  it('WRONG_PROVIDER_KEY: a GitHub key in a statement that trusts an EKS provider, with the key for that provider', async () => {
    const [w] = await warnings(
      oidc(EKS, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }),
      'WRONG_PROVIDER_KEY',
    );
    expect(w.message).toContain(`"${EKS_HOST}:aud"`);
  });

  it('WRONG_PROVIDER_KEY is not raised for the provider the statement trusts (case-insensitive), nor without a Federated principal', async () => {
    expect(
      await warnings(oidc(EKS, { StringEquals: { [`${EKS_HOST.toUpperCase()}:sub`]: 'x' } }), 'WRONG_PROVIDER_KEY'),
    ).toEqual([]);
    expect(
      await warnings(
        oidc('accounts.google.com', { StringEquals: { 'accounts.google.com:oaud': 'x' } }),
        'WRONG_PROVIDER_KEY',
      ),
    ).toEqual([]);
    expect(
      await warnings(
        trust({ Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'x' } } }),
        'WRONG_PROVIDER_KEY',
      ),
    ).toEqual([]);
  });
});

describe('UNSATISFIABLE_CONDITION', () => {
  const never = async (Condition: ConditionBlock) =>
    (await warnings(trust({ Condition }), 'UNSATISFIABLE_CONDITION')).map((w) => w.message);

  it.each<[string, ConditionBlock, string]>([
    [
      'disjoint StringEquals and StringLike',
      { StringEquals: { 'aws:PrincipalTag/team': 'ops' }, StringLike: { 'aws:PrincipalTag/team': 'dev-*' } },
      'admit no common value',
    ],
    [
      'StringEquals a value StringNotEquals excludes',
      { StringEquals: { 'sts:RoleSessionName': 'ci' }, StringNotEquals: { 'sts:RoleSessionName': ['ci', 'x'] } },
      'excludes',
    ],
    [
      'StringEqualsIgnoreCase a value StringNotEqualsIgnoreCase excludes in another case',
      {
        StringEqualsIgnoreCase: { 'aws:PrincipalTag/env': 'Prod' },
        StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/env': 'prod' },
      },
      'excludes',
    ],
    [
      'StringEquals a value StringNotEqualsIgnoreCase excludes in another case',
      {
        StringEquals: { 'aws:PrincipalTag/env': 'Prod' },
        StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/env': 'prod' },
      },
      'excludes',
    ],
    [
      'StringEqualsIgnoreCase a caseless value StringNotEquals excludes',
      { StringEqualsIgnoreCase: { 'aws:PrincipalTag/env': '42' }, StringNotEquals: { 'aws:PrincipalTag/env': '42' } },
      'excludes',
    ],
    [
      'an empty date window',
      {
        DateGreaterThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' },
        DateLessThan: { 'aws:CurrentTime': '2026-11-01T00:00:00Z' },
      },
      'bounds look swapped',
    ],
    [
      'an empty numeric window',
      {
        NumericGreaterThan: { 'sts:DurationSeconds': '3600' },
        NumericLessThanEquals: { 'sts:DurationSeconds': '900' },
      },
      'empty window',
    ],
    [
      'NumericLessThan 0 on a non-negative key',
      { NumericLessThan: { 'aws:MultiFactorAuthAge': '0' } },
      'never negative',
    ],
    [
      'Bool true with Null true',
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, Null: { 'aws:MultiFactorAuthPresent': 'true' } },
      'drop the Null check',
    ],
    [
      'IpAddress inside NotIpAddress',
      { IpAddress: { 'aws:SourceIp': '203.0.113.0/25' }, NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      'excludes',
    ],
  ])('flags %s', async (_name, Condition, corrected) => {
    const [message] = await never(Condition);
    expect(message).toContain('can never be true');
    expect(message).toContain(corrected);
  });

  it.each<[string, ConditionBlock]>([
    [
      'overlapping StringEquals and StringLike',
      { StringEquals: { 'aws:PrincipalTag/team': 'dev-a' }, StringLike: { 'aws:PrincipalTag/team': 'dev-*' } },
    ],
    [
      'StringEquals with another StringNotEquals value',
      { StringEquals: { 'sts:RoleSessionName': 'ci' }, StringNotEquals: { 'sts:RoleSessionName': 'x' } },
    ],
    [
      // "Prod" and "PROD" pass both: the exclusion is case-sensitive, the requirement is not.
      'StringEqualsIgnoreCase with a StringNotEquals of one spelling',
      {
        StringEqualsIgnoreCase: { 'aws:PrincipalTag/env': 'prod' },
        StringNotEquals: { 'aws:PrincipalTag/env': 'prod' },
      },
    ],
    [
      'StringEquals with a StringNotEquals of another case',
      { StringEquals: { 'aws:PrincipalTag/env': 'Prod' }, StringNotEquals: { 'aws:PrincipalTag/env': 'prod' } },
    ],
    [
      'a real date window',
      {
        DateGreaterThan: { 'aws:CurrentTime': '2026-11-01T00:00:00Z' },
        DateLessThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' },
      },
    ],
    [
      'a numeric window that touches inclusively',
      {
        NumericGreaterThanEquals: { 'sts:DurationSeconds': '900' },
        NumericLessThanEquals: { 'sts:DurationSeconds': '900' },
      },
    ],
    ['NumericLessThan 3600 on MFA age', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }],
    [
      'BoolIfExists with Null true (IfExists accepts an absent key)',
      { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' }, Null: { 'aws:MultiFactorAuthPresent': 'true' } },
    ],
    [
      'Null false with Bool',
      { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, Null: { 'aws:MultiFactorAuthPresent': 'false' } },
    ],
    [
      'IpAddress partly outside NotIpAddress',
      { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, NotIpAddress: { 'aws:SourceIp': '203.0.113.0/25' } },
    ],
    [
      'ForAllValues on a multi-valued key',
      { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'a' }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'b' } },
    ],
    [
      'policy variables',
      { StringEquals: { 'sts:RoleSessionName': '${aws:username}' }, StringLike: { 'sts:RoleSessionName': 'x*' } },
    ],
  ])('does not flag %s', async (_name, Condition) => {
    expect(await never(Condition)).toEqual([]);
  });
});

describe('ROLE_ARN_WITHOUT_PATH', () => {
  const role = { arn: 'arn:aws:iam::111122223333:role/team/deploy', name: 'deploy', path: '/team/' } as RoleFacts;
  const setWith = (resource: string, r: RoleFacts = role): PolicySet =>
    ({
      role: r,
      identity: [
        {
          kind: 'identity',
          source: 'inline policy Assume on user alice',
          name: 'Assume',
          document: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'A', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resource }],
          },
        },
      ],
    }) as unknown as PolicySet;

  it('flags role/deploy when the role is /team/deploy and gives the real ARN', () => {
    const [w] = rolePathWarnings(setWith('arn:aws:iam::111122223333:role/deploy'));
    expect(w).toMatchObject({
      code: 'ROLE_ARN_WITHOUT_PATH',
      statement: 'A',
      source: 'inline policy Assume on user alice',
    });
    expect(w.message).toContain('"Resource": ["arn:aws:iam::111122223333:role/team/deploy"]');
  });

  it('does not flag the full ARN, another role, or a role without a path', () => {
    expect(rolePathWarnings(setWith('arn:aws:iam::111122223333:role/team/deploy'))).toEqual([]);
    expect(rolePathWarnings(setWith('arn:aws:iam::111122223333:role/other'))).toEqual([]);
    const plain = { ...role, arn: 'arn:aws:iam::111122223333:role/deploy', path: '/' };
    expect(rolePathWarnings(setWith('arn:aws:iam::111122223333:role/deploy', plain))).toEqual([]);
  });
});
