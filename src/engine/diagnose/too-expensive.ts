import type { WorkBudgetExceeded } from '../eval/work-budget';
import type { NormalizedEvent } from '../event/types';
import type { Finding, FindingPolicy } from '../finding/types';
import type { PolicyKind } from '../iam/policy-types';
import { buildFinding } from './finding-builder';

const KINDS: readonly PolicyKind[] = ['trust', 'identity', 'boundary', 'scp', 'rcp', 'session'];

/**
 * A policy whose evaluation spent its whole work budget (./eval/work-budget): the diagnosis names that policy and
 * stops, rather than hang on wildcard patterns or condition blocks shaped to be expensive. Nothing is blamed.
 */
export function tooExpensiveFinding(event: NormalizedEvent, exceeded: WorkBudgetExceeded): Finding {
  const kind = KINDS.find((k) => k === exceeded.policyKind);
  const policy: FindingPolicy = kind ?? 'unknown';
  return buildFinding(event, {
    cause: 'UNEXPLAINED',
    policy,
    summary:
      `The policy ${exceeded.policySource} was too expensive to evaluate: its wildcard patterns or ` +
      'condition block exceeded the work budget of one diagnosis against the values of this request, so no cause ' +
      'is named. Simplify that policy (fewer wildcards per pattern, fewer condition keys) and diagnose again.',
    evidence: [
      {
        policy,
        source: exceeded.policySource,
        statement: 'work budget exhausted',
        actual: 'too expensive to evaluate',
      },
    ],
    otherGaps: [],
    warnings: [],
    fix: {
      kind: 'policy',
      summary: `Simplify ${exceeded.policySource}; nothing else can be told from this diagnosis.`,
      commands: [],
      verified: false,
      admits: [],
    },
    confidence: 'low',
    unknowns: [{ key: exceeded.policySource, reason: 'too expensive to evaluate (work budget exhausted)' }],
  });
}
