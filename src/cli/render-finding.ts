import { runInComment } from '../engine/diagnose/fix/command-accounts';
import type { NormalizedEvent } from '../engine/event/types';
import type { Cause, Evidence, Finding } from '../engine/finding/types';
import { type FindingGroup, occurrenceText } from './finding-groups';
import { makePainter, type Painter, safeLines, safeText } from './terminal-text';

/**
 * The human-readable form of a finding, for `trustgap diagnose` without --json.
 *
 * Layout, top to bottom: a headline (cause, api, caller → role), the summary, the evidence (which policy,
 * statement and condition key, expected vs actual), what could not be checked from the event (shown as
 * unknown, never as a failure), other gaps, lint warnings, and the fix with its verification status.
 * Every value that comes from the event or the snapshot goes through safeText, so attacker-chosen strings
 * (session names, OIDC subjects, error messages) cannot inject terminal escape sequences.
 */

export interface RenderOptions {
  color: boolean;
  /** 1-based position and total, shown in the headline when several findings are printed. */
  index?: number;
  total?: number;
  /** The event the finding is about: names callers that have no ARN (web identity, SAML, service, account). */
  event?: NormalizedEvent;
  /** When the finding stands for several events with the same fingerprint: how many, and when (finding-groups.ts). */
  occurrences?: Pick<FindingGroup, 'count' | 'firstSeen' | 'lastSeen'>;
}

/** A short plain-language reading of each cause, shown next to the code. */
export const CAUSE_TITLES: Record<Cause, string> = {
  ROLE_NOT_FOUND: 'the role does not exist',
  TRUST_PRINCIPAL_MISSING: "the role's trust policy does not name the caller",
  TRUST_PRINCIPAL_DELETED: 'the trust policy names a principal that was deleted',
  TRUST_CONDITION_FAILED: 'a trust policy condition did not match',
  TRUST_ACTION_MISSING: 'the trust policy does not allow this action',
  TRUST_EXPLICIT_DENY: 'the trust policy explicitly denies the call',
  IDENTITY_NO_ALLOW: "the caller's own policies do not allow the call",
  IDENTITY_EXPLICIT_DENY: "the caller's own policies explicitly deny the call",
  BOUNDARY_NO_ALLOW: "the caller's permissions boundary does not allow the call",
  BOUNDARY_EXPLICIT_DENY: "the caller's permissions boundary explicitly denies the call",
  SCP_DENY: 'a service control policy blocks the call',
  RCP_DENY: 'a resource control policy blocks the call',
  IDP_NOT_FOUND: 'the identity provider is not registered in the account',
  TOKEN_INVALID: 'the identity token was rejected',
  TOKEN_EXPIRED: 'the identity token or session had expired',
  ROOT_CANNOT_ASSUME: 'root user credentials cannot assume a role',
  DURATION_TOO_LONG: "the requested duration exceeds the role's maximum",
  REGION_DISABLED: 'STS is not enabled in this region',
  UNEXPLAINED: 'the policies as they stand would allow the call',
};

const POLICY_LABELS: Record<Evidence['policy'], string> = {
  trust: 'trust policy',
  identity: 'identity policy',
  boundary: 'permissions boundary',
  scp: 'SCP',
  rcp: 'RCP',
  session: 'session policy',
  token: 'token',
  request: 'request',
  none: 'none',
  unknown: 'unknown',
};

const INDENT = '  ';
const RULE_WIDTH = 78;

/** A value from the finding as compact, safe text: strings as JSON strings (so empty/space values are visible). */
function showValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  return safeText(JSON.stringify(value) ?? String(value));
}

/** "token.actions.githubusercontent.com" from an OIDC provider ARN; anything else as given. */
function providerName(provider: string): string {
  const i = provider.indexOf(':oidc-provider/');
  return i >= 0 ? provider.slice(i + ':oidc-provider/'.length) : provider;
}

/** Who called: the ARN when CloudTrail logged one, else what the event says about the identity. */
function callerLabel(f: Finding, event: NormalizedEvent | undefined): string {
  if (f.caller.arn) return safeText(f.caller.arn);
  const c = event?.caller;
  if (c?.webIdentity) {
    const sub = c.webIdentity.sub !== undefined ? ` sub ${safeText(c.webIdentity.sub)}` : '';
    return `${safeText(f.caller.type)} (${safeText(providerName(c.webIdentity.provider))}${sub})`;
  }
  if (c?.saml && (c.saml.userName || c.userName))
    return `${safeText(f.caller.type)} ${safeText(c.saml.userName ?? c.userName)}`;
  if (c?.invokedBy) return `${safeText(f.caller.type)} ${safeText(c.invokedBy)}`;
  // A session named only by its role (--caller with a role ARN): the role is who called.
  if (c?.issuerArn) return `${safeText(f.caller.type)} of ${safeText(c.issuerArn)}`;
  const account = f.caller.accountId ? ` in account ${safeText(f.caller.accountId)}` : '';
  return `${safeText(f.caller.type)}${account}`;
}

