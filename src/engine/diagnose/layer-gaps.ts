import type { ActionAuthorization, Layer, LayerResult } from '../eval/authorization';
import type { CallerProfile } from '../eval/caller-profile';
import type { PolicyResult, StatementResult } from '../eval/policy-evaluator';
import type { Cause, Evidence } from '../finding/types';
import type { Lookup } from '../iam/iam-facts';
import { toArray } from '../iam/policy-document';
import { clauseEvidence, clauseUnknowns, describeClauses } from './clause-evidence';
import type { GapCandidate } from './gap-types';
import { suggestActionName } from './lint';
import { classifyTrustGap } from './trust-gaps';

const DENY_CAUSE: Record<Layer, Cause> = {
  trust: 'TRUST_EXPLICIT_DENY',
  identity: 'IDENTITY_EXPLICIT_DENY',
  boundary: 'BOUNDARY_EXPLICIT_DENY',
  scp: 'SCP_DENY',
  rcp: 'RCP_DENY',
};

const LAYER_WORDS: Record<Layer, string> = {
  trust: "the role's trust policy",
  identity: "the caller's identity policy",
  boundary: "the caller's permissions boundary",
  scp: 'a service control policy',
  rcp: 'a resource control policy',
};

function denyGaps(layer: LayerResult, action: string): GapCandidate[] {
  const gaps: GapCandidate[] = [];
  for (const result of layer.results) {
    for (const st of result.statements) {
      if (st.effect !== 'Deny' || st.applies === false) continue;
      const matched = st.condition.clauses.filter((c) => c.result === true);
      const evidence: Evidence[] = matched.length
        ? matched.map((c) => clauseEvidence(layer.layer, result.policy.source, st.label, c, st.statement))
        : [
            {
              policy: layer.layer,
              source: result.policy.source,
              statement: st.label,
              expected: toArray(st.statement.Action ?? st.statement.NotAction),
              actual: [action],
            },
          ];
      gaps.push({
        cause: DENY_CAUSE[layer.layer],
        policy: layer.layer,
        action,
        summary:
          st.applies === true
            ? `An explicit Deny in ${LAYER_WORDS[layer.layer]} (${result.policy.source}, statement ${st.label}) matches this call${matched.length ? `: ${describeClauses(matched)}` : ''}. An explicit deny overrides every allow.`
            : `A Deny in ${LAYER_WORDS[layer.layer]} (${result.policy.source}, statement ${st.label}) applies if ${clauseUnknowns(
                st.condition.clauses,
              )
                .map((u) => u.key)
                .join(', ')} held, which the event cannot tell.`,
        evidence,
        certainty: st.applies === true ? 'definite' : 'possible',
        unknowns: clauseUnknowns(st.condition.clauses),
        target: { kind: 'deny-statement', layer: layer.layer, policySource: result.policy.source, index: st.index },
      });
    }
  }
  return gaps;
}

/** Statements that allow the action but not on this role (or only under a failed condition): near misses for evidence. */
function nearMissEvidence(
  results: PolicyResult[],
  layer: Layer,
  roleArn: string,
  action: string,
): {
  evidence: Evidence[];
  best?: { result: PolicyResult; st: StatementResult };
  typoAt?: { result: PolicyResult; st: StatementResult; typo: string };
} {
  const evidence: Evidence[] = [];
  let best: { result: PolicyResult; st: StatementResult } | undefined;
  let typoAt: { result: PolicyResult; st: StatementResult; typo: string } | undefined;
  for (const result of results) {
    for (const st of result.statements) {
      if (st.statement.Effect !== 'Allow') continue;
      if (!st.actionMatches) {
        // A near miss: the statement would allow the call but for a misspelt action (sts:AsumeRole).
        const typo = misspeltActionFor(st, action);
        if (typo && st.resourceMatches !== false) {
          evidence.push({
            policy: layer,
            source: result.policy.source,
            statement: st.label,
            expected: [action],
            actual: [typo],
          });
          typoAt = typoAt ?? { result, st, typo };
        }
        continue;
      }
      if (st.resourceMatches === false) {
        evidence.push({
          policy: layer,
          source: result.policy.source,
          statement: st.label,
          // Evidence values are lists (the corpus convention), whichever form the policy wrote.
          expected: toArray(st.statement.Resource ?? st.statement.NotResource),
          actual: [roleArn],
        });
      } else if (st.condition.result === false) {
        const failed = st.condition.clauses.filter((c) => c.result === false);
        evidence.push(...failed.map((c) => clauseEvidence(layer, result.policy.source, st.label, c, st.statement)));
        best = best ?? { result, st };
      }
    }
  }
  return { evidence, best, typoAt };
}

function misspeltActionFor(st: StatementResult, action: string): string | undefined {
  const actions =
    st.statement.Action === undefined
      ? []
      : Array.isArray(st.statement.Action)
        ? st.statement.Action
        : [st.statement.Action];
  return actions.find((a) => suggestActionName(a)?.toLowerCase() === action.toLowerCase());
}

