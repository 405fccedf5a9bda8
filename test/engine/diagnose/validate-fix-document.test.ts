import { repairFixDocument, validateFixDocument } from '../../../src/engine/diagnose/fix/validate-fix-document';
import { awsPrincipalProblem, federatedPrincipalProblem } from '../../../src/engine/diagnose/policy-grammar';
import { policyLength, TRUST_POLICY_DEFAULT_QUOTA } from '../../../src/engine/diagnose/policy-size';
import type { PolicyDocument, PolicyKind, PolicyStatement } from '../../../src/engine/iam/policy-types';

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const trustSt = (st: Partial<PolicyStatement>): PolicyStatement => ({
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' },
  Action: 'sts:AssumeRole',
  ...st,
});
const invalid = (d: PolicyDocument, kind: PolicyKind = 'trust') => validateFixDocument(d, { kind }).invalid;

describe('principal forms', () => {
  it.each([
    '*',
    '111122223333',
    'arn:aws:iam::111122223333:root',
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:iam::111122223333:user/division/team/alice',
    'arn:aws:iam::111122223333:role/team/deploy',
    'arn:aws-cn:iam::111122223333:role/deploy',
    'arn:aws:sts::111122223333:assumed-role/deploy/session-1',
    'arn:aws:sts::111122223333:federated-user/bob',
    'AROAEXAMPLEROLEID12345',
  ])('accepts the AWS principal %s', (value) => {
    expect(awsPrincipalProblem(value)).toBeUndefined();
  });

  it.each([
    ['arn:aws:iam::111122223333:role/ci-*', 'partial wildcard'],
    ['arn:aws:iam::*:root', 'partial wildcard'],
    ['arn:aws:iam::111122223333:group/devs', 'not an AWS principal'],
    ['arn:aws:iam::11112222333:root', 'not an AWS principal'],
    ['arn:aws:s3:::bucket', 'not an AWS principal'],
    ['arn:aws:sts::111122223333:assumed-role/deploy', 'not an AWS principal'],
    ['alice', 'not an AWS principal'],
  ])('rejects the AWS principal %s (%s)', (value, why) => {
    expect(awsPrincipalProblem(value)).toContain(why);
  });

  it('accepts provider ARNs and the built-in web identity providers, and rejects anything else', () => {
    for (const ok of [
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      'arn:aws:iam::111122223333:saml-provider/Okta',
      'accounts.google.com',
      'cognito-identity.amazonaws.com',
      'www.amazon.com',
      'graph.facebook.com',
    ])
      expect(federatedPrincipalProblem(ok)).toBeUndefined();
    expect(federatedPrincipalProblem('token.actions.githubusercontent.com')).toContain('not an OIDC or SAML');
    expect(federatedPrincipalProblem('arn:aws:iam::111122223333:oidc-provider/*')).toContain('wildcard');
  });

  it('"*" only alone, and no wildcard in a Service principal', () => {
    expect(invalid(doc(trustSt({ Principal: '*' })))).toEqual([]);
    expect(invalid(doc(trustSt({ Principal: { AWS: '*' } })))).toEqual([]);
    expect(invalid(doc(trustSt({ Principal: { AWS: ['*', 'arn:aws:iam::111122223333:root'] } })))[0]).toContain(
      'must stand alone',
    );
    expect(invalid(doc(trustSt({ Principal: { Service: '*.amazonaws.com' } })))[0]).toContain('wildcard');
    expect(invalid(doc(trustSt({ Principal: { Service: 'lambda.amazonaws.com' } })))).toEqual([]);
  });
});

