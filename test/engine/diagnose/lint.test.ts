import { lintPolicy, suggestActionName, suggestOperator } from '../../../src/engine/diagnose/lint';
import { isKnownConditionOperator } from '../../../src/engine/eval/conditions';
import type { NamedPolicy, PolicyKind, PolicyStatement } from '../../../src/engine/iam/policy-types';

const policy = (kind: PolicyKind, ...Statement: PolicyStatement[]): NamedPolicy => ({
  kind,
  source: kind === 'trust' ? 'trust policy of arn:aws:iam::111111111111:role/Deploy' : 'inline policy P on user alice',
  name: 'P',
  document: { Version: '2012-10-17', Statement },
});
const trust = (st: Partial<PolicyStatement>): NamedPolicy =>
  policy('trust', {
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111111111111:user/alice' },
    Action: 'sts:AssumeRole',
    ...st,
  });
const identity = (st: Partial<PolicyStatement>): NamedPolicy =>
  policy('identity', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', ...st });
const codes = async (p: NamedPolicy) => (await lintPolicy(p)).map((w) => w.code);

describe('lintPolicy: clean policies give no warnings', () => {
  it.each<[string, NamedPolicy]>([
    ['cross-account trust with ExternalId', trust({ Condition: { StringEquals: { 'sts:ExternalId': 'x' } } })],
    [
      'GitHub OIDC trust with aud/sub claim keys',
      policy('trust', {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' },
        },
      }),
    ],
    [
      'EKS IRSA trust',
      policy('trust', {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:a:b' } },
      }),
    ],
    [
      'Google, Cognito and SAML keys',
      policy('trust', {
        Effect: 'Allow',
        // Both providers whose keys the block uses: a key spelled for a provider the statement does not trust is a
        // WRONG_PROVIDER_KEY (lint-trust-mistakes.test.ts).
        Principal: { Federated: ['accounts.google.com', 'cognito-identity.amazonaws.com'] },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'accounts.google.com:aud': 'x',
            'SAML:aud': 'https://signin.aws.amazon.com/saml',
            'saml:sub': 'u',
          },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      }),
    ],
    [
      'session keys, tag keys with "/", global keys in any case, wildcards and lower-case actions',
      trust({
        Action: ['sts:assumerole', 'sts:Tag*', 'sts:SetSourceIdentity'],
        Condition: {
          StringLike: {
            'sts:RoleSessionName': '${aws:username}',
            'sts:SourceIdentity': '*',
            'aws:PrincipalTag/team': 'x',
          },
          'ForAllValues:StringEquals': {
            'sts:TransitiveTagKeys': ['team'],
            'aws:RequestTag/team': 'x',
            'aws:TagKeys': 'team',
          },
          BoolIfExists: { 'aws:multifactorauthpresent': 'true' },
          StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1', 'aws:SourceIdentity': 'x' },
        },
      }),
    ],
    ['identity policy with "*" and service wildcards', identity({ Action: ['*', 's3:Get*', 'ec2:Describe*'] })],
    [
      'service principal',
      policy('trust', { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ],
  ])('%s', async (_name, p) => {
    expect(await lintPolicy(p)).toEqual([]);
  });
});

describe('lintPolicy: action typos', () => {
  it('suggests the real action for a misspelt one, naming policy and statement', async () => {
    const warnings = await lintPolicy(trust({ Sid: 'AllowAlice', Action: 'sts:AsumeRole' }));
    expect(warnings).toEqual([
      {
        code: 'ACTION_TYPO',
        message: 'Action "sts:AsumeRole" does not exist; did you mean "sts:AssumeRole"?',
        policy: 'trust',
        source: 'trust policy of arn:aws:iam::111111111111:role/Deploy',
        statement: 'AllowAlice',
      },
    ]);
  });

  it('uses #N (1-based, as the evidence does) for statements without a Sid and checks NotAction too', async () => {
    const p = policy(
      'identity',
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', NotAction: 'sts:AssumeRoleWithWebIdentiy', Resource: '*' },
    );
    const warnings = await lintPolicy(p);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'ACTION_TYPO', statement: '#2', policy: 'identity' });
    expect(warnings[0].message).toContain('"sts:AssumeRoleWithWebIdentity"');
  });

  it('corrects a misspelt service prefix', async () => {
    expect(await codes(trust({ Action: 'sst:AssumeRole' }))).toEqual(['ACTION_TYPO']);
    expect(suggestActionName('sst:AssumeRole')).toBe('sts:AssumeRole');
  });

  it('reports actions with nothing close as unknown', async () => {
    expect(await lintPolicy(trust({ Action: 'sts:BecomeAdministrator' }))).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_ACTION',
        message: 'Action "sts:BecomeAdministrator" is not an action of sts',
      }),
    ]);
    expect(await codes(trust({ Action: 'nosuchservice:Thing' }))).toEqual(['UNKNOWN_ACTION']);
    expect(await codes(trust({ Action: 'AssumeRole' }))).toEqual(['UNKNOWN_ACTION']);
    expect(await codes(trust({ Action: 'sts:Asume*' }))).toEqual(['UNKNOWN_ACTION']);
  });
});

