import type { MessageView } from './message-view';
import { capLength, codeSpan } from './sanitize';

/**
 * AWS Chatbot (Amazon Q Developer in chat applications) custom notification, the body of the `https` key:
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 * Required: version "1.0", source "custom", content.description. threadId groups every message of one
 * fingerprint in one chat thread (when the channel allows threading).
 */
export interface ChatbotCustomNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    threadId: string;
    summary?: string;
    eventType?: string;
    relatedResources?: string[];
    additionalContext?: Record<string, string>;
  };
}

/** Slack caps a section's text at 3,000 characters; the chat message is a pointer, the email carries everything. */
export const CHAT_DESCRIPTION_MAX_CHARS = 3000;
const CHAT_TITLE_MAX_CHARS = 150;
const NEXT_STEP_MAX_CHARS = 400;

const SEVERITY_ICON = { high: ':rotating_light:', medium: ':warning:', low: ':information_source:' } as const;

/** Values are already inert (sanitized); codeSpan also guarantees that nothing inside can close the span. */
const code = codeSpan;

const RUN_IN_PREFIX = '# run with credentials of ';

/**
 * "Run in account 222222222222 (the role owner's account): `aws iam …`". The view puts the account line above the
 * command (message-view.ts); on one chat line it goes in front, outside the code span, so that a pasted command is
 * never a shell comment.
 */
function runStep(command: string): string {
  const newline = command.indexOf('\n');
  if (!command.startsWith(RUN_IN_PREFIX) || newline < 0) return `Run: ${code(command.replace(/\n/g, ' '))}`;
  const where = command.slice(RUN_IN_PREFIX.length, newline);
  return `Run with credentials of ${where}: ${code(command.slice(newline + 1).replace(/\n/g, ' '))}`;
}

export function chatNotification(view: MessageView): ChatbotCustomNotification {
  const reminder = view.kind === 'reminder' && view.moreSince;
  const title = `${SEVERITY_ICON[view.severity]} ${reminder ? 'Still denied' : 'Denied'}: ${view.cause} · ${view.callerName} → ${view.roleName}`;
  const description = [
    reminder
      ? `*${view.moreSince?.count} more since ${view.moreSince?.since}* (${view.count} in total since ${view.firstSeen}).`
      : view.count > 1
        ? `Seen ${view.count} times since ${view.firstSeen}.`
        : '',
    `*What happened:* ${code(view.callerArn)} (${view.callerType}) called ${code(view.api)} on ${code(view.roleArn)} at ${view.eventTime} → ${code(view.errorCode)}.`,
    `*Why:* ${view.summary}`,
    ...view.evidence.slice(0, 3).map((e) => `• ${e.where}${e.detail ? ` — ${e.detail}` : ''}`),
    view.otherGaps.length ? `*Also blocking:* ${view.otherGaps.join('; ')}` : '',
    view.unknowns.length ? `*Could not check:* ${view.unknowns.join('; ')}` : '',
    `*Recommended fix* (${view.fixVerified ? 'verified' : 'not verified'}): ${view.fixSummary}`,
    view.alternatives.length ? `*Alternative (not recommended):* ${view.alternatives[0]}` : '',
    view.commands.length
      ? 'Full commands and the corrected policy are in the email and in `trustgap findings --json`.'
      : '',
  ]
    .filter((line) => line !== '')
    .join('\n');

  const nextSteps = [
    ...view.commands.slice(0, 3).map((c) => capLength(runStep(c), NEXT_STEP_MAX_CHARS)),
    `History: ${code(`npx trustgap findings --role ${view.roleArn}`)}`,
  ];

  return {
    version: '1.0',
    source: 'custom',
    id: view.eventId,
    content: {
      textType: 'client-markdown',
      title: capLength(title, CHAT_TITLE_MAX_CHARS),
      description: capLength(description, CHAT_DESCRIPTION_MAX_CHARS),
      nextSteps,
      keywords: [view.cause, view.severity, view.roleAccountId, view.api],
    },
    metadata: {
      threadId: view.fingerprint,
      summary: capLength(`${view.cause}: ${view.callerName} → ${view.roleName}`, 200),
      eventType: 'TrustGapDeniedRoleAssumption',
      relatedResources: [view.roleArn, view.callerArn],
      additionalContext: {
        eventId: view.eventId,
        fingerprint: view.fingerprint,
        cause: view.cause,
        severity: view.severity,
        confidence: view.confidence,
        occurrences: String(view.count),
        eventTime: view.eventTime,
      },
    },
  };
}

/** The `default` key: a few plain lines for any other subscription protocol (SQS, Lambda, SMS). */
export function defaultMessage(view: MessageView): string {
  const reminder =
    view.kind === 'reminder' && view.moreSince ? ` (${view.moreSince.count} more since ${view.moreSince.since})` : '';
  return capLength(
    [
      `trustgap ${view.cause}${reminder}: ${view.callerArn} was denied ${view.api} on ${view.roleArn} at ${view.eventTime}.`,
      `Why: ${view.summary}`,
      `Recommended fix: ${view.fixSummary}`,
      `Event ${view.eventId}, fingerprint ${view.fingerprint}, ${view.count} occurrence(s).`,
    ].join('\n'),
    4000,
  );
}
