import type { CallerProfile } from '../../../src/engine/eval/caller-profile';
import { matchPrincipal } from '../../../src/engine/eval/principal-matcher';

const user: CallerProfile = {
  type: 'IAMUser',
  accountId: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:user/alice',
  uniqueId: 'AIDAEXAMPLEALICE0001',
  displayName: 'alice',
};
const session: CallerProfile = {
  type: 'AssumedRole',
  accountId: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:role/ci/Builder',
  sessionArn: 'arn:aws:sts::111111111111:assumed-role/Builder/run-42',
  uniqueId: 'AROAEXAMPLEBUILDER01',
  displayName: 'Builder',
};
const ownerCopy: CallerProfile = { type: 'AWSAccount', accountId: '222222222222', displayName: '222222222222' };
const github: CallerProfile = {
  type: 'WebIdentityUser',
  federatedPrincipal: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
  claimKeyPrefix: 'token.actions.githubusercontent.com',
  displayName: 'repo:acme/app:ref:refs/heads/main',
};
const cognito: CallerProfile = {
  type: 'WebIdentityUser',
  federatedPrincipal: 'cognito-identity.amazonaws.com',
  claimKeyPrefix: 'cognito-identity.amazonaws.com',
  displayName: 'x',
};
const ec2: CallerProfile = { type: 'AWSService', serviceName: 'ec2.amazonaws.com', displayName: 'ec2.amazonaws.com' };
const samlWithoutProvider: CallerProfile = { type: 'SAMLUser', displayName: 'jane' };

describe('trust policy Principal matching', () => {
  it('names the caller by user ARN, by unique ID, or by "*" (principal level)', () => {
    expect(matchPrincipal({ AWS: 'arn:aws:iam::111111111111:user/alice' }, user).level).toBe('principal');
    expect(matchPrincipal({ AWS: ['arn:aws:iam::111111111111:user/bob', 'AIDAEXAMPLEALICE0001'] }, user).level).toBe(
      'principal',
    );
    expect(matchPrincipal('*', user).level).toBe('principal');
    expect(matchPrincipal({ AWS: '*' }, user).level).toBe('principal');
  });

  it('names only the account by 12-digit ID or :root (account level: an identity allow is also needed)', () => {
    expect(matchPrincipal({ AWS: '111111111111' }, user).level).toBe('account');
    expect(matchPrincipal({ AWS: 'arn:aws:iam::111111111111:root' }, user).level).toBe('account');
    expect(matchPrincipal({ AWS: 'arn:aws:iam::999999999999:root' }, user).level).toBe('none');
  });

  it('takes the strongest match when a statement names several principals', () => {
    expect(matchPrincipal({ AWS: ['111111111111', 'arn:aws:iam::111111111111:user/alice'] }, user).level).toBe(
      'principal',
    );
  });

  it('compares principal ARNs case-sensitively', () => {
    expect(matchPrincipal({ AWS: 'arn:aws:iam::111111111111:user/Alice' }, user).level).toBe('none');
  });

  it('trusts a role session through its role ARN (role level) or its exact session ARN (principal level)', () => {
    expect(matchPrincipal({ AWS: 'arn:aws:iam::111111111111:role/ci/Builder' }, session).level).toBe('role');
    expect(matchPrincipal({ AWS: 'arn:aws:sts::111111111111:assumed-role/Builder/run-42' }, session).level).toBe(
      'principal',
    );
    expect(matchPrincipal({ AWS: 'arn:aws:sts::111111111111:assumed-role/Builder/run-41' }, session).level).toBe(
      'none',
    );
  });

  it('cannot tell which principal of the caller account made an owner-side cross-account call', () => {
    expect(matchPrincipal({ AWS: 'arn:aws:iam::222222222222:user/ci' }, ownerCopy).level).toBe('unknown');
    expect(matchPrincipal({ AWS: 'arn:aws:iam::333333333333:user/ci' }, ownerCopy).level).toBe('none');
    expect(matchPrincipal({ AWS: '222222222222' }, ownerCopy).level).toBe('account');
  });

  it('matches Federated providers exactly: OIDC provider ARNs and well-known providers', () => {
    expect(
      matchPrincipal(
        { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
        github,
      ).level,
    ).toBe('principal');
    expect(
      matchPrincipal(
        { Federated: 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com' },
        github,
      ).level,
    ).toBe('none');
    expect(matchPrincipal({ Federated: 'cognito-identity.amazonaws.com' }, cognito).level).toBe('principal');
    expect(matchPrincipal({ AWS: 'arn:aws:iam::111111111111:root' }, github).level).toBe('none');
  });

  it('treats a federated caller whose provider the event does not name as unknown, not missing', () => {
    expect(
      matchPrincipal({ Federated: 'arn:aws:iam::111111111111:saml-provider/Okta' }, samlWithoutProvider).level,
    ).toBe('unknown');
  });

  it('matches Service principals case-insensitively and only for service callers', () => {
    expect(matchPrincipal({ Service: 'EC2.amazonaws.com' }, ec2).level).toBe('principal');
    expect(matchPrincipal({ Service: ['lambda.amazonaws.com'] }, ec2).level).toBe('none');
    expect(matchPrincipal({ Service: 'ec2.amazonaws.com' }, user).level).toBe('none');
  });

  it('never matches a statement without Principal (NotPrincipal is invalid in trust policies)', () => {
    expect(matchPrincipal(undefined, user).level).toBe('none');
  });
});
