import type { PolicySet } from '../../eval/authorization';
import type { OrgPolicyChain } from '../../iam/iam-facts';
import type { NamedPolicy } from '../../iam/policy-types';
import type { FixPatch } from './fix-types';

type Layer = NonNullable<FixPatch['replace']>[number]['layer'];

function replacesIn(patch: FixPatch, layer: Layer): boolean {
  return patch.replace?.some((r) => r.layer === layer) === true;
}

function replaceIn(policies: NamedPolicy[], patch: FixPatch, layer: string): NamedPolicy[] {
  return policies.map((p) => {
    const r = patch.replace?.find((x) => x.layer === layer && x.source === p.source);
    return r ? Object.assign({}, p, { document: r.document }) : p;
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

/**
 * The policy set as it would be with the fix applied (inputs are never mutated). What the patch leaves alone is
 * shared with `set` rather than copied: policy sets and their lists are only read once built.
 */
export function applyPatch(set: PolicySet, patch: FixPatch): PolicySet {
  const identity =
    set.identity === undefined
      ? patch.addIdentity
        ? [patch.addIdentity]
        : undefined
      : !patch.addIdentity && !replacesIn(patch, 'identity')
        ? set.identity
        : [...replaceIn(set.identity, patch, 'identity'), ...(patch.addIdentity ? [patch.addIdentity] : [])];
  const boundaryReplace = set.boundary
    ? patch.replace?.find((r) => r.layer === 'boundary' && r.source === set.boundary?.source)
    : undefined;
  return {
    ...set,
    trust: patch.trust ? Object.assign({}, set.trust, { document: patch.trust }) : set.trust,
    identity,
    boundary:
      boundaryReplace && set.boundary
        ? Object.assign({}, set.boundary, { document: boundaryReplace.document })
        : set.boundary,
    scps: replaceInChain(set.scps, patch, 'scp'),
    rcps: replaceInChain(set.rcps, patch, 'rcp'),
  };
}
