/**
 * Exact normalized output of the denied AssumeRoleWithWebIdentity and AssumeRoleWithSAML fixtures
 * (test/fixtures/events/17–27). A failed web identity call logs errorMessage "An unknown error occurred"; the
 * token's claims survive only in userIdentity (principalId = <provider>:<aud>:<sub>, userName = sub).
 */
import type { NormalizedRole } from '../../../src/engine/event/types';
import { normalizeOne } from './fixture-loader';

const GITHUB_PROVIDER = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';
const EKS_PROVIDER =
  'arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C0A1E7B9D3F4A2B8C6E0D1F2A3B4C5D';

function roleFromRequest(accountId: string, path: string, name: string): NormalizedRole {
  return { arn: `arn:aws:iam::${accountId}:role${path}${name}`, accountId, name, path, source: 'requestParameters' };
}

describe('AssumeRoleWithWebIdentity fixtures', () => {
  it('17: GitHub Actions — the sub has colons; split from the right with userName', () => {
    const sub = 'repo:acme-corp/payments-api:ref:refs/heads/release/2025.06';
    expect(normalizeOne('17-webidentity-github-sub-with-colons.json')).toStrictEqual({
      eventId: '4d34f0cd-0e6c-4e1a-aa10-c874c26efae0',
      eventTime: '2025-06-12T15:40:02Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      sourceIpAddress: '52.154.133.36',
      userAgent: 'aws-sdk-nodejs/2.1600.0 linux/v20.13.1 configure-aws-credentials-for-github-actions promise',
      caller: {
        type: 'WebIdentityUser',
        principalId: `${GITHUB_PROVIDER}:sts.amazonaws.com:${sub}`,
        userName: sub,
        identityProvider: GITHUB_PROVIDER,
        webIdentity: { provider: GITHUB_PROVIDER, aud: 'sts.amazonaws.com', sub },
      },
      role: roleFromRequest('222222222222', '/github/', 'PaymentsDeploy'),
      request: {
        parametersLogged: true,
        roleSessionName: 'GitHubActions',
        durationSeconds: 3600,
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('18: GitHub custom audience — an aud that itself contains a colon (https://…)', () => {
    const sub = 'repo:acme-corp/infra:pull_request';
    expect(normalizeOne('18-webidentity-github-custom-audience-pull-request.json')).toStrictEqual({
      eventId: 'b83d5173-556b-4c97-b3b2-75b2e6765a9f',
      eventTime: '2025-06-12T16:01:29Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      sourceIpAddress: '104.211.45.236',
      userAgent:
        'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1022-azure md/arch#x86_64 lang/python#3.11.9 md/command#sts.assume-role-with-web-identity',
      caller: {
        type: 'WebIdentityUser',
        principalId: `${GITHUB_PROVIDER}:https://github.com/acme-corp:${sub}`,
        userName: sub,
        identityProvider: GITHUB_PROVIDER,
        webIdentity: { provider: GITHUB_PROVIDER, aud: 'https://github.com/acme-corp', sub },
      },
      role: roleFromRequest('222222222222', '/', 'InfraPlan'),
      request: {
        parametersLogged: true,
        roleSessionName: 'botocore-session-1749744089',
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('19: EKS IRSA — provider ARN with /id/<cluster id>, service-account sub', () => {
    const sub = 'system:serviceaccount:payments:ledger-writer';
    expect(normalizeOne('19-webidentity-eks-irsa.json')).toStrictEqual({
      eventId: '1b97664e-51f1-41ca-b1be-986d894bcdb4',
      eventTime: '2025-06-13T04:22:11Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      sourceIpAddress: '34.245.10.77',
      userAgent: 'aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/sts#1.30.3',
      caller: {
        type: 'WebIdentityUser',
        principalId: `${EKS_PROVIDER}:sts.amazonaws.com:${sub}`,
        userName: sub,
        identityProvider: EKS_PROVIDER,
        webIdentity: { provider: EKS_PROVIDER, aud: 'sts.amazonaws.com', sub },
      },
      role: roleFromRequest('222222222222', '/eks/', 'ledger-writer'),
      request: { parametersLogged: true, roleSessionName: '1749788531102394812', hasInlineSessionPolicy: false },
    });
  });

  it('20: Cognito identity pool — aud (pool id) and sub (identity id) both contain a colon; principalTags → tags', () => {
    const aud = 'eu-west-1:6f0e8f52-1c7d-4b63-9a5e-2d1a0b9c8e7f';
    const sub = 'eu-west-1:b2d4f6a8-0c1e-4a3b-8d5f-7e9a1c3b5d7f';
    expect(normalizeOne('20-webidentity-cognito-identity-pool.json')).toStrictEqual({
      eventId: 'e6bc596b-7337-4448-a5d1-a37c95eb6c88',
      eventTime: '2025-06-13T19:45:00Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '555555555555',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      sourceIpAddress: '81.2.69.160',
      userAgent: 'aws-sdk-js/3.614.0 ua/2.0 os/macOS#14.5 lang/js md/browser#Safari_17.5 api/cognito-identity#3.614.0',
      caller: {
        type: 'WebIdentityUser',
        principalId: `cognito-identity.amazonaws.com:${aud}:${sub}`,
        userName: sub,
        identityProvider: 'cognito-identity.amazonaws.com',
        webIdentity: { provider: 'cognito-identity.amazonaws.com', aud, sub },
      },
      role: roleFromRequest('555555555555', '/', 'Cognito_MobileAppAuth_Role'),
      request: {
        parametersLogged: true,
        roleSessionName: 'CognitoIdentityCredentials',
        tags: { tenant: 'acme', plan: 'pro' },
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('21: Google — InvalidIdentityToken kept as logged', () => {
    const aud = '123456789012-abcdefghijklmnop.apps.googleusercontent.com';
    expect(normalizeOne('21-webidentity-google-invalididentitytoken.json')).toStrictEqual({
      eventId: 'd33eaad3-e670-4f6d-af0d-e5b010676243',
      eventTime: '2025-06-14T08:30:45Z',
      awsRegion: 'us-east-2',
      recipientAccountId: '444455556666',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'InvalidIdentityToken',
      errorMessage: 'Incorrect token audience',
      sourceIpAddress: '192.0.2.101',
      userAgent:
        'aws-sdk-java/2.26.20 Linux/5.15.0 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS Java/21.0.3 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/legacy',
      caller: {
        type: 'WebIdentityUser',
        principalId: `accounts.google.com:${aud}:104857349573459873451`,
        userName: '104857349573459873451',
        identityProvider: 'accounts.google.com',
        webIdentity: { provider: 'accounts.google.com', aud, sub: '104857349573459873451' },
      },
      role: roleFromRequest('444455556666', '/', 'FederatedWebIdentityRole'),
      request: {
        parametersLogged: true,
        roleSessionName: 'web-user-104857',
        durationSeconds: 3600,
        hasInlineSessionPolicy: false,
      },
    });
  });

  it('22: Login with Amazon (OAuth 2.0) — IDPRejectedClaim, providerId and policyArns kept', () => {
    const aud = 'amzn1.application-oa2-client.5d2f0a8e9b7c4d1e';
    const sub = 'amzn1.account.AF2KXAMPLEQWERTY';
    expect(normalizeOne('22-webidentity-login-with-amazon-idprejectedclaim.json')).toStrictEqual({
      eventId: '89b7d4d2-77fc-4147-99c1-9ca7e2447fdf',
      eventTime: '2025-06-14T10:10:10Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '444455556666',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'IDPRejectedClaim',
      errorMessage: 'www.amazon.com: www.amazon.com responded with HTTP/1.1 400 Bad Request',
      sourceIpAddress: '192.0.2.150',
      userAgent: 'aws-sdk-js/2.1650.0 promise',
      caller: {
        type: 'WebIdentityUser',
        principalId: `www.amazon.com:${aud}:${sub}`,
        userName: sub,
        identityProvider: 'www.amazon.com',
        webIdentity: { provider: 'www.amazon.com', aud, sub },
      },
      role: roleFromRequest('444455556666', '/', 'LoginWithAmazonRole'),
      request: {
        parametersLogged: true,
        roleSessionName: 'app1',
        durationSeconds: 3600,
        policyArns: ['arn:aws:iam::444455556666:policy/AppUserScope'],
        hasInlineSessionPolicy: false,
        providerId: 'www.amazon.com',
      },
    });
  });

  it('23: EKS IRSA — ExpiredTokenException', () => {
    const sub = 'system:serviceaccount:batch:nightly-export';
    expect(normalizeOne('23-webidentity-eks-expiredtoken.json')).toStrictEqual({
      eventId: '68b1eddc-5820-4cd6-9465-167a0255114c',
      eventTime: '2025-06-15T01:00:07Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'ExpiredTokenException',
      errorMessage: 'Token expired: current date/time 1749949207 must be before the expiration date/time 1749945600',
      sourceIpAddress: '34.245.10.78',
      userAgent:
        'aws-sdk-java/2.26.20 ua/2.0 os/Linux#5.10.219 lang/java#17.0.11 md/OpenJDK_64-Bit_Server_VM#17.0.11+9-LTS',
      caller: {
        type: 'WebIdentityUser',
        principalId: `${EKS_PROVIDER}:sts.amazonaws.com:${sub}`,
        userName: sub,
        identityProvider: EKS_PROVIDER,
        webIdentity: { provider: EKS_PROVIDER, aud: 'sts.amazonaws.com', sub },
      },
      role: roleFromRequest('222222222222', '/eks/', 'nightly-export'),
      request: { parametersLogged: true, roleSessionName: 'aws-sdk-java-1749949207000', hasInlineSessionPolicy: false },
    });
  });

  it('24: self-hosted GitLab — IDPCommunicationError; aud is a URL and sub has five colons', () => {
    const provider = 'arn:aws:iam::222222222222:oidc-provider/gitlab.example.com';
    const sub = 'project_path:platform/terraform:ref_type:branch:ref:main';
    expect(normalizeOne('24-webidentity-gitlab-idpcommunicationerror.json')).toStrictEqual({
      eventId: '2fc5c5e5-76b8-4ad6-b530-8344b7a26bc1',
      eventTime: '2025-06-15T12:12:12Z',
      awsRegion: 'eu-central-1',
      recipientAccountId: '222222222222',
      api: 'AssumeRoleWithWebIdentity',
      errorCode: 'IDPCommunicationError',
      errorMessage:
        "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
      sourceIpAddress: '203.0.113.77',
      userAgent:
        'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#5.15.0 md/arch#x86_64 lang/python#3.11.9 md/command#sts.assume-role-with-web-identity',
      caller: {
        type: 'WebIdentityUser',
        principalId: `${provider}:https://gitlab.example.com:${sub}`,
        userName: sub,
        identityProvider: provider,
        webIdentity: { provider, aud: 'https://gitlab.example.com', sub },
      },
      role: roleFromRequest('222222222222', '/', 'GitLabTerraform'),
      request: {
        parametersLogged: true,
        roleSessionName: 'gitlab-ci-4821',
        durationSeconds: 3600,
        hasInlineSessionPolicy: false,
      },
    });
  });
});

describe('AssumeRoleWithSAML fixtures', () => {
  it('25: Okta — AccessDenied; IdP ARN in principalArn, assertion tags as request tags', () => {
    const qualifier = 'Z3x8PqR1tLm0vB6nYc4KdWs9uEo=';
    expect(normalizeOne('25-saml-okta-accessdenied.json')).toStrictEqual({
      eventId: 'ae183fd6-4154-4c5f-8bb1-17981e5787cc',
      eventTime: '2025-06-16T08:00:31Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '666666666666',
      api: 'AssumeRoleWithSAML',
      errorCode: 'AccessDenied',
      errorMessage: 'Not authorized to perform sts:AssumeRoleWithSAML',
      sourceIpAddress: '198.51.100.61',
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      caller: {
        type: 'SAMLUser',
        principalId: `${qualifier}:ivan@example.com`,
        userName: 'ivan@example.com',
        identityProvider: qualifier,
        saml: { provider: qualifier, userName: 'ivan@example.com', principalId: `${qualifier}:ivan@example.com` },
      },
      role: roleFromRequest('666666666666', '/okta/', 'FinanceReadOnly'),
      request: {
        parametersLogged: true,
        roleSessionName: 'ivan@example.com',
        durationSeconds: 3600,
        tags: { Department: 'Finance' },
        transitiveTagKeys: ['Department'],
        hasInlineSessionPolicy: false,
        principalArn: 'arn:aws:iam::666666666666:saml-provider/Okta',
      },
    });
  });

  it('26: ADFS — InvalidIdentityToken; a backslash in the SAML subject survives', () => {
    const qualifier = 'q9Wm2Xc7Lr5Tn8Bv1Hy4Jd6Ks0=';
    expect(normalizeOne('26-saml-adfs-invalididentitytoken.json')).toStrictEqual({
      eventId: '196f1f0f-1dac-4153-bfe2-8de7f0716983',
      eventTime: '2025-06-16T09:15:00Z',
      awsRegion: 'eu-west-1',
      recipientAccountId: '666666666666',
      api: 'AssumeRoleWithSAML',
      errorCode: 'InvalidIdentityToken',
      errorMessage: 'Response signature invalid',
      sourceIpAddress: '198.51.100.62',
      userAgent: 'aws-cli/2.17.20 md/command#sts.assume-role-with-saml',
      caller: {
        type: 'SAMLUser',
        principalId: `${qualifier}:CORP\\judy`,
        userName: 'CORP\\judy',
        identityProvider: qualifier,
        saml: { provider: qualifier, userName: 'CORP\\judy', principalId: `${qualifier}:CORP\\judy` },
      },
      role: roleFromRequest('666666666666', '/', 'ADFS-Production'),
      request: {
        parametersLogged: true,
        roleSessionName: 'judy',
        durationSeconds: 3600,
        hasInlineSessionPolicy: false,
        principalArn: 'arn:aws:iam::666666666666:saml-provider/ADFS',
      },
    });
  });

  it('27: IAM Identity Center — ExpiredTokenException; reserved SSO role path parsed', () => {
    const qualifier = '/aB3cD4eF5gH6iJ7kL8mN9oP0q=';
    expect(normalizeOne('27-saml-identity-center-expiredtoken.json')).toStrictEqual({
      eventId: '0f6e9118-b6f0-40ef-a6cd-4eee034c4bd9',
      eventTime: '2025-06-16T22:41:09Z',
      awsRegion: 'ap-southeast-2',
      recipientAccountId: '777777777777',
      api: 'AssumeRoleWithSAML',
      errorCode: 'ExpiredTokenException',
      errorMessage: 'Token must be redeemed within 5 minutes of issuance',
      sourceIpAddress: '13.239.101.254',
      userAgent: 'aws-sdk-java/2.26.20 md/io#sync md/http#Apache ua/2.1 api/STS#2.26.x os/Linux lang/java#17.0.11',
      caller: {
        type: 'SAMLUser',
        principalId: `${qualifier}:kim@example.com`,
        userName: 'kim@example.com',
        identityProvider: qualifier,
        saml: { provider: qualifier, userName: 'kim@example.com', principalId: `${qualifier}:kim@example.com` },
      },
      role: roleFromRequest(
        '777777777777',
        '/aws-reserved/sso.amazonaws.com/ap-southeast-2/',
        'AWSReservedSSO_ReadOnly_1a2b3c4d5e6f7a8b',
      ),
      request: {
        parametersLogged: true,
        roleSessionName: 'kim@example.com',
        durationSeconds: 43200,
        hasInlineSessionPolicy: false,
        principalArn: 'arn:aws:iam::777777777777:saml-provider/AWSSSO_0a1b2c3d4e5f6a7b_DO_NOT_DELETE',
      },
    });
  });
});
