import type { Evidence, Finding, Fix, Gap, Unknown, Warning } from '../engine/finding/types';

/**
 * The `--json` output: findings projected onto exactly the fields of the Finding contract
 * (src/engine/finding/types.ts), in the contract's order. Projecting, rather than serialising the engine's
 * objects as they are, keeps any internal or future field from leaking into a format that scripts depend on.
 */

function pickDefined<T extends object>(entries: [keyof T, unknown][]): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) if (value !== undefined) out[key as string] = value;
  return out as T;
}

function evidenceJson(e: Evidence): Evidence {
  return pickDefined<Evidence>([
    ['policy', e.policy],
    ['source', e.source],
    ['statement', e.statement],
    ['conditionKey', e.conditionKey],
    ['operator', e.operator],
    ['expected', e.expected],
    ['actual', e.actual],
  ]);
}

function gapJson(g: Gap): Gap {
  return { cause: g.cause, policy: g.policy, summary: g.summary };
}

function warningJson(w: Warning): Warning {
  return pickDefined<Warning>([
    ['code', w.code],
    ['message', w.message],
    ['policy', w.policy],
    ['source', w.source],
    ['statement', w.statement],
  ]);
}

function fixJson(f: Fix): Fix {
  return pickDefined<Fix>([
    ['kind', f.kind],
    ['summary', f.summary],
    ['policyDocument', f.policyDocument],
    ['commands', [...f.commands]],
    ['commandAccounts', f.commandAccounts?.map((a) => ({ accountId: a.accountId, owner: a.owner }))],
    ['verified', f.verified],
    ['admits', [...(f.admits ?? [])]],
  ]);
}

function unknownJson(u: Unknown): Unknown {
  return { key: u.key, reason: u.reason };
}

export function findingToJson(f: Finding): Finding {
  return {
    eventId: f.eventId,
    eventTime: f.eventTime,
    api: f.api,
    errorCode: f.errorCode,
    caller: { type: f.caller.type, arn: f.caller.arn ?? null, accountId: f.caller.accountId ?? null },
    role: { arn: f.role.arn ?? null, accountId: f.role.accountId ?? null },
    cause: f.cause,
    policy: f.policy,
    summary: f.summary,
    evidence: f.evidence.map(evidenceJson),
    otherGaps: f.otherGaps.map(gapJson),
    warnings: f.warnings.map(warningJson),
    fix: fixJson(f.fix),
    alternatives: (f.alternatives ?? []).map(fixJson),
    confidence: f.confidence,
    unknowns: f.unknowns.map(unknownJson),
  };
}

/**
 * JSON text of the findings array. JSON.stringify already escapes C0 controls; DEL, C1 controls, line
 * separators and bidi overrides are escaped too (still valid JSON, same values), so that piping the output to
 * a terminal cannot let a hostile session name or `sub` drive the terminal.
 */
export function findingsJsonText(findings: Finding[]): string {
  return JSON.stringify(findings.map(findingToJson), null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
