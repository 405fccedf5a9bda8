import type { CallerProfile } from '../eval/caller-profile';
import type { NormalizedEvent } from '../event/types';
import type { PreflightCause } from './preflight';

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;

/**
 * A role "ARN" that is not one (a bare name, a truncated ARN): STS rejects the call with ValidationError before
 * any policy runs. Returns the ARN the caller most likely meant, in the account the call was made from.
 */
export function intendedRoleArn(event: NormalizedEvent, caller: CallerProfile): string | undefined {
  const sent = event.role.arn;
  if (!sent || ROLE_ARN.test(sent) || event.api === 'AssumeRoot') return undefined;
  const account = caller.accountId ?? event.recipientAccountId;
  // The intended ARN must itself pass ROLE_ARN, or its re-diagnosis would land here again, forever (issue 9).
  if (!account || !/^\d{12}$/.test(account)) return undefined;
  // A bare name, or the tail of a mangled ARN: the role name is what follows the last ':' or '/'.
  const bare = sent.replace(/^.*[:/]/, '');
  return /^[\w+=,.@-]{1,64}$/.test(bare) ? `arn:aws:iam::${account}:role/${bare}` : undefined;
}

/**
 * Other validation failures name no policy at all: a session name or tag that breaks STS's constraints, a session
 * policy that is malformed or too large. They get a request-side explanation instead of a policy diagnosis.
 */
export function requestValidationCause(event: NormalizedEvent): PreflightCause | undefined {
  const code = event.errorCode;
  const msg = event.errorMessage ?? '';
  if (code === 'MalformedPolicyDocument' || code === 'PackedPolicyTooLarge') {
    return {
      cause: 'UNEXPLAINED',
      policy: 'session',
      basis: `${code}: ${msg}`,
      summary:
        code === 'PackedPolicyTooLarge'
          ? 'The session policies or session tags passed with the call are too large once packed; STS refused the call before evaluating any trust or identity policy.'
          : 'The session policy passed with the call is not a valid policy document; STS refused the call before evaluating any trust or identity policy.',
      fix: {
        kind: 'caller',
        summary:
          code === 'PackedPolicyTooLarge'
            ? 'Pass fewer or shorter session tags and session policies (or fewer managed session policy ARNs).'
            : 'Fix the JSON of the --policy argument (validate it with aws accessanalyzer validate-policy --policy-type IDENTITY_POLICY).',
        commands: [],
        verified: false,
        admits: [],
      },
    };
  }
  if (code !== 'ValidationError' || /duration/i.test(msg) || /'roleArn'/.test(msg)) return undefined;
  const field = /at '([A-Za-z.]+)'/.exec(msg)?.[1];
  return {
    cause: 'UNEXPLAINED',
    policy: 'request',
    basis: `${code}: ${msg}`,
    summary: `STS rejected the request itself${field ? ` (parameter ${field})` : ''} before evaluating any policy: ${msg || 'ValidationError'}.`,
    fix: {
      kind: 'caller',
      summary:
        field === 'roleSessionName'
          ? 'Use a session name of 2 to 64 characters from [A-Za-z0-9_+=,.@-].'
          : `Correct the request${field ? ` parameter ${field}` : ''} so that it satisfies the constraint in the error message.`,
      commands: [],
      verified: false,
      admits: [],
    },
  };
}
