import type { Finding } from '../../engine/finding/types';

/**
 * DynamoDB rejects items over 400 KB, and a finding can carry big documents: a corrected managed policy, an
 * evidence value quoting a whole statement, commands embedding the document. A write that fails for size would
 * turn into a retry loop and then a DLQ entry, so the stored finding is fitted to a byte budget instead, replacing
 * the largest parts with a marker that says what was there:
 *
 *   { "__truncated__": true, "originalBytes": 512345, "preview": "{\"Version\":\"2012-10-17\",…" }
 *
 * Order of sacrifice: policy documents and large evidence values first (largest first), then long strings
 * (commands, messages), then list tails (evidence, gaps, warnings, unknowns beyond the first entries). If even
 * that does not fit, a minimal finding (cause, summary, ids) with the marker is stored. The full finding is never
 * lost: it is in the handler's log record for that event.
 */
export interface TruncationMarker {
  __truncated__: true;
  originalBytes: number;
  preview: string;
}

export const DEFAULT_FINDING_BUDGET_BYTES = 64 * 1024;
const PREVIEW_CHARS = 512;
const LONG_STRING_CHARS = 2048;
const LIST_KEEP = 10;

export function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

export function truncationMarker(value: unknown): TruncationMarker {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return {
    __truncated__: true,
    originalBytes: Buffer.byteLength(text, 'utf8'),
    preview: Array.from(text).slice(0, PREVIEW_CHARS).join(''),
  };
}

type Slot = { get: () => unknown; set: (v: unknown) => void };

/** Every place in a finding that can hold a large structured value. */
function documentSlots(f: Finding): Slot[] {
  const slots: Slot[] = [];
  if (f.fix.policyDocument !== undefined) {
    slots.push({
      get: () => f.fix.policyDocument,
      set: (v) => ((f.fix as { policyDocument?: unknown }).policyDocument = v),
    });
  }
  f.evidence.forEach((e) => {
    slots.push({ get: () => e.expected, set: (v) => (e.expected = v) });
    slots.push({ get: () => e.actual, set: (v) => (e.actual = v) });
  });
  return slots;
}

function stringSlots(f: Finding): Slot[] {
  const slots: Slot[] = [];
  const add = (get: () => string, set: (v: string) => void) => slots.push({ get, set: (v) => set(v as string) });
  add(
    () => f.summary,
    (v) => (f.summary = v),
  );
  add(
    () => f.fix.summary,
    (v) => (f.fix.summary = v),
  );
  for (let i = 0; i < f.fix.commands.length; i++) {
    add(
      () => f.fix.commands[i],
      (v) => (f.fix.commands[i] = v),
    );
  }
  for (const e of f.evidence) {
    add(
      () => e.source,
      (v) => (e.source = v),
    );
  }
  for (const g of f.otherGaps) {
    add(
      () => g.summary,
      (v) => (g.summary = v),
    );
  }
  for (const w of f.warnings) {
    add(
      () => w.message,
      (v) => (w.message = v),
    );
  }
  for (const u of f.unknowns) {
    add(
      () => u.reason,
      (v) => (u.reason = v),
    );
  }
  return slots;
}

function cutString(text: string, max: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return `${codePoints.slice(0, max).join('')}… [__truncated__: ${Buffer.byteLength(text, 'utf8')} bytes]`;
}

/** A deep copy of `finding` whose JSON is at most `budgetBytes`, with markers where content was cut. */
export function truncateFindingForStorage(finding: Finding, budgetBytes = DEFAULT_FINDING_BUDGET_BYTES): Finding {
  const originalBytes = byteLength(finding);
  if (originalBytes <= budgetBytes) return finding;
  const f = JSON.parse(JSON.stringify(finding)) as Finding;

  const documents = documentSlots(f)
    .map((slot) => ({ slot, size: byteLength(slot.get()) }))
    .filter(({ size }) => size > PREVIEW_CHARS * 2)
    .sort((a, b) => b.size - a.size);
  for (const { slot } of documents) {
    slot.set(truncationMarker(slot.get()));
    if (byteLength(f) <= budgetBytes) return f;
  }

  for (const slot of stringSlots(f)) {
    const value = slot.get();
    if (typeof value === 'string' && value.length > LONG_STRING_CHARS) slot.set(cutString(value, LONG_STRING_CHARS));
  }
  if (byteLength(f) <= budgetBytes) return f;

  const lists = ['evidence', 'otherGaps', 'warnings', 'unknowns'] as const;
  for (const key of lists) {
    const list = f[key] as unknown[];
    if (list.length > LIST_KEEP) {
      const dropped = list.length - LIST_KEEP;
      list.splice(LIST_KEEP);
      (f as unknown as Record<string, unknown>)[`${key}Truncated`] = { __truncated__: true, droppedEntries: dropped };
    }
  }
  f.fix.commands = f.fix.commands.map((c) => cutString(c, 512));
  if (byteLength(f) <= budgetBytes) return f;

  return minimalFinding(finding, originalBytes, budgetBytes);
}

function minimalFinding(finding: Finding, originalBytes: number, budgetBytes: number): Finding {
  const cut = (s: string | null, n: number) => (s === null ? null : cutString(s, n));
  // Free text gets what is left of the budget after the fixed fields (a few hundred bytes).
  const text = Math.max(64, Math.min(2048, Math.floor((budgetBytes - 1500) / 8)));
  return {
    eventId: cutString(finding.eventId, 256),
    eventTime: cutString(finding.eventTime, 64),
    api: finding.api,
    errorCode: cutString(finding.errorCode, 128),
    caller: {
      type: finding.caller.type,
      arn: cut(finding.caller.arn, 1024),
      accountId: cut(finding.caller.accountId, 32),
    },
    role: { arn: cut(finding.role.arn, 1024), accountId: cut(finding.role.accountId, 32) },
    cause: finding.cause,
    policy: finding.policy,
    summary: cutString(finding.summary, text),
    evidence: [],
    otherGaps: [],
    warnings: [],
    fix: {
      kind: finding.fix.kind,
      summary: cutString(finding.fix.summary, text),
      commands: [],
      verified: finding.fix.verified,
      admits: [],
    },
    alternatives: [],
    confidence: finding.confidence,
    unknowns: [],
    __truncated__: true,
    originalBytes,
  } as Finding;
}