function identityNeedReason(action: string, sameAccount: ActionAuthorization['sameAccount']): string {
  if (action === 'sts:AssumeRoot') return "AssumeRoot has no trust policy: only the caller's own policies can grant it";
  if (sameAccount === false)
    return "the call crosses accounts, and cross-account access needs both the trust policy and the caller's identity policy";
  return "the trust policy names only the caller's account, which delegates the decision to the caller's identity policies";
}

function noAllowGap(
  layer: LayerResult,
  action: string,
  roleArn: string,
  caller: CallerProfile,
  sameAccount: ActionAuthorization['sameAccount'],
): GapCandidate {
  const cause: Cause =
    layer.layer === 'identity'
      ? 'IDENTITY_NO_ALLOW'
      : layer.layer === 'boundary'
        ? 'BOUNDARY_NO_ALLOW'
        : layer.layer === 'scp'
          ? 'SCP_DENY'
          : 'RCP_DENY';
  const near = nearMissEvidence(layer.results, layer.layer, roleArn, action);
  const who = caller.principalArn ?? caller.accountId ?? 'the caller';
  const why =
    layer.layer === 'identity'
      ? `No identity policy of ${who} allows ${action} on ${roleArn}. It is needed because ${identityNeedReason(action, sameAccount)}.`
      : layer.layer === 'boundary'
        ? `The permissions boundary of ${who} (${layer.results[0]?.policy.source}) does not allow ${action} on ${roleArn}; a boundary caps what the identity policies grant.`
        : `No ${layer.layer === 'scp' ? 'SCP' : 'RCP'} attached at ${layer.missingAllowAt ?? 'one level of the organization'} allows ${action}; every level from the root down must allow it.`;
  const evidence: Evidence[] = near.evidence.length
    ? near.evidence
    : [
        {
          policy: layer.layer,
          source: layer.results.map((r) => r.policy.source).join(', ') || `no ${layer.layer} policies`,
          statement: 'no statement allows it',
          expected: [action],
          actual: [],
        },
      ];
  return {
    cause,
    policy: layer.layer,
    action,
    summary: why,
    evidence,
    certainty: layer.allow === false ? 'definite' : 'possible',
    unknowns: layer.results.flatMap((r) =>
      r.statements.flatMap((s) => (s.effect === 'Allow' && s.actionMatches ? clauseUnknowns(s.condition.clauses) : [])),
    ),
    target:
      layer.layer === 'identity'
        ? near.typoAt
          ? {
              kind: 'identity-allow',
              statementSource: near.typoAt.result.policy.source,
              index: near.typoAt.st.index,
              misspeltAction: near.typoAt.typo,
            }
          : { kind: 'identity-allow' }
        : layer.layer === 'boundary'
          ? { kind: 'boundary-allow' }
          : { kind: 'org-allow', layer: layer.layer === 'rcp' ? 'rcp' : 'scp', target: layer.missingAllowAt ?? '' },
  };
}

function unreadableIdentityGap(action: string, roleArn: string, caller: CallerProfile): GapCandidate {
  return {
    cause: 'IDENTITY_NO_ALLOW',
    policy: 'identity',
    action,
    summary: `The role's side allows the call, and a cross-account call also needs an identity policy in account ${caller.accountId ?? '?'} that allows ${action} on ${roleArn}. Those policies are not visible here, so this is the likeliest gap: to confirm it, give trustgap the caller account's IAM (its snapshot, or the organization deployment's reader role in that account).`,
    evidence: [
      {
        policy: 'identity',
        source: `identity policies in account ${caller.accountId ?? '?'}`,
        statement: 'not visible',
        expected: [action],
        actual: null,
      },
    ],
    certainty: 'possible',
    unknowns: [{ key: 'caller identity policies', reason: "the caller's account is not visible to this diagnosis" }],
    target: { kind: 'identity-allow' },
  };
}

/** Every gap in one action's authorization, explicit denies first, then missing allows in evaluation order. */
export function collectGaps(
  auth: ActionAuthorization,
  caller: CallerProfile,
  roleArn: string,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
): GapCandidate[] {
  const { layers, action } = auth;
  const order: Layer[] = ['scp', 'rcp', 'trust', 'identity', 'boundary'];
  const gaps: GapCandidate[] = order.flatMap((l) => denyGaps(layers[l], action));
  if (layers.trust.allow !== true) gaps.push(classifyTrustGap(layers.trust.results[0], caller, uniqueIds));
  for (const l of ['identity', 'boundary', 'scp', 'rcp'] as const) {
    const layer = layers[l];
    if (layer.required === false || layer.allow === true) continue;
    if (layer.results.length === 0 && layer.allow === 'unknown') {
      // Could not be read (another account, owner-side copy…). A cross-account call always needs the caller's allow,
      // so when nothing else explains the denial this is the likeliest gap; it stays "possible", never definite.
      if (l === 'identity' && layer.required === true) gaps.push(unreadableIdentityGap(action, roleArn, caller));
      continue;
    }
    gaps.push(noAllowGap(layer, action, roleArn, caller, auth.sameAccount));
  }
  return gaps.sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'definite' ? -1 : 1));
}
