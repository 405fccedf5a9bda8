import { createHash } from 'node:crypto';
import type { Evidence, Finding } from '../../engine/finding/types';
import type { ProblemRow } from '../history/findings-query';
import { escapeHtml as e } from './html-escape';
import type { ReportData } from './report-data';
import { REPORT_CSS } from './report-style';

/**
 * The report: ONE self-contained HTML file (inline CSS, inline SVG chart, one small inline script for the filter
 * box, allowed by its hash). The Content-Security-Policy meta tag forbids every external load, so it works
 * offline and as an e-mail attachment, and nothing in it can call out even if an escaped value were mishandled.
 */
const FILTER_SCRIPT = `(function(){var box=document.getElementById('filter');var items=document.querySelectorAll('[data-search]');var shown=document.getElementById('shown');function apply(){var q=box.value.toLowerCase();var n=0;for(var i=0;i<items.length;i++){var hit=items[i].getAttribute('data-search').indexOf(q)!==-1;items[i].hidden=!hit;if(hit)n++;}shown.textContent=String(n);}box.addEventListener('input',apply);})();`;

const PALETTE = [
  '#c0392b',
  '#2471a3',
  '#d68910',
  '#229954',
  '#7d3c98',
  '#17a589',
  '#a04000',
  '#2e4053',
  '#b03a2e',
  '#5d6d7e',
];
const OTHER = '#aab7b8';

function scriptHash(): string {
  return createHash('sha256').update(FILTER_SCRIPT).digest('base64');
}

export const REPORT_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash()}'; img-src data:; base-uri 'none'; form-action 'none'`;

function tail(arn: string): string {
  return arn.startsWith('arn:') ? arn.split(':').slice(4).join(':') : arn;
}

function chart(data: ReportData, colors: Map<string, string>): string {
  const days = [...data.byDay.keys()].sort();
  if (days.length === 0) return '<p class="muted">No denials in range.</p>';
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days.at(-1)}T00:00:00Z`);
  const span = Math.round((last - first) / 86_400_000) + 1;
  const totals = days.map((d) => [...(data.byDay.get(d)?.values() ?? [])].reduce((a, b) => a + b, 0));
  const max = Math.max(...totals, 1);
  const width = 960;
  const height = 220;
  const left = 48;
  const plotW = width - left - 8;
  const barW = Math.max(1, plotW / span - 1);
  const bars: string[] = [];
  for (const day of days) {
    const x = left + (Math.round((Date.parse(`${day}T00:00:00Z`) - first) / 86_400_000) * plotW) / span;
    let y = height - 20;
    for (const [cause, count] of [...(data.byDay.get(day) ?? [])].sort()) {
      const h = (count / max) * (height - 40);
      y -= h;
      bars.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colors.get(cause) ?? OTHER}"><title>${e(day)} ${e(cause)}: ${count}</title></rect>`,
      );
    }
  }
  const axis = [0, 0.5, 1].map((f) => {
    const y = height - 20 - f * (height - 40);
    return `<line x1="${left}" x2="${width - 8}" y1="${y}" y2="${y}" class="grid"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${Math.round(f * max)}</text>`;
  });
  const labels = `<text x="${left}" y="${height - 4}">${e(days[0])}</text><text x="${width - 8}" y="${height - 4}" text-anchor="end">${e(days.at(-1))}</text>`;
  const legend = [...colors]
    .map(([cause, color]) => `<span class="key"><i style="background:${color}"></i>${e(cause)}</span>`)
    .join('');
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Denials per day by cause">${axis.join('')}${bars.join('')}${labels}</svg><div class="legend">${legend}</div>`;
}

function topTable(title: string, rows: Array<[string, number]>, short: boolean): string {
  const body = rows
    .map(
      ([name, count]) =>
        `<tr><td class="num">${count}</td><td title="${e(name)}">${e(short ? tail(name) : name)}</td></tr>`,
    )
    .join('');
  return `<section class="top"><h3>${e(title)}</h3><table><tbody>${body}</tbody></table></section>`;
}

