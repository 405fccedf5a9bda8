/**
 * Where the target role is found, and every errorMessage wording seen for denied role assumptions.
 * Wordings come from AWS documentation and real error output quoted in public issues and troubleshooting notes
 * (see test/fixtures/events/README.md, "Error message wordings").
 */
import { locateRole, roleFromErrorMessage } from '../../../src/engine/event/role-locator';

describe('roleFromErrorMessage', () => {
  const role = 'arn:aws:iam::222222222222:role/X';

  it.each([
    [
      'plain (trust policy / cross-account)',
      `User: arn:aws:iam::111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role}`,
    ],
    [
      'implicit deny, identity-based',
      `User: arn:aws:iam::111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role} because no identity-based policy allows the sts:AssumeRole action`,
    ],
    [
      'implicit deny, permissions boundary',
      `User: arn:aws:iam::111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role} because no permissions boundary allows the sts:AssumeRole action`,
    ],
    [
      'explicit deny in an SCP, without the policy ARN',
      `User: arn:aws:sts::111:assumed-role/Dev/s is not authorized to perform: sts:AssumeRole on resource: ${role} with an explicit deny in a service control policy`,
    ],
    [
      'explicit deny in an SCP, with the policy ARN',
      `User: arn:aws:sts::111:assumed-role/Dev/s is not authorized to perform: sts:AssumeRole on resource: ${role} with an explicit deny in a service control policy: arn:aws:organizations::333:policy/o-1/service_control_policy/p-1`,
    ],
    [
      'explicit deny in an identity-based policy naming another role-like ARN',
      `User: arn:aws:sts::111:assumed-role/Dev/s is not authorized to perform: sts:AssumeRole on resource: ${role} with an explicit deny in an identity-based policy: arn:aws:iam::111:policy/role/DenyAll`,
    ],
    [
      'explicit deny in a resource control policy',
      `User: arn:aws:sts::111:assumed-role/Dev/s is not authorized to perform: sts:AssumeRole on resource: ${role} with an explicit deny in a resource control policy`,
    ],
    [
      'quoted resource',
      `User: arn:aws:iam::111:user/alice is not authorized to perform: sts:AssumeRole on resource: "${role}"`,
    ],
    [
      'sentence ending right after the ARN',
      `User: arn:aws:iam::111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role}.`,
    ],
    ['SAML wording with a resource', `Not authorized to perform sts:AssumeRoleWithSAML on resource: ${role}`],
    ['role ARN elsewhere in an unknown wording', `Error assuming role ${role}, access denied`],
    [
      'China partition',
      'User: arn:aws-cn:sts::111:assumed-role/OrganizationAccountAccessRole/x is not authorized to perform: sts:AssumeRole on resource: arn:aws-cn:iam::222222222222:role/X',
    ],
  ])('%s', (_label, message) => {
    const found = roleFromErrorMessage(message);
    expect(found).toBe(message.includes('arn:aws-cn:iam') ? 'arn:aws-cn:iam::222222222222:role/X' : role);
  });

  it('reads the value a ValidationError quotes for roleArn, even when it is not an ARN', () => {
    expect(
      roleFromErrorMessage(
        "1 validation error detected: Value 'my role' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+",
      ),
    ).toBe('my role');
  });

  it.each([
    'An unknown error occurred',
    'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    'Not authorized to perform sts:AssumeRoleWithSAML',
    'Roles may not be assumed by root accounts.',
    'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    'User: arn:aws:sts::333:assumed-role/OrgAdmin/erin is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::444444444444:root',
    'User: arn:aws:sts::111:assumed-role/Dev/s is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222:user/not-a-role',
  ])('names no role in: %s', (message) => {
    expect(roleFromErrorMessage(message)).toBeUndefined();
  });
});

describe('locateRole precedence', () => {
  const message = 'User: u is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::3:role/FromMessage';
  const resources = [
    { accountId: '2', type: 'AWS::IAM::SAMLProvider', ARN: 'arn:aws:iam::2:saml-provider/Okta' },
    { accountId: '2', type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::2:role/FromResources' },
  ];

  it('requestParameters.roleArn wins over resources and message', () => {
    const role = locateRole({
      requestParameters: { roleArn: 'arn:aws:iam::1:role/FromRequest' },
      resources,
      errorMessage: message,
    });
    expect(role).toStrictEqual({
      arn: 'arn:aws:iam::1:role/FromRequest',
      accountId: '1',
      name: 'FromRequest',
      path: '/',
      source: 'requestParameters',
    });
  });

  it('a logged request without roleArn (or with a non-string one) falls back to resources', () => {
    for (const requestParameters of [{ roleSessionName: 's' }, { roleArn: 42 }, { roleArn: '' }]) {
      expect(locateRole({ requestParameters, resources, errorMessage: message }).source).toBe('resources');
    }
  });

  it('resources[]: the AWS::IAM::Role entry, else an untyped entry whose ARN is a role, in either key case', () => {
    expect(locateRole({ resources, errorMessage: message }).arn).toBe('arn:aws:iam::2:role/FromResources');
    expect(locateRole({ resources: [{ arn: 'arn:aws:iam::2:role/Lower' }] })).toMatchObject({
      arn: 'arn:aws:iam::2:role/Lower',
      source: 'resources',
    });
    expect(
      locateRole({ resources: [{ ARN: 'arn:aws:iam::2:saml-provider/Okta' }], errorMessage: message }).source,
    ).toBe('errorMessage');
  });

  it('the message is the last resort; with nothing usable the source is none', () => {
    expect(locateRole({ requestParameters: null, resources: 'x', errorMessage: message })).toMatchObject({
      source: 'errorMessage',
      name: 'FromMessage',
    });
    expect(locateRole({ requestParameters: null, errorMessage: 'An unknown error occurred' })).toStrictEqual({
      source: 'none',
    });
    expect(locateRole({})).toStrictEqual({ source: 'none' });
  });

  it('parses deep paths, and leaves name/path out for values that are not role ARNs', () => {
    expect(locateRole({ requestParameters: { roleArn: 'arn:aws:iam::1:role/service-role/a/b/Name' } })).toStrictEqual({
      arn: 'arn:aws:iam::1:role/service-role/a/b/Name',
      accountId: '1',
      name: 'Name',
      path: '/service-role/a/b/',
      source: 'requestParameters',
    });
    expect(locateRole({ requestParameters: { roleArn: 'arn:aws:sts::1:assumed-role/R/s' } })).toStrictEqual({
      arn: 'arn:aws:sts::1:assumed-role/R/s',
      source: 'requestParameters',
    });
    expect(locateRole({ requestParameters: { roleArn: 'arn:aws:iam::1:role/' } })).toStrictEqual({
      arn: 'arn:aws:iam::1:role/',
      source: 'requestParameters',
    });
  });
});
