import type { NormalizedEvent } from '../event/types';
import type { Evidence, Fix } from '../finding/types';
import type { RoleFacts } from '../iam/iam-facts';
import type { FindingBody } from './finding-builder';
import { shellQuote } from './fix/shell';

/** DurationSeconds above the role's MaxSessionDuration fails validation before any policy is evaluated. */
export function checkSessionDuration(
  event: NormalizedEvent,
  role: RoleFacts,
): Omit<FindingBody, 'otherGaps' | 'warnings' | 'unknowns'> | undefined {
  const asked = event.request.durationSeconds;
  if (asked === undefined || asked <= role.maxSessionDuration) return undefined;
  // Snapshots do not carry MaxSessionDuration; only trust the default when the error says it was the duration.
  if (
    role.maxSessionDurationAssumed &&
    !(event.errorCode === 'ValidationError' && /duration/i.test(event.errorMessage ?? ''))
  )
    return undefined;
  const max = role.maxSessionDurationAssumed ? 'the default 3600' : String(role.maxSessionDuration);
  const evidence: Evidence[] = [
    {
      policy: 'request',
      source: 'CloudTrail event',
      statement: 'requestParameters.durationSeconds',
      expected: role.maxSessionDurationAssumed ? undefined : role.maxSessionDuration,
      actual: asked,
    },
  ];
  const canRaise = asked <= 43200;
  // Raising the role's maximum is an IAM change (it admits no one new); asking for less is the caller's change.
  const fix: Fix = {
    kind: canRaise ? 'policy' : 'caller',
    summary: canRaise
      ? `Ask for ${role.maxSessionDurationAssumed ? 'no more than the role allows' : `${role.maxSessionDuration} s or less`}, or raise the role's maximum session duration to ${asked} s.`
      : `Ask for at most 43200 s (12 h), the most any role allows.`,
    commands: canRaise
      ? [`aws iam update-role --role-name ${shellQuote(role.name)} --max-session-duration ${asked}`]
      : [],
    verified: false,
    admits: [],
  };
  return {
    cause: 'DURATION_TOO_LONG',
    policy: 'request',
    summary: `The call asked for a ${asked} s session, above the role's maximum session duration (${max} s).`,
    evidence,
    fix,
    confidence: 'high',
  };
}
