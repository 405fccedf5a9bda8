import type { PolicySet } from '../../eval/authorization';
import type { OrgPolicyChain } from '../../iam/iam-facts';
import type { NamedPolicy } from '../../iam/policy-types';
import type { FixPatch } from './fix-types';

function replaceIn(policies: NamedPolicy[], patch: FixPatch, layer: string): NamedPolicy[] {
  return policies.map((p) => {
    const r = patch.replace?.find((x) => x.layer === layer && x.source === p.source);
    return r ? Object.assign({}, p, { document: r.document, transient: true }) : p;
  });
}

function replaceInChain(
  chain: OrgPolicyChain | null | undefined,
  patch: FixPatch,
  layer: 'scp' | 'rcp',
): OrgPolicyChain | null | undefined {
  if (!chain) return chain;
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
  return policy.transient === true ? policy : Object.assign({}, policy, { transient: true });
}

/**
 * The policy set as it would be with the fix applied (inputs are never mutated). Every policy whose document the
 * fix changed or added is marked transient, so the evaluator does not keep its compiled form beyond the diagnosis.
 */
export function applyPatch(set: PolicySet, patch: FixPatch): PolicySet {
  const identity =
    set.identity === undefined
      ? patch.addIdentity
        ? [asTransient(patch.addIdentity)]
        : undefined
      : [...replaceIn(set.identity, patch, 'identity'), ...(patch.addIdentity ? [asTransient(patch.addIdentity)] : [])];
  const boundaryReplace = set.boundary
    ? patch.replace?.find((r) => r.layer === 'boundary' && r.source === set.boundary?.source)
    : undefined;
  return {
    ...set,
    trust: patch.trust ? Object.assign({}, set.trust, { document: patch.trust, transient: true }) : set.trust,
    identity,
    boundary:
      boundaryReplace && set.boundary
        ? Object.assign({}, set.boundary, { document: boundaryReplace.document, transient: true })
        : set.boundary,
    scps: replaceInChain(set.scps, patch, 'scp'),
    rcps: replaceInChain(set.rcps, patch, 'rcp'),
  };
}
