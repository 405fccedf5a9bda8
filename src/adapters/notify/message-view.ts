import { runInComment } from '../../engine/diagnose/fix/command-accounts';
import type { NormalizedEvent } from '../../engine/event/types';
import type { Finding } from '../../engine/finding/types';
import { codeSpan, sanitizeCode, sanitizeCommand, sanitizeText, sanitizeValue } from './sanitize';
import { type Severity, severityOf } from './severity';

/** Why this message is sent: the first occurrence of a fingerprint, or a reminder after the quiet window. */
export interface NotificationContext {
  finding: Finding;
  event: NormalizedEvent;
  fingerprint: string;
  kind: 'new' | 'reminder';
  /** Occurrences of this fingerprint so far, this one included. */
  count: number;
  firstSeen: string;
  /** Reminders: occurrences since the previous notification, and when that was. */
  moreSince?: { count: number; since: string };
}

export interface EvidenceLine {
  where: string;
  detail: string;
}

/**
 * Everything a message shows, each caller-influenced string already made inert (sanitize.ts). The renderers
 * (email, chat, default) only combine these with trustgap's own fixed text, so no path bypasses sanitization.
 */
export interface MessageView {
  kind: 'new' | 'reminder';
  fingerprint: string;
  severity: Severity;
  cause: string;
  confidence: string;
  /** Short caller name for titles (user name, role name, `sub`, account id…). */
  callerName: string;
  callerArn: string;
  callerType: string;
  roleArn: string;
  roleName: string;
  /** Account id of the role, or "unknown" — exactly 12 digits when known (it is a message attribute). */
  roleAccountId: string;
  api: string;
  errorCode: string;
  errorMessage?: string;
  eventTime: string;
  eventId: string;
  requestLines: string[];
  summary: string;
  evidence: EvidenceLine[];
  /** Evidence entries not shown (the full list is in the stored finding). */
  moreEvidence: number;
  otherGaps: string[];
  warnings: string[];
  unknowns: string[];
  fixSummary: string;
  fixVerified: boolean;
  /** "caller": the recommended fix changes the request, not IAM. */
  fixKind: 'caller' | 'policy';
  /** The denied identity is outside what the trust admits (OUTSIDE_TRUST_SCOPE): no trust-widening text is shown. */
  outsideScope: boolean;
  /** Labelled summaries of the alternatives (never their commands); empty when the identity is outside scope. */
  alternatives: string[];
  commands: string[];
  policyDocument?: string;
  count: number;
  firstSeen: string;
  moreSince?: { count: number; since: string };
}

const MAX_LIST = 8;

function lastSegment(arn: string | null | undefined): string | undefined {
  if (!arn) return undefined;
  const tail = arn.split(/[/:]/).pop();
  return tail === '' ? undefined : tail;
}

function callerName(event: NormalizedEvent): string {
  const c = event.caller;
  switch (c.type) {
    case 'IAMUser':
      return c.userName ?? lastSegment(c.arn) ?? 'IAM user';
    case 'AssumedRole':
      return lastSegment(c.issuerArn) ?? c.arn ?? 'role session';
    case 'WebIdentityUser':
      return c.webIdentity?.sub ?? c.userName ?? 'web identity';
    case 'SAMLUser':
      return c.saml?.userName ?? c.userName ?? 'SAML user';
    case 'AWSAccount':
      return `account ${c.accountId ?? '?'}`;
    case 'AWSService':
      return c.invokedBy ?? 'AWS service';
    default:
      return lastSegment(c.arn) ?? c.accountId ?? c.type;
  }
}

/** A condition value for prose: strings quoted, lists as comma-separated values (no brackets to neutralize). */
function describeValue(value: unknown): string {
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : describeValue(v))).join(', ');
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'undefined');
}

function requestLines(event: NormalizedEvent): string[] {
  const lines: string[] = [];
  const add = (label: string, value: unknown, max = 200) => {
    if (value !== undefined && value !== null && value !== '')
      lines.push(`${label}: ${codeSpan(sanitizeValue(value, max))}`);
  };
  add('Session name', event.request.roleSessionName, 128);
  add('Source identity', event.request.sourceIdentity ?? event.caller.sourceIdentity, 128);
  if (event.caller.webIdentity) {
    add('Token issuer', event.caller.webIdentity.provider, 200);
    add('Token sub', event.caller.webIdentity.sub, 300);
    add('Token aud', event.caller.webIdentity.aud, 200);
  }
  if (event.request.tags) {
    const tags = Object.entries(event.request.tags).slice(0, MAX_LIST);
    if (tags.length) add('Session tags', tags.map(([k, v]) => `${k}=${v}`).join(', '), 400);
  }
  add('Source IP', event.sourceIpAddress, 64);
  add('User agent', event.userAgent, 200);
  add('Region', event.awsRegion, 32);
  if (event.caller.type === 'AssumedRole') add('Calling session', event.caller.arn, 300);
  return lines;
}

