/**
 * userIdentity → caller, for the edge cases the fixtures do not cover: web identity principalIds that cannot be
 * split from the right, missing identityProvider, typeless service identities, root without an ARN.
 */
import { normalizeCaller, parseWebIdentityPrincipal, webIdentityProviderHost } from '../../../src/engine/event/caller';

describe('parseWebIdentityPrincipal', () => {
  const github = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const sub = 'repo:org/repo:ref:refs/heads/main';

  it('splits <provider>:<aud>:<sub> from the right with userName, whatever colons the parts contain', () => {
    expect(parseWebIdentityPrincipal(`${github}:sts.amazonaws.com:${sub}`, sub, github)).toStrictEqual({
      provider: github,
      aud: 'sts.amazonaws.com',
      sub,
    });
    // The brief's example: principalId with a host provider and a sub that has colons.
    expect(
      parseWebIdentityPrincipal(
        `token.actions.githubusercontent.com:sts.amazonaws.com:${sub}`,
        sub,
        'token.actions.githubusercontent.com',
      ),
    ).toStrictEqual({ provider: 'token.actions.githubusercontent.com', aud: 'sts.amazonaws.com', sub });
  });

  it('finds the provider in the principalId when identityProvider was not logged', () => {
    expect(parseWebIdentityPrincipal(`${github}:sts.amazonaws.com:${sub}`, sub, undefined)).toStrictEqual({
      provider: github,
      aud: 'sts.amazonaws.com',
      sub,
    });
    expect(
      parseWebIdentityPrincipal('accounts.google.com:app.apps.googleusercontent.com:1234', '1234', undefined),
    ).toStrictEqual({
      provider: 'accounts.google.com',
      aud: 'app.apps.googleusercontent.com',
      sub: '1234',
    });
  });

  it('without userName, splits aud and sub only when exactly one colon is left', () => {
    expect(
      parseWebIdentityPrincipal('accounts.google.com:app-id:1234', undefined, 'accounts.google.com'),
    ).toStrictEqual({
      provider: 'accounts.google.com',
      aud: 'app-id',
      sub: '1234',
    });
    expect(parseWebIdentityPrincipal(`${github}:sts.amazonaws.com:${sub}`, undefined, github)).toStrictEqual({
      provider: github,
    });
  });

  it('when userName does not end the principalId, keeps only the sub CloudTrail logged', () => {
    // The IAM User Guide's Google example (reference 09) writes the sub as "<id-of-user>" in principalId but
    // "<id of user>" in userName. Real records repeat the same value; the doc example is inconsistent, so the
    // parser does not guess an aud from it.
    expect(
      parseWebIdentityPrincipal(
        'accounts.google.com:<id-of-application>.apps.googleusercontent.com:<id-of-user>',
        '<id of user>',
        'accounts.google.com',
      ),
    ).toStrictEqual({ provider: 'accounts.google.com', sub: '<id of user>' });
  });

  it('returns nothing when no provider can be told', () => {
    expect(parseWebIdentityPrincipal(undefined, 'system:serviceaccount:ns:sa', undefined)).toBeUndefined();
    expect(parseWebIdentityPrincipal('nocolon', undefined, undefined)).toBeUndefined();
    expect(parseWebIdentityPrincipal('arn:aws:iam::1:user/x:aud:sub', 'sub', undefined)).toBeUndefined();
  });

  it('an empty aud segment is left out rather than reported as ""', () => {
    expect(parseWebIdentityPrincipal('idp.example.com::sub-1', 'sub-1', 'idp.example.com')).toStrictEqual({
      provider: 'idp.example.com',
      sub: 'sub-1',
    });
  });
});

describe('webIdentityProviderHost', () => {
  it('gives the issuer host used in condition keys', () => {
    expect(webIdentityProviderHost('arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC')).toBe(
      'oidc.eks.eu-west-1.amazonaws.com/id/ABC',
    );
    expect(webIdentityProviderHost('accounts.google.com')).toBe('accounts.google.com');
    expect(webIdentityProviderHost('https://gitlab.example.com')).toBe('gitlab.example.com');
  });
});

