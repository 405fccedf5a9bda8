import type { ProblemRow } from '../history/findings-query';

/**
 * The problems as CSV (RFC 4180 quoting). A cell that a spreadsheet would run as a formula (= + - @, tab, CR at
 * the start) gets a leading apostrophe: these values come from events, so from whoever made the call.
 */
export const CSV_COLUMNS = [
  'fingerprint',
  'count',
  'firstSeen',
  'lastSeen',
  'cause',
  'severity',
  'role',
  'caller',
  'summary',
  'fix',
] as const;

function cell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function problemsCsv(problems: ProblemRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of problems) {
    const fix = (p.latestFinding as { fix?: { summary?: string } } | undefined)?.fix?.summary;
    lines.push(
      [p.fingerprint, p.count, p.firstSeen, p.lastSeen, p.cause, p.severity, p.role, p.caller, p.summary, fix]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function problemsJson(problems: ProblemRow[]): string {
  return `${JSON.stringify({ problems }, null, 2)}\n`;
}