function evidenceRows(evidence: Evidence[]): string {
  if (evidence.length === 0) return '';
  const rows = evidence
    .map(
      (ev) =>
        `<tr><td>${e(ev.policy)}</td><td>${e(ev.source)}</td><td>${e(ev.statement)}</td><td>${e(ev.conditionKey ?? '')} ${e(ev.operator ?? '')}</td><td><code>${e(JSON.stringify(ev.expected) ?? '')}</code></td><td><code>${e(JSON.stringify(ev.actual) ?? '')}</code></td></tr>`,
    )
    .join('');
  return `<h4>Evidence</h4><table class="evidence"><thead><tr><th>Policy</th><th>Source</th><th>Statement</th><th>Condition</th><th>Expected</th><th>Actual</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function problemCard(p: ProblemRow, colors: Map<string, string>): string {
  const f = p.latestFinding as Partial<Finding> | undefined;
  const search = [p.cause, p.role, p.caller, p.summary, f?.fix?.summary ?? ''].join(' ').toLowerCase();
  const commands = f?.fix?.commands?.length ? `<h4>Commands</h4><pre>${e(f.fix.commands.join('\n'))}</pre>` : '';
  const warnings = f?.warnings?.length
    ? `<h4>Warnings</h4><ul>${f.warnings.map((w) => `<li>${e(w.code)}: ${e(w.message)}</li>`).join('')}</ul>`
    : '';
  const fix = f?.fix
    ? `<h4>Recommended fix ${f.fix.verified ? '<span class="ok">verified</span>' : '<span class="warn">not verified</span>'}</h4><p>${e(f.fix.summary)}</p>`
    : '';
  return `<details class="problem" data-search="${e(search)}"><summary><span class="count">${p.count}</span><span class="cause" style="border-color:${colors.get(p.cause) ?? OTHER}">${e(p.cause)}</span><span class="who">${e(tail(p.caller))} &rarr; ${e(tail(p.role))}</span><span class="seen">${e(p.firstSeen)} &ndash; ${e(p.lastSeen)}</span></summary><div class="body"><p class="summary">${e(f?.summary ?? p.summary)}</p><dl><dt>Caller</dt><dd>${e(p.caller)}</dd><dt>Role</dt><dd>${e(p.role)}</dd><dt>Severity</dt><dd>${e(p.severity)}</dd><dt>Confidence</dt><dd>${e(f?.confidence ?? '')}</dd><dt>First seen</dt><dd>${e(p.firstSeen)}</dd><dt>Last seen</dt><dd>${e(p.lastSeen)}</dd><dt>Count</dt><dd>${p.count}</dd><dt>Fingerprint</dt><dd><code>${e(p.fingerprint)}</code></dd></dl>${evidenceRows(f?.evidence ?? [])}${fix}${commands}${warnings}</div></details>`;
}

export function renderHtmlReport(data: ReportData): string {
  const colors = new Map(data.topCauses.slice(0, PALETTE.length).map(([cause], i) => [cause, PALETTE[i]]));
  const total = data.problems.reduce((sum, p) => sum + p.count, 0);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>trustgap report: denied role assumptions</title>
<style>${REPORT_CSS}</style></head><body>
<header><h1>Denied role assumptions</h1><p class="muted">${e(data.source)} &middot; generated ${e(data.generatedAt)} &middot; ${data.occurrences} denials in range &middot; ${data.problems.length} distinct problems (${total} occurrences in all)</p></header>
<section><h2>Denials per day, by cause</h2>${chart(data, colors)}</section>
<section class="tops">${topTable('Top causes', data.topCauses, false)}${topTable('Top roles', data.topRoles, true)}${topTable('Top callers', data.topCallers, true)}</section>
<section><h2>Problems</h2><p><input id="filter" type="search" placeholder="Filter by cause, role, caller or text" autocomplete="off" aria-label="Filter problems"> <span class="muted"><span id="shown">${data.problems.length}</span> shown</span></p>
${data.problems.map((p) => problemCard(p, colors)).join('\n')}</section>
<script>${FILTER_SCRIPT}</script>
</body></html>
`;
}