function roleLabel(f: Finding, event: NormalizedEvent | undefined): string {
  if (f.role.arn) return safeText(f.role.arn);
  return event?.origin === 'error-text'
    ? '(the error text does not say which role)'
    : '(the event does not say which role)';
}

/** Time, error code and event id; an id trustgap derived (no eventID in the input) says so. */
function eventLine(f: Finding, event: NormalizedEvent | undefined): string {
  const time = f.eventTime === '' ? (event?.origin === 'error-text' ? 'error text' : 'no eventTime') : f.eventTime;
  const id = event?.eventIdDerived ? `${f.eventId} (derived: the input has no eventID)` : f.eventId;
  return `${safeText(time)}  ${safeText(f.errorCode)}  event ${safeText(id)}  confidence ${f.confidence}`;
}

function headline(f: Finding, opts: RenderOptions, paint: Painter): string[] {
  const position = opts.index !== undefined && opts.total !== undefined ? `[${opts.index}/${opts.total}] ` : '';
  const causeColor = f.cause === 'UNEXPLAINED' ? 'yellow' : 'red';
  // UNEXPLAINED in an unknown layer: nothing was proven either way, so "the policies would allow it" would be wrong.
  const title =
    f.cause === 'UNEXPLAINED' && f.policy === 'unknown'
      ? 'the input does not show enough to decide'
      : (CAUSE_TITLES[f.cause] ?? '');
  const lines = [
    `${paint(position, 'dim')}${paint(f.cause, 'bold', causeColor)} ${paint('·', 'dim')} ${safeText(title)}`,
    `${INDENT}${paint(safeText(f.api), 'cyan')}  ${callerLabel(f, opts.event)} ${paint('→', 'bold')} ${roleLabel(f, opts.event)}`,
    `${INDENT}${paint(eventLine(f, opts.event), 'dim')}`,
  ];
  const seen = opts.occurrences;
  if (seen && seen.count > 1)
    lines.push(
      `${INDENT}${paint(safeText(`${occurrenceText(seen)} (the same fingerprint; the first is shown)`), 'bold')}`,
    );
  return lines;
}

function section(title: string, paint: Painter, body: string[]): string[] {
  if (body.length === 0) return [];
  return ['', `${INDENT}${paint(title, 'bold')}`, ...body];
}

/** Condition keys listed in unknowns (IAM key names are case-insensitive). */
function unknownKeys(f: Finding): Set<string> {
  return new Set(f.unknowns.map((u) => u.key.toLowerCase()));
}

/**
 * The request's value for a piece of evidence. `null` means the request did not carry the key — unless the key is
 * one the event cannot tell us, which must read as unknown, never as absent.
 */
function actualValue(e: Evidence, unknown: Set<string>, paint: Painter): string {
  if (e.conditionKey !== undefined && unknown.has(e.conditionKey.toLowerCase())) {
    return paint('unknown (the event does not show it)', 'yellow');
  }
  if (e.actual === null) return paint('(not in the request)', 'red');
  return paint(showValue(e.actual), 'red');
}

function evidenceLines(e: Evidence, unknown: Set<string>, paint: Painter): string[] {
  const pad = INDENT.repeat(2);
  const label = POLICY_LABELS[e.policy] ?? safeText(e.policy);
  // "trust policy of arn:…" already says which kind of policy it is; don't say it twice.
  const kind = e.source.toLowerCase().startsWith(label.toLowerCase()) ? '' : `${label} ${paint('·', 'dim')} `;
  // A Sid or "#<index>" names a statement; anything with spaces is already a description ("no statement allows it").
  const statement = /\s/.test(e.statement) ? safeText(e.statement) : `statement ${safeText(e.statement)}`;
  const where = `${kind}${safeText(e.source)} ${paint('·', 'dim')} ${statement}`;
  const lines = [`${pad}${paint('•', 'red')} ${where}`];
  if (e.conditionKey !== undefined || e.operator !== undefined) {
    const op = e.operator ? `${safeText(e.operator)} ` : '';
    lines.push(`${pad}  condition ${op}${paint(safeText(e.conditionKey ?? ''), 'bold')}`);
  }
  if (e.expected !== undefined) lines.push(`${pad}  expected  ${paint(showValue(e.expected), 'green')}`);
  if (e.actual !== undefined) lines.push(`${pad}  actual    ${actualValue(e, unknown, paint)}`);
  return lines;
}

function fixLines(f: Finding, paint: Painter): string[] {
  const lines = oneFixLines(
    f.fix,
    paint,
    `recommended, ${f.fix.kind === 'caller' ? 'change the call, not IAM' : 'policy change'}`,
  );
  for (const [i, alt] of (f.alternatives ?? []).entries())
    lines.push('', ...oneFixLines(alt, paint, `alternative ${i + 1}, not recommended`));
  return lines;
}

