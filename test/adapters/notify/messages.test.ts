import { SNSClient } from '@aws-sdk/client-sns';
import type { NotificationContext } from '../../../src/adapters/notify';
import {
  buildMessageView,
  buildPublishInput,
  chatNotification,
  emailBody,
  emailSubject,
  SNS_MESSAGE_MAX_BYTES,
  SnsNotifier,
} from '../../../src/adapters/notify';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import { githubPullRequestAssumes } from '../../pipeline/support/denied-events';
import { credentialsFor, startAwsEmulator } from '../../support/aws-emulator';

const event = normalizeInput(githubPullRequestAssumes({ eventId: 'evt-42' })).events[0];

const finding: Finding = {
  eventId: 'evt-42',
  eventTime: '2026-05-01T12:00:00Z',
  api: 'AssumeRoleWithWebIdentity',
  errorCode: 'AccessDenied',
  caller: { type: 'WebIdentityUser', arn: null, accountId: null },
  role: { arn: 'arn:aws:iam::111111111111:role/gh-deploy', accountId: '111111111111' },
  cause: 'TRUST_CONDITION_FAILED',
  policy: 'trust',
  summary: 'The trust policy statement GitHubMainOnly names the caller, but its condition failed.',
  evidence: [
    {
      policy: 'trust',
      source: 'trust policy of arn:aws:iam::111111111111:role/gh-deploy',
      statement: 'GitHubMainOnly',
      conditionKey: 'token.actions.githubusercontent.com:sub',
      operator: 'StringLike',
      expected: ['repo:acme/app:ref:refs/heads/main'],
      actual: 'repo:acme/app:pull_request',
    },
  ],
  otherGaps: [],
  warnings: [],
  fix: {
    kind: 'policy',
    admits: ['token.actions.githubusercontent.com:sub=repo:acme/app:pull_request'],
    summary: 'Allow pull requests of acme/app in the trust policy condition.',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity' }],
    },
    commands: [`aws iam update-assume-role-policy --role-name gh-deploy --policy-document '{"Version":"2012-10-17"}'`],
    verified: true,
  },
  alternatives: [],
  confidence: 'high',
  unknowns: [{ key: 'RCPs for role account 111111111111', reason: 'not visible from a member account' }],
};

const context: NotificationContext = {
  finding,
  event,
  fingerprint: '0123456789abcdef0123456789abcdef',
  kind: 'new',
  count: 1,
  firstSeen: '2026-05-01T12:00:00Z',
};

