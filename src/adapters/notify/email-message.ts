import type { MessageView } from './message-view';
import { capLength, sanitizeSubject } from './sanitize';

/** An email body stays far below SNS's 256 KB message limit, which the chat and default bodies share. */
export const EMAIL_BODY_MAX_CHARS = 100_000;

/** Subject: ASCII, one line, under 100 characters (SNS rejects anything else). */
export function emailSubject(view: MessageView): string {
  const prefix = view.kind === 'reminder' ? 'trustgap reminder' : 'trustgap';
  return sanitizeSubject(`${prefix} ${view.cause}: ${view.callerName} -> ${view.roleName}`);
}

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : ['', title, ...lines.map((l) => `  ${l}`)];
}

/**
 * Plain text a person can act on without opening a console: what happened, why (with the evidence), the fix with
 * every command in full, and how to find the history. Every value comes from the sanitized MessageView.
 */
export function emailBody(view: MessageView): string {
  const occurrence =
    view.kind === 'reminder' && view.moreSince
      ? `Reminder: ${view.moreSince.count} more since ${view.moreSince.since} (${view.count} in total since ${view.firstSeen}).`
      : view.count > 1
        ? `Seen ${view.count} times since ${view.firstSeen}.`
        : 'First occurrence of this problem.';

  const lines: string[] = [
    `trustgap: a role assumption was denied — ${view.cause} (severity ${view.severity}, confidence ${view.confidence})`,
    occurrence,
    ...section('WHAT HAPPENED', [
      `${view.callerName} (${view.callerType} ${view.callerArn})`,
      `called ${view.api} on ${view.roleArn}`,
      `at ${view.eventTime} and was denied with ${view.errorCode}.`,
      ...(view.errorMessage ? [`AWS said: ${view.errorMessage}`] : []),
      ...view.requestLines,
    ]),
    ...section('WHY', [view.summary]),
    ...section(
      'EVIDENCE',
      view.evidence
        .flatMap((e) => [`- ${e.where}`, ...(e.detail ? [`    ${e.detail}`] : [])])
        .concat(view.moreEvidence > 0 ? [`… and ${view.moreEvidence} more (trustgap findings --json)`] : []),
    ),
    ...section(
      'OTHER GAPS (fix these too, or the call stays denied)',
      view.otherGaps.map((g) => `- ${g}`),
    ),
    ...section(
      'UNKNOWNS (what could not be checked)',
      view.unknowns.map((u) => `- ${u}`),
    ),
    ...section(
      'WARNINGS',
      view.warnings.map((w) => `- ${w}`),
    ),
    ...section(
      `RECOMMENDED FIX (${view.fixKind === 'caller' ? 'change the call, not IAM; ' : ''}${view.fixVerified ? 'verified: re-evaluating with it applied allows the call' : 'not verified: review before applying'})`,
      [view.fixSummary],
    ),
    ...(view.commands.length
      ? ['', 'COMMANDS', ...view.commands.flatMap((c) => ['', ...c.split('\n').map((l) => `  ${l}`)])]
      : []),
    ...(view.policyDocument
      ? ['', 'CORRECTED POLICY DOCUMENT (complete)', ...view.policyDocument.split('\n').map((l) => `  ${l}`)]
      : []),
    ...section(
      'ALTERNATIVES (not recommended; full documents in trustgap findings --json)',
      view.alternatives.map((a) => `- ${a}`),
    ),
    '',
    '--',
    `Event ID: ${view.eventId}`,
    `Fingerprint: ${view.fingerprint} (one message per fingerprint; reminders after the quiet window)`,
    `History: npx trustgap findings --role ${view.roleArn}`,
  ];
  return capLength(lines.join('\n'), EMAIL_BODY_MAX_CHARS);
}
