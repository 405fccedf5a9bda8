import type { CallerProfile } from '../eval/caller-profile';
import type { PolicyResult, StatementResult } from '../eval/policy-evaluator';
import { listPrincipals, UNIQUE_ID } from '../eval/principal-matcher';
import type { Lookup } from '../iam/iam-facts';
import { clauseEvidence, clauseUnknowns, describeClauses } from './clause-evidence';
import type { GapCandidate } from './gap-types';
import { findPrincipalNearMiss } from './principal-near-miss';

function callerWords(caller: CallerProfile): string {
  if (caller.type === 'AWSService') return `service ${caller.serviceName}`;
  if (caller.type === 'WebIdentityUser' || caller.type === 'SAMLUser')
    return `identity provider ${caller.federatedPrincipal ?? '(unknown)'}`;
  if (caller.type === 'AWSAccount') return `account ${caller.accountId}`;
  return caller.principalArn ?? caller.sessionArn ?? 'the caller';
}

function allowStatements(trust: PolicyResult): StatementResult[] {
  return trust.statements.filter((s) => s.statement.Effect === 'Allow');
}

function conditionGap(trust: PolicyResult, st: StatementResult, action: string): GapCandidate {
  const source = trust.policy.source;
  const failed = st.condition.clauses.filter((c) => c.result === false);
  const unknowns = clauseUnknowns(st.condition.clauses);
  const definite = failed.length > 0;
  const shown = definite ? failed : st.condition.clauses.filter((c) => c.result === 'unknown');
  const summary = definite
    ? `The trust policy statement ${st.label} names the caller, but its condition failed: ${describeClauses(failed)}.`
    : `The trust policy statement ${st.label} names the caller, but it depends on ${unknowns.map((u) => u.key).join(', ')}, which the event cannot tell: the call is denied if it did not hold.`;
  return {
    cause: 'TRUST_CONDITION_FAILED',
    policy: 'trust',
    action,
    summary,
    evidence: shown.map((c) => clauseEvidence('trust', source, st.label, c, st.statement)),
    certainty: definite ? 'definite' : 'possible',
    unknowns,
    target: { kind: 'trust-statement', index: st.index, failedClauses: definite ? failed : undefined },
  };
}

function actionGap(trust: PolicyResult, st: StatementResult, action: string): GapCandidate {
  const written = st.statement.Action ?? st.statement.NotAction;
  return {
    cause: 'TRUST_ACTION_MISSING',
    policy: 'trust',
    action,
    summary: `The trust policy statement ${st.label} names the caller but does not allow ${action}${action === 'sts:TagSession' ? ' (needed because the call passes session tags)' : action === 'sts:SetSourceIdentity' ? ' (needed because the new session gets a source identity: set by this call, or carried over from the calling session in a role chain)' : ''}.`,
    evidence: [
      { policy: 'trust', source: trust.policy.source, statement: st.label, expected: [action], actual: written },
    ],
    certainty: 'definite',
    unknowns: clauseUnknowns(st.condition.clauses),
    target: { kind: 'trust-statement', index: st.index, missingAction: action },
  };
}

/**
 * Why the trust policy did not allow this action for this caller. Picks the statement closest to allowing:
 * one that names the caller and the action but whose condition failed, then one that names the caller but not the
 * action, and otherwise a principal problem (deleted principal shown as a unique ID, near-miss ARN, or simply missing).
 */
export function classifyTrustGap(
  trust: PolicyResult,
  caller: CallerProfile,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
): GapCandidate {
  const action = trust.action;
  const allows = allowStatements(trust);
  const principalOk = allows.filter((s) => s.principalApplies !== false);
  const conditionFailures = principalOk
    .filter((s) => s.actionMatches && s.condition.result !== true)
    .sort((a, b) => score(a) - score(b));
  if (conditionFailures.length > 0) return conditionGap(trust, conditionFailures[0], action);
  const actionFailures = principalOk.filter((s) => !s.actionMatches);
  if (actionFailures.length > 0) {
    const best = actionFailures.find((s) => s.condition.result !== false) ?? actionFailures[0];
    return actionGap(trust, best, action);
  }
  return principalGap(trust, caller, uniqueIds, action);
}