describe('normalizeCaller edge cases', () => {
  it('an EKS record abridged to userName only (as in the AWS knowledge-center example) keeps the sub as userName', () => {
    expect(
      normalizeCaller({ type: 'WebIdentityUser', userName: 'system:serviceaccount:serverless:aws-sdk' }, {}),
    ).toStrictEqual({
      type: 'WebIdentityUser',
      userName: 'system:serviceaccount:serverless:aws-sdk',
    });
  });

  it('web identity and SAML callers never get an ARN, even if one is logged', () => {
    const caller = normalizeCaller({ type: 'SAMLUser', arn: 'arn:aws:iam::1:user/x', userName: 'u' }, {});
    expect(caller).toStrictEqual({ type: 'SAMLUser', userName: 'u', saml: { userName: 'u' } });
    expect(normalizeCaller({ type: 'SAMLUser' }, {})).toStrictEqual({ type: 'SAMLUser' });
  });

  it('a typeless identity with a service invokedBy is an AWS service; "AWS Internal" is not', () => {
    expect(normalizeCaller({ accountId: '111111111111', invokedBy: 'ec2.amazonaws.com' }, {})).toStrictEqual({
      type: 'AWSService',
      accountId: '111111111111',
      invokedBy: 'ec2.amazonaws.com',
    });
    expect(normalizeCaller({ accountId: '111111111111', invokedBy: 'AWS Internal' }, {})).toStrictEqual({
      type: 'Unknown',
      accountId: '111111111111',
      invokedBy: 'AWS Internal',
    });
  });

  it('an AWSService record without invokedBy takes the service name from sourceIPAddress, never an IP', () => {
    expect(normalizeCaller({ type: 'AWSService' }, { sourceIPAddress: 'ec2.amazonaws.com' })).toStrictEqual({
      type: 'AWSService',
      invokedBy: 'ec2.amazonaws.com',
    });
    expect(normalizeCaller({ type: 'AWSService' }, { sourceIPAddress: '10.0.0.1' })).toStrictEqual({
      type: 'AWSService',
    });
  });

  it('invokedBy is kept for any caller type (a service acting for a user)', () => {
    expect(
      normalizeCaller(
        {
          type: 'IAMUser',
          arn: 'arn:aws:iam::1:user/a',
          accountId: '1',
          userName: 'a',
          invokedBy: 'cloudformation.amazonaws.com',
        },
        {},
      ),
    ).toStrictEqual({
      type: 'IAMUser',
      arn: 'arn:aws:iam::1:user/a',
      accountId: '1',
      userName: 'a',
      invokedBy: 'cloudformation.amazonaws.com',
    });
  });

  it('root without an ARN gets one, in the partition of the region', () => {
    expect(normalizeCaller({ type: 'Root', accountId: '111111111111' }, { awsRegion: 'cn-north-1' }).arn).toBe(
      'arn:aws-cn:iam::111111111111:root',
    );
    expect(normalizeCaller({ type: 'Root', accountId: '111111111111' }, { awsRegion: 'us-gov-west-1' }).arn).toBe(
      'arn:aws-us-gov:iam::111111111111:root',
    );
    expect(normalizeCaller({ type: 'Root', accountId: '111111111111' }, {}).arn).toBe('arn:aws:iam::111111111111:root');
    expect(normalizeCaller({ type: 'Root' }, {})).toStrictEqual({ type: 'Root' });
  });

  it('an assumed-role session without an ARN takes its session name from principalId', () => {
    expect(normalizeCaller({ type: 'AssumedRole', principalId: 'AROAEXAMPLE:my-session' }, {})).toStrictEqual({
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:my-session',
      sessionName: 'my-session',
    });
  });

  it('mfaAuthenticated accepts the logged strings and real booleans, and ignores anything else', () => {
    const mfa = (value: unknown) =>
      normalizeCaller({ type: 'IAMUser', sessionContext: { attributes: { mfaAuthenticated: value } } }, {})
        .mfaAuthenticated;
    expect([mfa('true'), mfa('false'), mfa(true), mfa(false), mfa('yes'), mfa(1)]).toEqual([
      true,
      false,
      true,
      false,
      undefined,
      undefined,
    ]);
  });
});
