/** A denied event and finding whose every caller-controlled field holds one payload, and its rendered bodies. */
import type { NotificationContext } from '../../../src/adapters/notify';
import { buildMessageView, chatNotification, defaultMessage, emailBody } from '../../../src/adapters/notify';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import { githubPullRequestAssumes } from '../../pipeline/support/denied-events';

export function hostileContext(value: string, eventId = 'evt-payload'): NotificationContext {
  const event = normalizeInput(
    githubPullRequestAssumes({ eventId, sub: value, roleSessionName: value, userAgent: value, errorMessage: value }),
  ).events[0];
  const finding: Finding = {
    eventId,
    eventTime: '2026-05-01T12:00:00Z',
    api: 'AssumeRoleWithWebIdentity',
    errorCode: 'AccessDenied',
    caller: { type: 'WebIdentityUser', arn: `arn:aws:iam::111111111111:user/${value}`, accountId: null },
    role: { arn: `arn:aws:iam::111111111111:role/${value}`, accountId: '111111111111' },
    cause: 'TRUST_CONDITION_FAILED',
    policy: 'trust',
    summary: `The trust policy statement S names the caller, but its condition failed: the request had ${JSON.stringify(value)}.`,
    evidence: [{ policy: 'trust', source: 'trust policy', statement: 'S', operator: 'StringLike', actual: value }],
    otherGaps: [{ cause: 'IDENTITY_NO_ALLOW', policy: 'identity', summary: value }],
    warnings: [],
    fix: {
      kind: 'policy',
      admits: [value],
      summary: `Add ${JSON.stringify(value)} to the condition.`,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Condition: { StringLike: { 'x:sub': value } } }],
      },
      commands: [`aws sts assume-role --role-session-name '${value}'`],
      verified: false,
    },
    alternatives: [],
    confidence: 'high',
    unknowns: [{ key: value, reason: value }],
  };
  return {
    kind: 'new',
    finding,
    event,
    fingerprint: '0123456789abcdef0123456789abcdef',
    count: 1,
    firstSeen: '2026-05-01T12:00:00Z',
  };
}

export function renderedBodies(ctx: NotificationContext): Record<string, string> {
  const view = buildMessageView(ctx);
  const chat = chatNotification(view);
  return {
    email: emailBody(view),
    chatTitle: chat.content.title,
    chatDescription: chat.content.description,
    chatNextSteps: (chat.content.nextSteps ?? []).join('\n'),
    default: defaultMessage(view),
  };
}
