import type { PolicySet } from '../eval/authorization';
import type { NamedPolicy } from '../iam/policy-types';
import type { Warning } from '../finding/types';
import type { GatheredFacts } from './gather-facts';
import { lintPolicy } from './lint';
import { matchesAction } from '../eval/wildcard';

/** Only identity-side policies that mention STS are linted: warnings about unrelated statements would be noise. */
function mentionsSts(p: NamedPolicy): boolean {
  return p.document.Statement.some((s) => {
    const actions = [s.Action ?? [], s.NotAction ?? []].flat();
    return actions.some((a) => /^sts:/i.test(a) || matchesAction(a, 'sts:AssumeRole') || /^st[a-z]?s?:/i.test(a));
  });
}

/** Lint warnings for the policies this diagnosis rests on: the trust policy, and the caller's STS statements. */
export async function lintInvolvedPolicies(set: PolicySet, _gathered: GatheredFacts): Promise<Warning[]> {
  const policies: NamedPolicy[] = [set.trust, ...(set.identity ?? []).filter(mentionsSts), ...(set.boundary && mentionsSts(set.boundary) ? [set.boundary] : [])];
  const lists = await Promise.all(policies.map((p) => lintPolicy(p)));
  return lists.flat();
}