function score(s: StatementResult): number {
  return (
    s.condition.clauses.filter((c) => c.result === false).length * 10 +
    s.condition.clauses.filter((c) => c.result === 'unknown').length
  );
}

function principalGap(
  trust: PolicyResult,
  caller: CallerProfile,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
  action: string,
): GapCandidate {
  const source = trust.policy.source;
  const allows = allowStatements(trust);
  const deleted = findDeletedPrincipal(allows, caller, uniqueIds);
  if (deleted) {
    return {
      cause: 'TRUST_PRINCIPAL_DELETED',
      policy: 'trust',
      action,
      summary:
        `The trust policy statement ${deleted.st.label} names ${deleted.id}, a unique ID: IAM shows a principal that way after it was deleted. ` +
        `${callerWords(caller)}${caller.uniqueId ? ` (now ${caller.uniqueId})` : ''} is a different principal even if it has the same name, so recreating it did not restore trust.`,
      evidence: [
        {
          policy: 'trust',
          source,
          statement: deleted.st.label,
          expected: [deleted.id],
          actual: [caller.principalArn ?? caller.sessionArn, caller.uniqueId].filter(Boolean),
        },
      ],
      certainty: 'definite',
      unknowns: [],
      target: { kind: 'trust-statement', index: deleted.st.index, replacePrincipal: deleted.id },
    };
  }
  const nearMiss = findPrincipalNearMiss(allows, caller);
  const named = allows.flatMap((s) => listPrincipals(s.statement.Principal).map(([t, v]) => `${t}:${v}`));
  const summary = nearMiss
    ? `The trust policy does not name ${callerWords(caller)}. Statement ${nearMiss.st.label} names ${nearMiss.value}, which looks like a mistake for it (${nearMiss.why}).`
    : `The trust policy does not name ${callerWords(caller)} in any statement that allows ${action}.`;
  const unknownPrincipal = allows.some((s) => s.principalApplies === 'unknown');
  return {
    cause: 'TRUST_PRINCIPAL_MISSING',
    policy: 'trust',
    action,
    summary,
    evidence: (nearMiss ? [nearMiss.st] : allows)
      .map((s) => ({
        policy: 'trust' as const,
        source,
        statement: s.label,
        expected: listPrincipals(s.statement.Principal).map(([, v]) => v),
        actual: [
          caller.principalArn ??
            caller.sessionArn ??
            caller.serviceName ??
            caller.federatedPrincipal ??
            caller.accountId ??
            'unknown',
        ],
      }))
      .slice(0, 5)
      .concat(
        named.length === 0
          ? [{ policy: 'trust', source, statement: 'no Allow statement', expected: [], actual: [callerWords(caller)] }]
          : [],
      ),
    certainty: unknownPrincipal ? 'possible' : 'definite',
    unknowns: unknownPrincipal
      ? [
          {
            key: 'caller principal',
            reason:
              "the role owner's copy of a cross-account call names only the caller's account, so a trust entry naming a specific principal there cannot be matched",
          },
        ]
      : [],
    target: { kind: 'trust-add-principal', nearMissIndex: nearMiss?.st.index, nearMissValue: nearMiss?.value },
  };
}

function findDeletedPrincipal(
  allows: StatementResult[],
  caller: CallerProfile,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
): { st: StatementResult; id: string } | undefined {
  const wantedPrefix = caller.type === 'IAMUser' ? 'AIDA' : caller.type === 'AssumedRole' ? 'AROA' : undefined;
  if (!wantedPrefix) return undefined;
  for (const st of allows) {
    if (!st.actionMatches) continue;
    for (const [type, value] of listPrincipals(st.statement.Principal)) {
      if (type !== 'AWS' || !UNIQUE_ID.test(value) || !value.startsWith(wantedPrefix) || value === caller.uniqueId)
        continue;
      // A unique ID that still resolves to a live principal is not a deleted one.
      if (uniqueIds.get(value)?.status === 'found') continue;
      return { st, id: value };
    }
  }
  return undefined;
}
