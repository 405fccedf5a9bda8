import type { Warning } from '../finding/types';
import type { NamedPolicy } from '../iam/policy-types';

/**
 * The remembered lint of one policy: the promise every caller awaits, and its warnings once it has fulfilled, so
 * that a caller holding many policies (lint-involved.ts) can take a settled answer without a promise per policy.
 */
export interface LintEntry {
  readonly promise: Promise<readonly Warning[]>;
  /** The fulfilled warnings; never set when the lint rejected (callers then see the rejection through `promise`). */
  settled?: readonly Warning[];
}

/**
 * Documents from a snapshot are shared objects, and a burst of denials lints the same trust policy again and again:
 * remember the answer per document object, then per source and kind (which the warnings carry). Documents are
 * read-only by contract (fix builders clone before editing), so the answer cannot go stale, and a new document
 * object is a new key. Nested maps rather than one "kind\0source" key: a hit allocates no key string. A document's
 * (source, kind) pairs are bounded by the facts (one per policy attachment), as they were with the single key.
 */
const lintCache = new WeakMap<object, DocumentLints>();

interface DocumentLints {
  /** The (source, kind) last asked about; a trust document is only ever asked about under one. */
  source: string;
  kind: NamedPolicy['kind'];
  entry: LintEntry;
  /** Every (source, kind) seen, for documents asked about under several (a managed policy of many owners). */
  all: Map<string, Map<NamedPolicy['kind'], LintEntry>>;
}

/** The entry for this policy, starting `lint` (once per document, source and kind) when there is none yet. */
export function lintEntry(policy: NamedPolicy, lint: (p: NamedPolicy) => Promise<readonly Warning[]>): LintEntry {
  let doc = lintCache.get(policy.document);
  // Comparing with the last source asked about is cheaper than a Map lookup: the source string is often built afresh
  // per diagnosis (trust policy of <role ARN>), a rope that a lookup would first flatten, then hash.
  if (doc && doc.kind === policy.kind && doc.source === policy.source) return doc.entry;
  let byKind = doc?.all.get(policy.source);
  let entry = byKind?.get(policy.kind);
  if (!entry) entry = startLint(policy, lint);
  if (!doc) {
    doc = { source: policy.source, kind: policy.kind, entry, all: new Map() };
    lintCache.set(policy.document, doc);
  }
  if (!byKind) {
    byKind = new Map();
    doc.all.set(policy.source, byKind);
  }
  byKind.set(policy.kind, entry);
  doc.source = policy.source;
  doc.kind = policy.kind;
  doc.entry = entry;
  return entry;
}

function startLint(policy: NamedPolicy, lint: (p: NamedPolicy) => Promise<readonly Warning[]>): LintEntry {
  const created: LintEntry = { promise: lint(policy) };
  // The rejection handler only keeps this derived promise from being an unhandled rejection: the rejection itself
  // still reaches every caller through `promise`.
  created.promise.then(
    (warnings) => {
      created.settled = warnings;
    },
    () => undefined,
  );
  return created;
}
