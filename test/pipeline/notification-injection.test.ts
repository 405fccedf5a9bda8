import { aliceAssumesDeployProd, githubPullRequestAssumes } from './support/denied-events';
import { lambdaContext, type PipelineHarness, usePipelineHarness } from './support/pipeline-harness';

/** What an attacker who can make a call fail would put in every field they control. */
const HOSTILE = [
  '<!channel> <!here|here> <!everyone> <@U024BE7LH> <#C0123ABC|general> @here @channel',
  '[reset your MFA](https://evil.example/login) ![x](http://evil.example/p.png) <https://evil.example|click me>',
  '`code` ```block``` <script>alert(1)</script> &lt;!channel&gt;',
  '\u0007\u001b[2J\u0085\u202Egnp.exe\u2066\u200B\u200D\uFEFF\u{E0041}\n\r\u2028 end',
].join(' ');

const currentHarness = usePipelineHarness();
let h: PipelineHarness;
beforeEach(() => {
  h = currentHarness();
});

const INVISIBLE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]|[\u{E0000}-\u{E007F}]/u;

/** Every string in a chat notification, wherever it sits. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function expectInert(text: string, where: string): void {
  for (const active of [
    '<!',
    '<@',
    '<#',
    '<http',
    '<script',
    '](',
    'https://evil',
    'http://evil',
    '@here',
    '@channel',
    '`code`',
    '```block',
    '&lt;',
  ]) {
    if (text.includes(active))
      throw new Error(
        `${where} contains the active sequence ${JSON.stringify(active)}: ${text.slice(Math.max(0, text.indexOf(active) - 60), text.indexOf(active) + 60)}`,
      );
  }
  expect(text).not.toMatch(INVISIBLE);
}

test('a hostile session name, OIDC sub and user agent come out inert in the email, chat and default bodies', async () => {
  const event = githubPullRequestAssumes({
    eventId: 'hostile-1',
    sub: `repo:acme/app:${HOSTILE}`,
    roleSessionName: HOSTILE,
    userAgent: HOSTILE,
    errorMessage: HOSTILE,
  });
  await h.runtime().handle(event, lambdaContext('req-hostile'));
  expect(h.sns.published).toHaveLength(1);
  const publish = h.sns.published[0];
  const message = JSON.parse(publish.Message!);

  // The hostile values did reach the message (neutralized), so the check is not vacuous.
  expect(message.email).toContain('‹!channel›'); // inside a code span, where `!` is inert
  expect(message.email).toContain('［reset your MFA］(hxxps[:]//evil[.]example/login)');
  expect(message.email).toContain('＠here');

  expectInert(message.email.replace(/\n/g, ' '), 'email');
  expectInert(message.default.replace(/\n/g, ' '), 'default');
  const chat = JSON.parse(message.https);
  expect(chat).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
  for (const s of strings(chat)) expectInert(s.replace(/\n/g, ' '), 'chat');
  expect(chat.content.title.length).toBeLessThanOrEqual(150);
  expect(chat.content.description.length).toBeLessThanOrEqual(3000);

  expect(publish.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  expect(publish.MessageAttributes?.roleAccountId?.StringValue).toMatch(/^\d{12}$/);
});

test('a hostile role ARN (the caller chooses it) is inert too, and cannot forge the roleAccountId attribute', async () => {
  const event = aliceAssumesDeployProd(
    { eventId: 'hostile-2', roleSessionName: HOSTILE },
    `deploy-<!channel>-[x](https://evil.example)`,
  );
  (event.detail as Record<string, any>).requestParameters.roleArn = `arn:aws:iam::<!here>:role/${HOSTILE}`;
  await h.runtime().handle(event, lambdaContext('req-hostile-2'));
  expect(h.sns.published).toHaveLength(1);
  const publish = h.sns.published[0];
  const message = JSON.parse(publish.Message!);
  expectInert(message.email.replace(/\n/g, ' '), 'email');
  for (const s of strings(JSON.parse(message.https))) expectInert(s.replace(/\n/g, ' '), 'chat');
  expect(publish.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  expect(publish.MessageAttributes?.roleAccountId?.StringValue).toMatch(/^(\d{12}|unknown)$/);
});
