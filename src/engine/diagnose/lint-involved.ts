import type { PolicySet } from '../eval/authorization';
import { matchesAction } from '../eval/wildcard';
import type { Warning } from '../finding/types';
import type { NamedPolicy } from '../iam/policy-types';
import { lintPolicy } from './lint';
import { rolePathWarnings } from './lint-trust-mistakes';

/** Only identity-side policies that mention STS are linted: warnings about unrelated statements would be noise. */
function mentionsSts(p: NamedPolicy): boolean {
  let known = mentionsStsCache.get(p.document);
  if (known === undefined) {
    known = p.document.Statement.some((s) => {
      const actions = [s.Action ?? [], s.NotAction ?? []].flat();
      return actions.some((a) => /^st[a-z]?s?:/i.test(a) || matchesAction(a, 'sts:AssumeRole'));
    });
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
export async function lintInvolvedPolicies(set: PolicySet): Promise<Warning[]> {
  const policies: NamedPolicy[] = [
    set.trust,
    ...(set.identity ?? []).filter(mentionsSts),
    ...(set.boundary && mentionsSts(set.boundary) ? [set.boundary] : []),
  ];
  const lists = await Promise.all(policies.map((p) => lintPolicy(p)));
  return [...lists.flat(), ...rolePathWarnings(set)];
}
