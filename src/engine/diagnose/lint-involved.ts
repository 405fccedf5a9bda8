import type { PolicySet } from '../eval/authorization';
import { matchesAction } from '../eval/wildcard';
import type { Warning } from '../finding/types';
import type { MaybePromise } from '../iam/look-up';
import type { NamedPolicy, PolicyStatement } from '../iam/policy-types';
import { lintEntryOf } from './lint';
import type { LintEntry } from './lint-cache';
import { rolePathWarnings } from './lint-trust-mistakes';

const STS_PREFIX = /^st[a-z]?s?:/i;

function mentionsStsAction(a: string): boolean {
  return STS_PREFIX.test(a) || matchesAction(a, 'sts:AssumeRole');
}

/**
 * Does the statement's Action or NotAction name an STS action? Read in place: the same elements, in the same order,
 * as [Action ?? [], NotAction ?? []].flat() (a hole skipped), without building that array for every statement.
 */
function statementMentionsSts(s: PolicyStatement): boolean {
  return elementMentionsSts(s.Action) || elementMentionsSts(s.NotAction);
}

function elementMentionsSts(element: string | string[] | undefined | null): boolean {
  if (element === undefined || element === null) return false;
  if (!Array.isArray(element)) return mentionsStsAction(element);
  for (let i = 0; i < element.length; i++) if (i in element && mentionsStsAction(element[i])) return true;
  return false;
}

/** Only identity-side policies that mention STS are linted: warnings about unrelated statements would be noise. */
function mentionsSts(p: NamedPolicy): boolean {
  let known = mentionsStsCache.get(p.document);
  if (known === undefined) {
    known = p.document.Statement.some(statementMentionsSts);
    mentionsStsCache.set(p.document, known);
  }
  return known;
}

/** Snapshot and live-cache documents are shared read-only objects: decide once per document. */
const mentionsStsCache = new WeakMap<object, boolean>();

/**
 * Lint warnings for the policies this diagnosis rests on: the trust policy, and the caller's STS statements; and, from
 * the role's facts, identity statements that name the role without its path.
 */
export function lintInvolvedPolicies(set: PolicySet): MaybePromise<Warning[]> {
  // Entries in the order the warnings are listed: trust, the caller's STS identity policies, an STS boundary.
  const entries: LintEntry[] = [lintEntryOf(set.trust)];
  let settled = entries[0].settled !== undefined;
  for (const p of set.identity ?? []) {
    if (!mentionsSts(p)) continue;
    const entry = lintEntryOf(p);
    entries.push(entry);
    if (entry.settled === undefined) settled = false;
  }
  if (set.boundary && mentionsSts(set.boundary)) {
    const entry = lintEntryOf(set.boundary);
    entries.push(entry);
    if (entry.settled === undefined) settled = false;
  }
  // Every lint remembered and fulfilled (the usual case once a document has been seen): no promise per policy.
  if (settled) return warningsOf(set, entries, undefined);
  return Promise.all(entries.map(promiseOf)).then((lists) => warningsOf(set, entries, lists));
}

/** The entries' warnings in order (each list as settled, or as `lists` gives it), then the role-path warnings. */
function warningsOf(
  set: PolicySet,
  entries: LintEntry[],
  lists: ReadonlyArray<readonly Warning[]> | undefined,
): Warning[] {
  const out: Warning[] = [];
  for (let i = 0; i < entries.length; i++) {
    const list = lists ? lists[i] : (entries[i].settled as readonly Warning[]);
    for (let j = 0; j < list.length; j++) out.push(list[j]);
  }
  const paths = rolePathWarnings(set);
  for (let j = 0; j < paths.length; j++) out.push(paths[j]);
  return out;
}

function promiseOf(entry: LintEntry): Promise<readonly Warning[]> {
  return entry.promise;
}