test('the chat body follows the AWS Chatbot custom notification schema, threaded by fingerprint', () => {
  const chat = chatNotification(buildMessageView(context));
  expect(Object.keys(chat).sort()).toEqual(['content', 'id', 'metadata', 'source', 'version']);
  expect(chat.version).toBe('1.0');
  expect(chat.source).toBe('custom');
  expect(chat.content.textType).toBe('client-markdown');
  // Prose neutralizes chat emphasis characters (`_` → `ˍ`); inside code spans values are shown as sent.
  expect(chat.content.title).toBe(':warning: Denied: TRUST_CONDITION_FAILED · repo:acme/app:pullˍrequest → gh-deploy');
  expect(chat.content.description).toContain('*Why:* The trust policy statement GitHubMainOnly');
  expect(chat.content.description).toContain('key token[.]actions[.]githubusercontent[.]com:sub');
  expect(chat.content.nextSteps?.[0]).toMatch(/^Run: `aws iam update-assume-role-policy --role-name gh-deploy/);
  expect(chat.content.keywords).toEqual([
    'TRUST_CONDITION_FAILED',
    'medium',
    '111111111111',
    'sts:AssumeRoleWithWebIdentity',
  ]);
  expect(chat.metadata.threadId).toBe(context.fingerprint);
  expect(chat.metadata.relatedResources).toContain('arn:aws:iam::111111111111:role/gh-deploy');
  expect(Object.values(chat.metadata.additionalContext ?? {}).every((v) => typeof v === 'string')).toBe(true);
});

test('the email says what happened, why, the evidence, the verified fix and the full commands', () => {
  const view = buildMessageView(context);
  const body = emailBody(view);
  for (const section of [
    'WHAT HAPPENED',
    'WHY',
    'EVIDENCE',
    'UNKNOWNS',
    'FIX (verified',
    'COMMANDS',
    'CORRECTED POLICY DOCUMENT',
  ])
    expect(body).toContain(section);
  expect(body).toContain(
    `aws iam update-assume-role-policy --role-name gh-deploy --policy-document '{"Version":"2012-10-17"}'`,
  );
  expect(body).toContain('Token sub: `repo:acme/app:pull_request`');
  expect(body).toContain('First occurrence of this problem.');
  expect(emailSubject(view)).toBe('trustgap TRUST_CONDITION_FAILED: repo:acme/app:pull_request -> gh-deploy');
});

test('a cross-account fix names the account of each command: on its own line in the email, before the code in chat', () => {
  const crossAccount: NotificationContext = {
    ...context,
    finding: { ...finding, fix: { ...finding.fix, commandAccounts: [{ accountId: '111111111111', owner: 'role' }] } },
  };
  const view = buildMessageView(crossAccount);
  expect(emailBody(view)).toContain(
    "  # run with credentials of account 111111111111 (the role owner's account)\n  aws iam update-assume-role-policy",
  );
  // Inside one code span the account line would comment the whole pasted command out.
  const step = chatNotification(view).content.nextSteps?.[0] ?? '';
  expect(step).toMatch(
    /^Run with credentials of account 111111111111 \(the role owner's account\): `aws iam update-assume-role-policy --role-name gh-deploy/,
  );
  expect(step).not.toContain('`#');
});

test('one publish: MessageStructure json with default/email/https and routable attributes, under the SNS size limit', async () => {
  const emulator = await startAwsEmulator({
    principals: {
      AKIANOTIFIER00000001: { accountId: '111111111111', arn: 'arn:aws:iam::111111111111:role/fn', userId: 'AROAF' },
    },
  });
  const hugeFinding = {
    ...finding,
    fix: { ...finding.fix, commands: Array.from({ length: 8 }, () => 'x'.repeat(40_000)) },
    summary: '漢'.repeat(50_000),
  };
  const notifier = new SnsNotifier(
    new SNSClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: credentialsFor('AKIANOTIFIER00000001'),
    }),
    'arn:aws:sns:us-east-1:111111111111:t',
  );
  try {
    await expect(notifier.publish({ ...context, finding: hugeFinding })).resolves.toEqual({
      messageId: emulator.published[0]?.messageId ?? 'emulated-message-1',
    });
    const [sent] = emulator.published;
    expect(sent.messageStructure).toBe('json');
    expect(Buffer.byteLength(sent.message)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(Object.keys(JSON.parse(sent.message))).toEqual(['default', 'email', 'https']);
    expect(sent.attributes.cause).toEqual({ DataType: 'String', StringValue: 'TRUST_CONDITION_FAILED' });
  } finally {
    await emulator.close();
  }
});

test('a reminder names how many more occurred since the previous message', () => {
  const input = buildPublishInput(
    buildMessageView({
      ...context,
      kind: 'reminder',
      count: 240,
      moreSince: { count: 212, since: '2026-05-01T11:00:00.000Z' },
    }),
    'arn:aws:sns:us-east-1:111111111111:t',
  );
  const message = JSON.parse(input.Message!);
  expect(message.email).toContain(
    'Reminder: 212 more since 2026-05-01T11:00:00.000Z (240 in total since 2026-05-01T12:00:00Z).',
  );
  expect(message.default).toContain('(212 more since 2026-05-01T11:00:00.000Z)');
  expect(JSON.parse(message.https).content.title).toMatch(/^:warning: Still denied: /);
  expect(input.Subject).toMatch(/^trustgap reminder /);
});