describe('statement elements', () => {
  it('NotPrincipal never in a trust policy, and elsewhere only with Deny', () => {
    const notPrincipal = { NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Principal: undefined };
    expect(invalid(doc(trustSt(notPrincipal))).join()).toContain('NotPrincipal is not allowed in a trust policy');
    expect(invalid(doc(trustSt(notPrincipal)), 'rcp').join()).toContain('only with "Effect": "Deny"');
    expect(invalid(doc(trustSt({ ...notPrincipal, Effect: 'Deny' })), 'rcp')).toEqual([]);
  });

  it('a trust statement needs a Principal and no Resource; an identity statement needs a Resource and no Principal', () => {
    expect(invalid(doc(trustSt({ Principal: undefined }))).join()).toContain('needs a Principal');
    expect(invalid(doc(trustSt({ Resource: '*' }))).join()).toContain('may not have a Resource');
    const identity = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111122223333:role/x' };
    expect(invalid(doc(identity), 'identity')).toEqual([]);
    expect(invalid(doc({ ...identity, Resource: undefined }), 'identity').join()).toContain('needs a Resource');
    expect(invalid(doc({ ...identity, Principal: '*' }), 'identity').join()).toContain('Principal is not allowed');
  });

  it('exactly one of Action or NotAction; Effect Allow or Deny; Sids alphanumeric and unique', () => {
    expect(invalid(doc(trustSt({ NotAction: 'iam:*' }))).join()).toContain('exactly one of Action or NotAction');
    expect(invalid(doc(trustSt({ Action: undefined }))).join()).toContain('exactly one of Action or NotAction');
    expect(invalid(doc(trustSt({ Effect: 'allow' }))).join()).toContain('Effect');
    expect(invalid(doc(trustSt({ Sid: 'Allow-CI' }))).join()).toContain('A-Z, a-z and 0-9');
    expect(invalid(doc(trustSt({ Sid: 'A' }), trustSt({ Sid: 'A' }))).join()).toContain('used twice');
    expect(invalid(doc(trustSt({ Sid: 'A' }), trustSt({ Sid: 'B' })))).toEqual([]);
  });
});

describe('conditions', () => {
  it.each([
    'StringEquals',
    'StringLikeIfExists',
    'ForAllValues:StringEquals',
    'ForAnyValue:StringLike',
    'ArnLike',
    'Null',
    'NumericLessThanEquals',
    'DateGreaterThan',
    'Bool',
    'IpAddress',
  ])('accepts the operator %s', (op) => {
    expect(invalid(doc(trustSt({ Condition: { [op]: { 'aws:PrincipalTag/team': 'x' } } })))).toEqual([]);
  });

  it.each(['StringEqual', 'stringequals', 'ForAllValue:StringEquals', 'NullIfExists', 'StringEqualsIfExist'])(
    'rejects the operator %s',
    (op) => {
      expect(invalid(doc(trustSt({ Condition: { [op]: { 'aws:PrincipalArn': 'x' } } })))[0]).toContain(
        'not an IAM operator',
      );
    },
  );

  it('rejects malformed keys and keys the catalogue positively does not know, and accepts known and undocumented-issuer keys', () => {
    const withKey = (key: string) => invalid(doc(trustSt({ Condition: { StringEquals: { [key]: 'x' } } })));
    expect(withKey('ExternalId')[0]).toContain('prefix:name');
    expect(withKey('sts:ExternalID')).toEqual([]);
    expect(withKey('aws:PrincipalOrgID')).toEqual([]);
    expect(withKey('aws:SourceIdentity')).toEqual([]);
    expect(withKey('sts:ExternalIdentifier')[0]).toContain('does not exist');
    expect(withKey('aws:PrincipalOrgId2')[0]).toContain('does not exist');
    expect(withKey('token.actions.githubusercontent.com:sub')).toEqual([]);
    expect(withKey('token.actions.githubusercontent.com:job_workflow_ref')).toEqual([]);
    expect(withKey('token.actions.githubusercontent.com:branch')[0]).toContain('does not exist');
    // An EKS cluster's issuer is not in the catalogue: its claims cannot be judged, so they are not rejected.
    expect(withKey('oidc.eks.eu-west-1.amazonaws.com/id/ABC:namespace')).toEqual([]);
  });
});

describe('version', () => {
  it('accepts the two versions, rejects others, and the repair always writes 2012-10-17', () => {
    expect(invalid({ Version: '2008-10-17', Statement: [trustSt({})] })).toEqual([]);
    expect(invalid({ Version: '2012-10-18', Statement: [trustSt({})] })[0]).toContain('Version');
    expect(validateFixDocument({ Statement: [trustSt({})] }, { kind: 'trust' }).warnings.join()).toContain(
      'Version is missing',
    );
    const repaired = repairFixDocument({
      Statement: [trustSt({ Condition: { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } } })],
    }).document;
    expect(repaired.Version).toBe('2012-10-17');
    // Literal text in a Version-less policy stays literal under 2012-10-17.
    expect(repaired.Statement[0].Condition?.StringEquals['sts:RoleSessionName']).toBe('${$}{aws:username}');
  });
});

