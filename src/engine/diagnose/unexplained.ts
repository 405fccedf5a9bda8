import type { CallerProfile } from '../eval/caller-profile';
import type { EventRequestContext } from '../eval/request-context';
import type { NormalizedEvent } from '../event/types';
import type { Finding, Warning } from '../finding/types';
import { buildFinding } from './finding-builder';
import type { GatheredFacts } from './gather-facts';

const REASONS = [
  'a policy changed between the call and this diagnosis (compare the snapshot time with the event time)',
  'a session policy passed when the calling session was created narrowed its permissions (not visible in CloudTrail)',
  'an SCP or RCP that is not visible here (give --org, or run the diagnosis where Organizations is readable)',
  'a VPC endpoint policy on the STS endpoint the call went through',
  'the caller used credentials other than the ones CloudTrail attributes the call to (e.g. a stale profile)',
];

/** The policies as they stand allow the call: say so, list what could still explain the denial. */
export function unexplainedFinding(
  event: NormalizedEvent,
  gathered: GatheredFacts,
  ctx: EventRequestContext,
  warnings: Warning[],
  allowed: boolean,
): Finding {
  return buildFinding(event, {
    cause: 'UNEXPLAINED',
    policy: allowed ? 'none' : 'unknown',
    summary: allowed
      ? `The trust, identity, boundary and organization policies as they stand allow this call. It was denied for a reason they do not show: ${REASONS.join('; ')}.`
      : `No gap can be proven from the policies that are visible. Possible reasons: ${REASONS.join('; ')}.`,
    evidence: [
      {
        policy: 'none',
        source: 'trustgap evaluation',
        statement: allowed ? 'all required policies allow the call' : 'no definite gap found',
      },
    ],
    otherGaps: [],
    warnings,
    fix: {
      kind: 'caller',
      summary: 'Nothing to change in the policies as they stand; check the listed reasons.',
      commands: [],
      verified: false,
      admits: [],
    },
    confidence: allowed ? 'medium' : 'low',
    unknowns: [...gathered.unknowns, ...ctx.unknownKeysConsulted],
  });
}

/** The role's account is not visible (no snapshot / another account): diagnose what the caller's side can show. */
export function roleUnknownFinding(event: NormalizedEvent, caller: CallerProfile, gathered: GatheredFacts): Finding {
  const reason = gathered.role.status === 'unknown' ? gathered.role.reason : 'the role is not known';
  return buildFinding(event, {
    cause: 'UNEXPLAINED',
    policy: 'unknown',
    summary: `The role ${event.role.arn ?? '(not named in the event)'} cannot be read: ${reason}. Diagnose this call in the role's account (CloudTrail logs a copy there${event.sharedEventId ? ` with sharedEventID ${event.sharedEventId}` : ''}).`,
    evidence: [{ policy: 'unknown', source: 'IAM facts', statement: 'role lookup', actual: reason }],
    otherGaps: [],
    warnings: [],
    fix: {
      kind: 'caller',
      summary: `Run trustgap with the role account's snapshot to see the trust side of ${caller.displayName}'s call.`,
      commands: [],
      verified: false,
      admits: [],
    },
    confidence: 'low',
    unknowns: [{ key: 'role trust policy', reason }, ...gathered.unknowns],
  });
}
