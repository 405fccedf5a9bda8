import type { StatedReason } from '../event/aws-stated-reason';
import type { Finding, Unknown } from '../finding/types';
import type { GapCandidate } from './gap-types';

/**
 * Where the blame goes when some conditions are unknown, and how sure the finding is. The rules:
 *  - Unknowns never move the blame. A gap the policies prove ("definite") outranks one that hinges on a key the event
 *    cannot tell ("possible"): the primary cause is the policy that denies whatever the unknown value is. Only when
 *    nothing in view proves a denial does the possible gap become the cause, at confidence "low".
 *  - What AWS states in errorMessage is evidence (IAM User Guide, "Troubleshoot access denied error messages": the
 *    message names the policy type that denied). A gap on the side AWS names is the cause, and its own unknowns do
 *    not lower the confidence: AWS has already told which way they went.
 *  - Confidence agrees with the unknowns listed. "high": no listed unknown can clear the cause; "medium": the cause
 *    is proven but a listed unknown bears on it (a condition of the same statement, a policy of the same layer that
 *    could not be read); "low": the cause rests on a listed unknown. An unknown that cannot clear the cause (an SCP
 *    not in view can only add a denial to a trust policy that omits the caller) says so in its reason.
 */
export interface Blame {
  primary: GapCandidate;
  confidence: Finding['confidence'];
  /** Every unknown, with the ones that cannot clear the cause marked in their reason. */
  unknowns: Unknown[];
  /** AWS's errorMessage names the primary gap's side. */
  statedByAws: boolean;
}

/** Does the gap sit on the side, and of the kind (explicit deny or missing allow), that AWS names? */
export function agreesWithStated(stated: StatedReason | undefined, gap: GapCandidate): boolean {
  if (!stated || stated.layer !== gap.policy) return false;
  // SCP_DENY and RCP_DENY name both an explicit deny and a level without an Allow: the target tells which.
  const deny = gap.target?.kind === 'deny-statement';
  return stated.kind === 'explicit-deny' ? deny : !deny;
}

/** The `statement` of the evidence item that carries AWS's own reason from errorMessage. */
export const STATED_EVIDENCE = 'stated by AWS in errorMessage';

/** Said in the reason of a listed unknown that cannot clear the cause (the finding's confidence is not lowered by it). */
export const CANNOT_CLEAR = 'this cannot clear the cause found (it could only add another reason for the denial)';
/** Said in the reason of an unknown on the side AWS's errorMessage names. */
export const STATED = "AWS's errorMessage names the policy type that denied, so this does not change the cause";

/** Marks the unknowns of a proven cause: none of them lowered its confidence, so each says it cannot clear it. */
export function markCannotClear(unknowns: Unknown[]): Unknown[] {
  return unknowns.map(cannotClear);
}

/** One unknown marked as unable to clear the cause (module-level: no callback made per call of markCannotClear). */
function cannotClear(u: Unknown): Unknown {
  return u.canClearCause === false ? u : settledCopy(u, CANNOT_CLEAR);
}

/** Marks an unknown on the side AWS's errorMessage names: the stated policy type decides, whatever its value. */
export function markStated(u: Unknown): Unknown {
  return u.canClearCause === false ? u : settledCopy(u, STATED);
}

/**
 * `{ ...u, reason: `${u.reason}; ${why}`, canClearCause: false }`. Under this Node's V8 an object spread followed by
 * further properties leaves the fast path (about 0.6 µs a copy, and a finding copies several unknowns), so the plain
 * { key, reason } object the engine makes is copied as a literal: the same properties, in the same order, read in
 * the same order (key, reason, then reason again for the new text, as the spread reads them). Anything else, an
 * extra or a symbol-keyed property included, takes the spread itself.
 */
function settledCopy(u: Unknown, why: string): Unknown {
  const keys = Object.keys(u);
  if (keys.length !== 2 || keys[0] !== 'key' || keys[1] !== 'reason' || Object.getOwnPropertySymbols(u).length !== 0)
    return { ...u, reason: `${u.reason}; ${why}`, canClearCause: false };
  const key = u.key;
  void u.reason; // the read the spread makes to copy reason, before the one for the new text
  return { key, reason: `${u.reason}; ${why}`, canClearCause: false };
}

/**
 * Picks the primary gap (gaps arrive definite first) and the confidence. `bearing` are the unknowns that could clear
 * the cause (the gap's own unknowns, policies of its layer that could not be read); `listed` is every unknown the
 * finding shows for it.
 */
export function assignBlame(
  gaps: GapCandidate[],
  stated: StatedReason | undefined,
  bearingFor: (gap: GapCandidate) => Unknown[],
  listedFor: (gap: GapCandidate) => Unknown[],
): Blame {
  const primary = gaps.find((g) => agreesWithStated(stated, g)) ?? gaps[0];
  const statedByAws = agreesWithStated(stated, primary);
  const bearing = new Set(bearingFor(primary).map(keyOf));
  const definite = primary.certainty === 'definite' || statedByAws;
  const confidence: Finding['confidence'] =
    statedByAws || (definite && bearing.size === 0) ? 'high' : definite ? 'medium' : 'low';
  // A possible cause rests on everything not in view; only a proven (or AWS-stated) one can say what cannot clear it.
  const listed = listedFor(primary);
  const unknowns = definite ? listed.map((u) => markProven(u, statedByAws, bearing)) : listed.map(unchanged);
  return { primary, confidence, unknowns, statedByAws };
}

/** An unknown of a proven cause: on the side AWS names, or (unless it bears on the cause) unable to clear it. */
function markProven(u: Unknown, statedByAws: boolean, bearing: ReadonlySet<string>): Unknown {
  if (statedByAws && bearing.has(u.key)) return markStated(u);
  return bearing.has(u.key) ? u : cannotClear(u);
}

function keyOf(u: Unknown): string {
  return u.key;
}

function unchanged(u: Unknown): Unknown {
  return u;
}

/** What would change a cause that rests on unknowns, said in the summary so it never claims more than the evidence. */
export function whatWouldChangeIt(blame: Blame): string {
  const { primary, confidence } = blame;
  if (confidence !== 'low' || primary.unknowns.length === 0) return '';
  const keys = [...new Set(primary.unknowns.map((u) => u.key))].join(', ');
  return ` Nothing in view proves another cause, so this is the likeliest one; if ${keys} did hold, the denial came from something not in view (a session policy, an SCP or RCP, a VPC endpoint policy).`;
}