describe('size quotas', () => {
  const longTrust = (n: number): PolicyDocument =>
    doc(
      ...Array.from({ length: n }, (_, i) =>
        trustSt({ Sid: `S${i}`, Principal: { AWS: `arn:aws:iam::111122223333:role/team/deploy-${i}` } }),
      ),
    );

  it('counts characters without white space', () => {
    const d = doc(trustSt({}));
    expect(policyLength(d)).toBe(JSON.stringify(d).length);
    expect(policyLength(d)).toBe(JSON.stringify(d, null, 2).replace(/\s/g, '').length);
  });

  it('rejects a trust policy over the default 2,048-character quota and says by how much', () => {
    const fits = longTrust(10);
    expect(policyLength(fits)).toBeLessThan(TRUST_POLICY_DEFAULT_QUOTA);
    expect(invalid(fits)).toEqual([]);
    const over = longTrust(25);
    const message = invalid(over).join();
    expect(message).toContain(
      `${policyLength(over) - TRUST_POLICY_DEFAULT_QUOTA} over the default "Role trust policy length" quota`,
    );
  });

  it('accepts a longer trust policy when the current one shows the quota was raised', () => {
    const current = longTrust(30);
    expect(validateFixDocument(longTrust(30), { kind: 'trust', original: current }).invalid).toEqual([]);
    expect(validateFixDocument(longTrust(31), { kind: 'trust', original: current }).invalid.join()).toContain(
      'length of the current trust policy',
    );
  });

  it('applies the managed, inline aggregate and SCP quotas', () => {
    const identity = (n: number): PolicyDocument =>
      doc(
        ...Array.from({ length: n }, (_, i) => ({
          Sid: `S${i}`,
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: `arn:aws:iam::111122223333:role/team/deploy-${i}`,
        })),
      );
    const small = identity(10);
    expect(validateFixDocument(small, { kind: 'identity', inlineOwner: 'user alice' }).invalid).toEqual([]);
    expect(
      validateFixDocument(small, {
        kind: 'identity',
        inlineOwner: 'user alice',
        otherInlineLength: 1500,
      }).invalid.join(),
    ).toContain('aggregate inline policy quota of a user');
    expect(
      validateFixDocument(small, { kind: 'identity', inlineOwner: 'role deploy', otherInlineLength: 1500 }).invalid,
    ).toEqual([]);
    expect(validateFixDocument(identity(70), { kind: 'identity', managed: true }).invalid.join()).toContain(
      'managed policy size quota',
    );
    expect(validateFixDocument(identity(60), { kind: 'scp' }).invalid.join()).toContain('SCP size quota');
  });
});

describe('repair: a partial-wildcard principal becomes the account plus ArnLike aws:PrincipalArn', () => {
  it('rewrites a wildcard-only statement and keeps its conditions', () => {
    const { document, changes } = repairFixDocument(
      doc(
        trustSt({
          Sid: 'CI',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/ci-*' },
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      ),
    );
    expect(document.Statement).toEqual([
      {
        Sid: 'CIByArnPattern',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'sts:AssumeRole',
        Condition: {
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/ci-*' },
        },
      },
    ]);
    expect(changes.join()).toContain('ArnLike aws:PrincipalArn');
    expect(invalid(document)).toEqual([]);
  });

  it('keeps exact principals in their own statement, so the condition does not narrow them', () => {
    const { document } = repairFixDocument(
      doc(
        trustSt({ Principal: { AWS: ['arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:role/ci-?'] } }),
      ),
    );
    expect(document.Statement.map((s) => s.Principal)).toEqual([
      { AWS: 'arn:aws:iam::111122223333:user/bob' },
      { AWS: 'arn:aws:iam::111122223333:root' },
    ]);
    expect(document.Statement[0].Condition).toBeUndefined();
  });

  it('cannot repair a wildcard account, and the document stays invalid', () => {
    const { document } = repairFixDocument(doc(trustSt({ Principal: { AWS: 'arn:aws:iam::*:role/ci' } })));
    expect(invalid(document)[0]).toContain('partial wildcard');
  });

  it('writes "*" alone when it was mixed with other principals', () => {
    const { document } = repairFixDocument(
      doc(trustSt({ Principal: { AWS: ['*', 'arn:aws:iam::111122223333:root'] } })),
    );
    expect(document.Statement[0].Principal).toEqual({ AWS: '*' });
  });
});
