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
 * (source, kind) pairs are bounded by the facts (one per policy attachment), as they were with the single key. Most
 * documents lint clean, and for those the answer is known per kind without the source (see lintEntry).
 */
const lintCache = new WeakMap<object, DocumentLints>();

interface DocumentLints {
  /** The (source, kind) last asked about; a trust document is only ever asked about under one. */
  source: string;
  kind: NamedPolicy['kind'];
  entry: LintEntry | undefined;
  /**
   * Every (source, kind) seen, made when a second one is asked about (a managed policy of many owners); until then
   * the one pair seen is the one above, and a document costs no maps.
   */
  all: Map<string, Map<NamedPolicy['kind'], LintEntry>> | undefined;
  /** KIND_BIT of each kind whose lint of this document fulfilled with no warnings. */
  emptyKinds: number;
}

const KIND_BIT: Readonly<Record<NamedPolicy['kind'], number>> = {
  trust: 1,
  identity: 2,
  boundary: 4,
  scp: 8,
  rcp: 16,
  session: 32,
};

const NO_WARNINGS: readonly Warning[] = Object.freeze([]);
/** The answer for a document and kind known to lint clean: shared, it is only ever read (callers copy it). */
const CLEAN: LintEntry = { promise: Promise.resolve(NO_WARNINGS), settled: NO_WARNINGS };

/**
 * The entry for this policy, starting `lint` (once per document, source and kind) when there is none yet. `lint` must
 * use the policy's source only to name it in each warning (lint.ts does): then a document and kind that linted
 * clean under one source lint clean under any, and the answer is had without looking at the source at all.
 */
export function lintEntry(policy: NamedPolicy, lint: (p: NamedPolicy) => readonly Warning[]): LintEntry {
  const doc = lintCache.get(policy.document);
  if (!doc) {
    const created: DocumentLints = {
      source: policy.source,
      kind: policy.kind,
      entry: undefined,
      all: undefined,
      emptyKinds: 0,
    };
    created.entry = startLint(policy, lint, created);
    lintCache.set(policy.document, created);
    return created.entry;
  }
  // Comparing a source string costs a flatten when it was built by concatenation, and a Map lookup a flatten and a
  // hash. A clean document needs neither.
  if ((doc.emptyKinds & KIND_BIT[policy.kind]) !== 0) return CLEAN;
  if (doc.entry && doc.kind === policy.kind && doc.source === policy.source) return doc.entry;
  let all = doc.all;
  if (!all) {
    all = new Map();
    if (doc.entry) all.set(doc.source, new Map([[doc.kind, doc.entry]]));
    doc.all = all;
  }
  let byKind = all.get(policy.source);
  if (!byKind) {
    byKind = new Map();
    all.set(policy.source, byKind);
  }
  let entry = byKind.get(policy.kind);
  if (!entry) {
    entry = startLint(policy, lint, doc);
    byKind.set(policy.kind, entry);
  }
  doc.source = policy.source;
  doc.kind = policy.kind;
  doc.entry = entry;
  return entry;
}

/**
 * Lints now: `lint` is synchronous (lint.ts), so the entry is settled from the start and its first caller needs no
 * await either. A throw is kept as a rejected promise, as the asynchronous lint gave it, with a handler attached only
 * so that it is not an unhandled rejection: every caller still sees the rejection through `promise`.
 */
function startLint(policy: NamedPolicy, lint: (p: NamedPolicy) => readonly Warning[], doc: DocumentLints): LintEntry {
  let warnings: readonly Warning[];
  try {
    warnings = lint(policy);
  } catch (error) {
    const promise = Promise.reject(error);
    promise.catch(ignoreRejection);
    return { promise, settled: undefined };
  }
  const bit = KIND_BIT[policy.kind];
  if (warnings.length === 0 && bit !== undefined) doc.emptyKinds |= bit;
  return { promise: Promise.resolve(warnings), settled: warnings };
}

function ignoreRejection(): undefined {
  return undefined;
}