describe('suggestActionName', () => {
  it.each([
    ['sts:AsumeRole', 'sts:AssumeRole'],
    ['sts:AssumeRol', 'sts:AssumeRole'],
    ['sts:AssumeRoleWithSaml2', 'sts:AssumeRoleWithSAML'],
    ['sts:TagSesion', 'sts:TagSession'],
    ['STS:AsumeRole', 'sts:AssumeRole'],
    ['s3:GetObjet', 's3:GetObject'],
  ])('%s → %s', (typo, fixed) => {
    expect(suggestActionName(typo)).toBe(fixed);
  });

  it.each(['sts:AssumeRole', 'sts:assumerole', 'sts:*', '*', 's3:Get*', 'sts:BecomeAdministrator'])(
    '%s → undefined',
    (a) => {
      expect(suggestActionName(a)).toBeUndefined();
    },
  );
});

describe('lintPolicy: condition keys', () => {
  it('flags a misspelt service key with a suggestion', async () => {
    const warnings = await lintPolicy(trust({ Condition: { StringEquals: { 'sts:ExternId': 'x' } } }));
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'UNKNOWN_CONDITION_KEY',
        message:
          'condition key "sts:ExternId" is not a documented sts condition key, so it is never in the request; did you mean "sts:ExternalId"?',
      }),
    ]);
  });

  it('flags misspelt global keys, keeping the tag name of tag keys', async () => {
    const warnings = await lintPolicy(
      trust({
        Condition: { Bool: { 'aws:MultiFactorAuthPresnt': 'true' }, StringEquals: { 'aws:PrincipalTg/team': 'a' } },
      }),
    );
    expect(warnings.map((w) => w.message)).toEqual([
      'condition key "aws:MultiFactorAuthPresnt" is not a documented global condition key, so it is never in the request; did you mean "aws:MultiFactorAuthPresent"?',
      'condition key "aws:PrincipalTg/team" is not a documented global condition key, so it is never in the request; did you mean "aws:PrincipalTag/team"?',
    ]);
  });

  it('flags a tag key without its tag name', async () => {
    const warnings = await lintPolicy(trust({ Condition: { StringEquals: { 'aws:PrincipalTag': 'a' } } }));
    expect(warnings[0].message).toBe(
      'condition key "aws:PrincipalTag" needs a name after "/": aws:PrincipalTag/<tag-key>',
    );
  });

  it('flags unknown prefixes and keys without a prefix', async () => {
    expect((await lintPolicy(trust({ Condition: { StringEquals: { 'stss:ExternalId': 'x' } } })))[0].message).toBe(
      'condition key "stss:ExternalId" has an unknown prefix "stss"; it never matches a request',
    );
    expect((await lintPolicy(trust({ Condition: { StringEquals: { ExternalId: 'x' } } })))[0].message).toBe(
      'condition key "ExternalId" is not of the form prefix:name',
    );
  });
});

describe('lintPolicy: condition operators', () => {
  it('flags an operator IAM does not know, with the intended spelling', async () => {
    const warnings = await lintPolicy(
      trust({ Condition: { StringEqual: { 'sts:ExternalId': 'x' }, stringLike: { 'sts:RoleSessionName': 'a*' } } }),
    );
    expect(warnings.map((w) => [w.code, w.message])).toEqual([
      [
        'INVALID_OPERATOR',
        'condition operator "StringEqual" is not an IAM operator; did you mean "StringEquals"? (operator names are case-sensitive)',
      ],
      [
        'INVALID_OPERATOR',
        'condition operator "stringLike" is not an IAM operator; did you mean "StringLike"? (operator names are case-sensitive)',
      ],
    ]);
  });

  it('flags an unrecognisable operator without a suggestion', async () => {
    const [w] = await lintPolicy(trust({ Condition: { Whatever: { 'sts:ExternalId': 'x' } } }));
    expect(w).toMatchObject({
      code: 'INVALID_OPERATOR',
      message: 'condition operator "Whatever" is not an IAM operator',
    });
  });

  it.each([
    ['ForAnyValue:StringLikeIfExist', 'ForAnyValue:StringLikeIfExists'],
    ['forallvalues:StringEquals', 'ForAllValues:StringEquals'],
    ['NumericLessThenEquals', 'NumericLessThanEquals'],
    ['Bol', 'Bool'],
  ])('suggestOperator(%s) = %s, a valid operator', (written, expected) => {
    expect(suggestOperator(written)).toBe(expected);
    expect(isKnownConditionOperator(expected)).toBe(true);
  });
});

