import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseStatedReason } from '../../../src/engine/event/aws-stated-reason';
import { parseErrorText } from '../../../src/engine/event/error-text';
import { callerFromArn, errorTextEvent, withSuppliedIdentities } from '../../../src/engine/event/supplied-identity';

interface WordingCase {
  source: string;
  text: string;
  expected: {
    api?: string;
    errorCode?: string;
    callerArn?: string;
    roleArn?: string;
    providerUrl?: string;
    statedKind?: string;
    statedLayer?: string;
  };
}

const WORDINGS = (
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/error-text/wordings.json'), 'utf8')) as {
    cases: WordingCase[];
  }
).cases;

describe('parseErrorText on the wordings of the AWS CLI and SDKs', () => {
  it.each(WORDINGS.map((c) => [c.source, c] as const))('%s', (_source, c) => {
    const facts = parseErrorText(c.text);
    const { statedKind, statedLayer, ...fields } = c.expected;
    for (const key of ['api', 'errorCode', 'callerArn', 'roleArn', 'providerUrl'] as const)
      expect({ key, value: facts[key] }).toEqual({ key, value: fields[key] });
    // The SDK's wrapping (exception names, "(Service: …)", XML tags, stack frames) is not part of AWS's sentence.
    expect(facts.message).not.toMatch(/\(Service:|<\/?Message>|\n|\bat de_/);
    const stated = parseStatedReason(facts.message);
    expect({ kind: stated?.kind, layer: stated?.layer }).toEqual({ kind: statedKind, layer: statedLayer });
  });

  it('keeps the SCP ARN of the 2025-2026 wording for the stated reason, and never takes it for the role', () => {
    const scp = WORDINGS.find((c) => c.expected.statedLayer === 'scp') as WordingCase;
    const facts = parseErrorText(scp.text);
    expect(facts.roleArn).toBe('arn:aws:iam::111122223333:role/data-analyst');
    expect(parseStatedReason(facts.message)?.policyArn).toBe(
      'arn:aws:organizations::210987654321:policy/o-7kq2mz4xwd/service_control_policy/p-rg7x2k4q',
    );
  });

  it('takes a hostile 64 KB paste (a word of 16 000 "arn:", 20 000 slashes) without finding a role in it', () => {
    // Every word is scanned once: a scan that restarted at each "arn:" would be quadratic on this input.
    const hostile = `User: ${'arn:'.repeat(16_000)} is not authorized to perform: sts:AssumeRole on resource: ${'/'.repeat(20_000)}`;
    const facts = parseErrorText(hostile);
    expect(facts.roleArn).toBeUndefined();
    expect((facts.callerArn ?? '').length).toBeLessThanOrEqual(2048);
    expect(facts.api).toBe('AssumeRole');
  });
});

describe('the call an error text describes', () => {
  const text = WORDINGS[0].text;

  it('is a normalized call with a derived id, no time and unknown (not absent) request parameters', () => {
    const event = errorTextEvent(parseErrorText(text));
    expect(event).toMatchObject({
      eventIdDerived: true,
      origin: 'error-text',
      eventTime: '',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      caller: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111' },
      role: { arn: 'arn:aws:iam::222222222222:role/deploy', accountId: '222222222222', name: 'deploy' },
      request: { parametersLogged: false },
    });
    expect(event.eventId).toMatch(/^derived-[0-9a-f]{32}$/);
    expect(errorTextEvent(parseErrorText(text)).eventId).toBe(event.eventId);
    expect(errorTextEvent(parseErrorText(WORDINGS[1].text)).eventId).not.toBe(event.eventId);
  });

  it('takes the role and caller from --role-arn and --caller where the text names none, and they override it', () => {
    const web = parseErrorText(WORDINGS.find((c) => c.expected.api === 'AssumeRoleWithWebIdentity')?.text ?? '');
    const provider = 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com';
    const event = errorTextEvent(web, { roleArn: 'arn:aws:iam::222222222222:role/ci/deploy', callerArn: provider });
    expect(event.role).toEqual({
      arn: 'arn:aws:iam::222222222222:role/ci/deploy',
      accountId: '222222222222',
      name: 'deploy',
      path: '/ci/',
      source: 'supplied',
    });
    expect(event.caller).toEqual({ type: 'WebIdentityUser', webIdentity: { provider }, identityProvider: provider });
    const overridden = withSuppliedIdentities(errorTextEvent(parseErrorText(text)), {
      roleArn: 'arn:aws:iam::222222222222:role/other',
    });
    expect(overridden.role.name).toBe('other');
    expect(overridden.caller.arn).toBe('arn:aws:iam::111111111111:user/alice');
  });

  it.each([
    ['arn:aws:iam::111111111111:user/ops/alice', { type: 'IAMUser', userName: 'alice' }],
    [
      'arn:aws:sts::111111111111:assumed-role/ci/run-42',
      { type: 'AssumedRole', issuerArn: 'arn:aws:iam::111111111111:role/ci', sessionName: 'run-42' },
    ],
    ['arn:aws:iam::111111111111:role/ci', { type: 'AssumedRole', issuerArn: 'arn:aws:iam::111111111111:role/ci' }],
    ['arn:aws:iam::111111111111:root', { type: 'Root', accountId: '111111111111' }],
    ['arn:aws:sts::111111111111:federated-user/bob', { type: 'FederatedUser', sessionName: 'bob' }],
    ['arn:aws:iam::111111111111:saml-provider/Okta', { type: 'SAMLUser' }],
  ])('--caller %s is a %j', (arn, expected) => {
    expect(callerFromArn(arn)).toMatchObject(expected);
  });

  it('--caller that is no principal ARN is refused', () => {
    for (const arn of ['alice', 'arn:aws:s3:::bucket', 'arn:aws:iam::111111111111:policy/p', 'arn:aws:iam::1:user/'])
      expect(callerFromArn(arn)).toBeUndefined();
  });
});
