import type { ConditionClauseResult } from '../eval/conditions';
import type { Cause, Evidence, FindingPolicy, Unknown } from '../finding/types';

/**
 * One reason the call was (or may have been) denied, with enough detail for the fix builder.
 * `definite` gaps are proven by the policies; `possible` ones hinge on context keys the event cannot tell us.
 */
export interface GapCandidate {
  cause: Cause;
  policy: FindingPolicy;
  action: string;
  summary: string;
  evidence: Evidence[];
  certainty: 'definite' | 'possible';
  unknowns: Unknown[];
  target?: GapTarget;
}

/** Where the gap sits, so the fix can change exactly that spot. */
export type GapTarget =
  | {
      kind: 'trust-statement';
      index: number;
      failedClauses?: ConditionClauseResult[];
      missingAction?: string;
      replacePrincipal?: string;
    }
  | { kind: 'trust-add-principal'; nearMissIndex?: number; nearMissValue?: string }
  | {
      kind: 'deny-statement';
      layer: 'trust' | 'identity' | 'boundary' | 'scp' | 'rcp';
      policySource: string;
      index: number;
    }
  /** misspeltAction: the statement at statementSource/index names this typo of the needed action (a near miss). */
  | { kind: 'identity-allow'; statementSource?: string; index?: number; misspeltAction?: string }
  | { kind: 'boundary-allow' }
  | { kind: 'org-allow'; layer: 'scp' | 'rcp'; target: string };