function capped<T>(list: T[], render: (t: T) => string): string[] {
  const shown = list.slice(0, MAX_LIST).map(render);
  if (list.length > MAX_LIST) shown.push(`… and ${list.length - MAX_LIST} more (see trustgap findings --json)`);
  return shown;
}

export function buildMessageView(ctx: NotificationContext): MessageView {
  const { finding, event } = ctx;
  const roleArn = finding.role.arn ?? event.role.arn ?? 'unknown role';
  const accountId = finding.role.accountId ?? event.role.accountId;
  return {
    kind: ctx.kind,
    fingerprint: sanitizeText(ctx.fingerprint, 64),
    severity: severityOf(finding.cause),
    cause: finding.cause,
    confidence: finding.confidence,
    callerName: sanitizeText(callerName(event), 80),
    callerArn: sanitizeValue(
      finding.caller.arn ?? event.caller.arn ?? event.caller.principalId ?? event.caller.type,
      300,
    ),
    callerType: sanitizeText(finding.caller.type, 32),
    roleArn: sanitizeValue(roleArn, 300),
    roleName: sanitizeText(lastSegment(roleArn) ?? roleArn, 80),
    roleAccountId: accountId !== undefined && accountId !== null && /^\d{12}$/.test(accountId) ? accountId : 'unknown',
    api: sanitizeText(`sts:${finding.api}`, 64),
    errorCode: sanitizeText(finding.errorCode, 64),
    errorMessage: event.errorMessage ? codeSpan(sanitizeValue(event.errorMessage, 500)) : undefined,
    eventTime: sanitizeText(finding.eventTime, 40),
    eventId: sanitizeText(finding.eventId, 80),
    requestLines: requestLines(event),
    summary: sanitizeText(finding.summary, 1000),
    evidence: finding.evidence.slice(0, MAX_LIST).map((e) => ({
      where: sanitizeText(`${e.policy} · ${e.source} · ${e.statement}`, 300),
      detail: sanitizeText(
        [
          e.conditionKey ? `key ${e.conditionKey}` : '',
          e.operator ? `operator ${e.operator}` : '',
          e.expected !== undefined ? `expected ${describeValue(e.expected)}` : '',
          e.actual !== undefined ? `actual ${describeValue(e.actual)}` : '',
        ]
          .filter(Boolean)
          .join(', '),
        400,
      ),
    })),
    moreEvidence: Math.max(0, finding.evidence.length - MAX_LIST),
    otherGaps: capped(finding.otherGaps, (g) => sanitizeText(`${g.cause} (${g.policy}): ${g.summary}`, 300)),
    warnings: capped(finding.warnings, (w) => sanitizeText(`${w.code}: ${w.message}`, 300)),
    unknowns: capped(finding.unknowns, (u) => sanitizeText(`${u.key}: ${u.reason}`, 300)),
    fixSummary: sanitizeText(finding.fix.summary, 1000),
    fixVerified: finding.fix.verified,
    fixKind: finding.fix.kind,
    outsideScope: finding.warnings.some((w) => w.code === 'OUTSIDE_TRUST_SCOPE'),
    // An alternative that widens trust to an outside identity is never put in front of the reader, not even its text.
    alternatives: finding.warnings.some((w) => w.code === 'OUTSIDE_TRUST_SCOPE')
      ? []
      : capped(finding.alternatives ?? [], (f) => sanitizeText(f.summary, 600)),
    // The account line is ours; the command may carry request values, whose line breaks sanitizeCommand shows as ␤.
    commands: finding.fix.commands.slice(0, MAX_LIST).map((c, i) => {
      const account = finding.fix.commandAccounts?.[i];
      const command = sanitizeCommand(c, 12000);
      return account ? `${sanitizeCommand(runInComment(account), 200)}\n${command}` : command;
    }),
    policyDocument: finding.fix.policyDocument
      ? sanitizeCode(JSON.stringify(finding.fix.policyDocument, null, 2), 12000)
      : undefined,
    count: ctx.count,
    firstSeen: sanitizeText(ctx.firstSeen, 40),
    moreSince: ctx.moreSince ? { count: ctx.moreSince.count, since: sanitizeText(ctx.moreSince.since, 40) } : undefined,
  };
}