function oneFixLines(fix: Finding['fix'], paint: Painter, label: string): string[] {
  const pad = INDENT.repeat(2);
  const status = fix.verified
    ? paint(`${label}; verified: re-evaluating the call with this change allows it`, 'green')
    : paint(`${label}; not verified: trustgap could not confirm by re-evaluation that this allows the call`, 'yellow');
  const lines = [`${pad}${status}`, ...safeLines(fix.summary).map((l) => `${pad}${l}`)];
  if (fix.policyDocument) {
    lines.push('', `${pad}${paint('Corrected policy document:', 'bold')}`);
    for (const l of safeLines(JSON.stringify(fix.policyDocument, null, 2))) lines.push(`${pad}  ${paint(l, 'green')}`);
  }
  if (fix.commands.length > 0) {
    lines.push('', `${pad}${paint('Commands:', 'bold')}`);
    for (const [index, command] of fix.commands.entries()) {
      const account = fix.commandAccounts?.[index];
      if (account) lines.push(`${pad}  ${paint(runInComment(account), 'dim')}`);
      safeLines(command).forEach((l, i) => {
        lines.push(`${pad}  ${paint(i === 0 ? '$' : ' ', 'dim')} ${l}`);
      });
    }
  }
  return lines;
}

/** The readable explanation of one finding, as lines joined with "\n" (no trailing newline). */
export function renderFinding(f: Finding, opts: RenderOptions): string {
  const paint = makePainter(opts.color);
  const pad = INDENT.repeat(2);
  const lines = [
    paint('─'.repeat(RULE_WIDTH), 'dim'),
    ...headline(f, opts, paint),
    '',
    ...safeLines(f.summary).map((l) => `${INDENT}${l}`),
    ...section(
      'Evidence',
      paint,
      f.evidence.flatMap((e) => evidenceLines(e, unknownKeys(f), paint)),
    ),
    ...section(
      'Could not be checked from the event (unknown, not failed)',
      paint,
      f.unknowns.map((u) => `${pad}${paint('?', 'yellow')} ${paint(safeText(u.key), 'bold')}: ${safeText(u.reason)}`),
    ),
    ...section(
      'Other gaps (would also block the call once the cause is fixed)',
      paint,
      f.otherGaps.map(
        (g) =>
          `${pad}${paint('•', 'yellow')} ${safeText(g.cause)} (${POLICY_LABELS[g.policy] ?? safeText(g.policy)}): ${safeText(g.summary)}`,
      ),
    ),
    ...section(
      'Warnings',
      paint,
      f.warnings.map((w) => {
        const where = w.source
          ? ` ${paint(`[${safeText(w.source)}${w.statement ? ` · ${safeText(w.statement)}` : ''}]`, 'dim')}`
          : '';
        return `${pad}${paint('!', 'yellow')} ${safeText(w.code)}: ${safeText(w.message)}${where}`;
      }),
    ),
    ...section('Fix', paint, fixLines(f, paint)),
  ];
  return lines.join('\n');
}

export interface SkippedLine {
  /** The file the record came from. */
  source: string;
  index: number;
  eventName?: string;
  eventId?: string;
  reason: string;
}

/** The closing summary: findings per cause, and the records that were skipped with the reason for each. */
export function renderRunSummary(
  findings: Finding[],
  skipped: SkippedLine[],
  opts: { color: boolean; distinct?: number },
): string {
  const paint = makePainter(opts.color);
  const counts = new Map<Cause, number>();
  for (const f of findings) counts.set(f.cause, (counts.get(f.cause) ?? 0) + 1);
  const distinct =
    opts.distinct !== undefined && opts.distinct < findings.length
      ? ` (${opts.distinct} distinct problem${opts.distinct === 1 ? '' : 's'})`
      : '';
  const lines = [
    paint(`${findings.length} denied role assumption${findings.length === 1 ? '' : 's'} diagnosed${distinct}`, 'bold') +
      (skipped.length > 0 ? `, ${skipped.length} record${skipped.length === 1 ? '' : 's'} skipped` : ''),
  ];
  for (const [cause, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    lines.push(`${INDENT}${String(n).padStart(3)}  ${cause}`);
  }
  if (skipped.length > 0) {
    lines.push('', paint('Skipped records', 'bold'));
    for (const s of skipped) lines.push(`${INDENT}${skippedLine(s)}`);
  }
  return lines.join('\n');
}

/** "file.json [3] (ConsoleLogin, id …): reason" — [3] is the record's 0-based position in the file. Terminal-safe. */
export function skippedLine(s: SkippedLine): string {
  const what = [s.eventName, s.eventId ? `id ${s.eventId}` : undefined].filter(Boolean).join(', ');
  return `${safeText(s.source)} [${s.index}]${what ? ` (${safeText(what)})` : ''}: ${safeText(s.reason)}`;
}
