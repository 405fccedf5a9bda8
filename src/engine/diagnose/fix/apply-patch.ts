import type { PolicySet } from '../../eval/authorization';
import { transientPolicy } from '../../eval/policy-evaluator';
import type { OrgPolicyChain } from '../../iam/iam-facts';
import type { NamedPolicy } from '../../iam/policy-types';
import type { FixPatch } from './fix-types';

type Layer = NonNullable<FixPatch['replace']>[number]['layer'];

function replacesIn(patch: FixPatch, layer: Layer): boolean {
  return patch.replace?.some((r) => r.layer === layer) === true;
}

/**
 * `policy` with `document` in place of its own: the one `previous` (an earlier patched set of the same policies)
 * already holds for it when there is one. That keeps the object, so an evaluation that re-reads it on the same
 * request context finds its result kept (the evaluator remembers results per context and policy object).
 */
function withDocument(
  policy: NamedPolicy,
  document: NamedPolicy['document'],
  previous: NamedPolicy | null | undefined,
): NamedPolicy {
  return previous && previous.document === document && previous.source === policy.source
    ? previous
    : transientPolicy(policy, document);
}

function replaceIn(
  policies: NamedPolicy[],
  patch: FixPatch,
  layer: string,
  previous?: readonly NamedPolicy[],
): NamedPolicy[] {
  return policies.map((p, i) => {
    const r = patch.replace?.find((x) => x.layer === layer && x.source === p.source);
    return r ? withDocument(p, r.document, previous?.[i]) : p;
  });
}

function replaceInChain(
  chain: OrgPolicyChain | null | undefined,
  patch: FixPatch,
  layer: 'scp' | 'rcp',
): OrgPolicyChain | null | undefined {
  // A layer the patch does not touch is the chain as it is (never edited, only read), not a copy of it.
  if (!chain || !replacesIn(patch, layer)) return chain;
  return {
    ...chain,
    levels: chain.levels.map((l) =>
      Object.assign({}, l, {
        scps: layer === 'scp' ? replaceIn(l.scps, patch, 'scp') : l.scps,
        rcps: layer === 'rcp' ? replaceIn(l.rcps, patch, 'rcp') : l.rcps,
      }),
    ),
  };
}

/** A policy the fix adds: its document is the fix's own, built for this diagnosis (NamedPolicy.transient). */
function asTransient(policy: NamedPolicy): NamedPolicy {
  return policy.transient === true ? policy : transientPolicy(policy, policy.document);
}

/**
 * The policy set as it would be with the fix applied (inputs are never mutated). Every policy whose document the
 * fix changed or added is marked transient, so the evaluator does not keep its compiled form beyond the diagnosis.
 * What the patch leaves alone is shared with `set` rather than copied: policy sets and their lists are only read
 * once built. `previous`, an earlier result of applyPatch on the same `set` (or `set` itself), lends the policies it
 * already patched with the same document (see withDocument).
 */
export function applyPatch(set: PolicySet, patch: FixPatch, previous?: PolicySet): PolicySet {
  const identity =
    set.identity === undefined
      ? patch.addIdentity
        ? [asTransient(patch.addIdentity)]
        : undefined
      : !patch.addIdentity && !replacesIn(patch, 'identity')
        ? set.identity
        : [
            ...replaceIn(set.identity, patch, 'identity', previous?.identity),
            ...(patch.addIdentity ? [asTransient(patch.addIdentity)] : []),
          ];
  const boundaryReplace = set.boundary
    ? patch.replace?.find((r) => r.layer === 'boundary' && r.source === set.boundary?.source)
    : undefined;
  return {
    ...set,
    trust: patch.trust ? withDocument(set.trust, patch.trust, previous?.trust) : set.trust,
    identity,
    boundary:
      boundaryReplace && set.boundary
        ? withDocument(set.boundary, boundaryReplace.document, previous?.boundary)
        : set.boundary,
    scps: replaceInChain(set.scps, patch, 'scp'),
    rcps: replaceInChain(set.rcps, patch, 'rcp'),
  };
}
