/**
 * A work budget per policy evaluation: however a hostile policy or request is shaped, evaluating one policy does a
 * bounded amount of matching work, so a diagnosis can neither hang nor hold a Lambda slot for long (issue 9). The
 * wildcard matcher and the condition evaluator charge their steps here. When the budget is spent, the evaluation
 * throws {@link WorkBudgetExceeded} naming the policy, and the diagnosis reports that policy as too expensive to
 * evaluate instead of a cause.
 *
 * The budget is module state, which is safe because a policy evaluation is synchronous from start to end: no other
 * diagnosis can run in between. A diagnosis evaluates a bounded number of policies (those that apply to the call),
 * so its total work is bounded too; `npm run bench:adversarial` measures the worst case.
 */

/**
 * Steps one policy evaluation may spend: ~100x a large real policy (a trust policy is at most 4,096 characters; 20
 * patterns against 64-character values cost ~1,500 steps), about a millisecond of matching.
 */
export const POLICY_WORK_STEPS = 250_000;

/** What one condition clause costs beyond its matching (the clause result, lookups, evidence it may become). */
export const CLAUSE_WORK_STEPS = 32;

/** Thrown when a policy evaluation has spent its budget; the diagnosis catches it and reports `policySource`. */
export class WorkBudgetExceeded extends Error {
  constructor(
    readonly policySource: string,
    readonly policyKind: string,
  ) {
    super(`work budget exhausted while evaluating ${policySource}`);
    this.name = 'WorkBudgetExceeded';
  }
}

let remaining = Number.POSITIVE_INFINITY;
let currentSource = '';
let currentKind = '';

/** Charges matching steps; throws WorkBudgetExceeded when the running policy evaluation has none left. */
export function chargeWork(steps: number): void {
  remaining -= steps;
  if (remaining < 0) throw new WorkBudgetExceeded(currentSource, currentKind);
}

/** Runs one synchronous policy evaluation with a fresh budget; outside one, work is not limited (lint, fixes). */
export function withPolicyBudget<T>(source: string, kind: string, evaluate: () => T, steps = POLICY_WORK_STEPS): T {
  const depth = enterPolicyBudget(source, kind, steps);
  try {
    return evaluate();
  } finally {
    leavePolicyBudget(depth);
  }
}

// The budgets of enclosing evaluations, restored when the inner one leaves. Parallel arrays, not a stack of
// objects: the evaluator enters and leaves once per policy evaluated, and nothing is allocated once they have grown.
const outerRemaining: number[] = [];
const outerSource: string[] = [];
const outerKind: string[] = [];
let depthNow = 0;

/**
 * Starts a policy evaluation with a fresh budget; returns the depth that {@link leavePolicyBudget} must be given,
 * in a `finally`, when the evaluation ends (the same pairing as withPolicyBudget, without a closure per call).
 */
export function enterPolicyBudget(source: string, kind: string, steps = POLICY_WORK_STEPS): number {
  const depth = depthNow++;
  outerRemaining[depth] = remaining;
  outerSource[depth] = currentSource;
  outerKind[depth] = currentKind;
  remaining = steps;
  currentSource = source;
  currentKind = kind;
  return depth;
}

/** Ends the evaluation entered at `depth`, restoring the enclosing one's budget. */
export function leavePolicyBudget(depth: number): void {
  remaining = outerRemaining[depth];
  currentSource = outerSource[depth];
  currentKind = outerKind[depth];
  depthNow = depth;
}