describe('lintPolicy: principals', () => {
  it('flags NotPrincipal in a trust policy', async () => {
    const p = policy(
      'trust',
      { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111111111111:user/alice' }, Action: 'sts:AssumeRole' },
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'sts:AssumeRole',
      },
    );
    const warnings = await lintPolicy(p);
    expect(warnings).toEqual([expect.objectContaining({ code: 'NOT_PRINCIPAL_IN_TRUST', statement: '#1' })]);
  });

  it('flags a unique-ID principal as a deleted principal', async () => {
    const warnings = await lintPolicy(
      trust({ Principal: { AWS: ['arn:aws:iam::111111111111:user/alice', 'AROA1234567890EXAMPLE'] } }),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0].code).toBe('UNIQUE_ID_PRINCIPAL');
    expect(warnings[0].message).toMatch(
      /^Principal AROA1234567890EXAMPLE is a unique ID, not an ARN: IAM shows this when the role the policy named has been deleted/,
    );
    expect(await codes(trust({ Principal: { AWS: 'AIDAJQABLZS4A3QDU576Q' } }))).toEqual(['UNIQUE_ID_PRINCIPAL']);
  });

  it('accepts account IDs, ARNs and "*" as AWS principals', async () => {
    expect(
      await codes(trust({ Principal: { AWS: ['111111111111', 'arn:aws:iam::111111111111:role/R', '*'] } })),
    ).toEqual([]);
  });

  it('flags structural mistakes', async () => {
    expect(await codes(identity({ Principal: { AWS: '111111111111' } }))).toEqual(['INVALID_POLICY']);
    expect(await codes(trust({ Principal: undefined }))).toEqual(['INVALID_POLICY']);
    expect(await codes(identity({ Action: undefined }))).toEqual(['INVALID_POLICY']);
    expect(
      await codes(policy('scp', { Effect: 'Deny', NotPrincipal: { AWS: '111111111111' }, Action: '*', Resource: '*' })),
    ).toEqual(['INVALID_POLICY']);
  });
});

describe('lintPolicy caching', () => {
  it('answers repeated lints of a shared document alike, per kind and source, without sharing the array', async () => {
    const p = trust({ Action: 'sts:AsumeRole' });
    const first = await lintPolicy(p);
    first.push({ code: 'NEAR_MISS', message: 'caller-added' });
    const second = await lintPolicy(p);
    expect(second.map((w) => w.code)).toEqual(['ACTION_TYPO']);
    const asIdentity = await lintPolicy({ ...p, kind: 'identity', source: 'inline policy X on role R' });
    expect(asIdentity.map((w) => [w.code, w.source])).toEqual([
      ['INVALID_POLICY', 'inline policy X on role R'],
      ['ACTION_TYPO', 'inline policy X on role R'],
    ]);
  });
});

describe('lintPolicy caching across sources', () => {
  it('names each source in the warnings of one shared document, alternating between sources', async () => {
    const p = trust({ Action: 'sts:AsumeRole' });
    const other = { ...p, source: 'trust policy of arn:aws:iam::111122223333:role/Other' };
    for (const q of [p, other, p, other]) expect((await lintPolicy(q)).map((w) => w.source)).toEqual([q.source]);
  });

  it('answers a clean document alike under any source and kind it was found clean for, in a fresh array', async () => {
    const p = trust({});
    const first = await lintPolicy(p);
    expect(first).toEqual([]);
    first.push({ code: 'NEAR_MISS', message: 'caller-added' });
    expect(await lintPolicy({ ...p, source: 'trust policy of arn:aws:iam::111122223333:role/Other' })).toEqual([]);
    // Clean as a trust policy says nothing about the same document as an identity policy (no Resource, a Principal).
    expect((await lintPolicy({ ...p, kind: 'identity', source: 'inline policy X on role R' })).length).toBeGreaterThan(
      0,
    );
  });
});
