import {
  errorMessage,
  errorName,
  isAccessDenied,
  isNoSuchEntity,
  isTransientAwsError,
  TransientError,
} from '../../errors';

/** Labels an error with the IAM API that raised it, when one read is made of several calls. */
export class IamReadError extends Error {
  constructor(
    readonly api: string,
    override readonly cause: unknown,
  ) {
    super(`iam:${api}: ${errorMessage(cause)}`);
    this.name = 'IamReadError';
  }
}

/** What a failed IAM read means for the diagnosis. Transient failures never get here: they are thrown. */
export type ReadFailure = { kind: 'not-found' } | { kind: 'unknown'; reason: string };

/**
 * Sorts an IAM read error:
 *  - throttling that outlived the SDK's adaptive retries, 5xx, network → TransientError (thrown, the event is
 *    retried by EventBridge; the cache drops the rejected load so the retry really asks IAM again);
 *  - NoSuchEntity → not-found (for the role itself this becomes ROLE_NOT_FOUND in the engine);
 *  - AccessDenied → unknown, with the denied API in the reason, so the finding lists the gap in `unknowns`;
 *  - anything else IAM rejects (ValidationError for a malformed name, …) → unknown with the error.
 */
export function classifyReadError(thrown: unknown, defaultApi: string, what: string): ReadFailure {
  const api = thrown instanceof IamReadError ? thrown.api : defaultApi;
  const error = thrown instanceof IamReadError ? thrown.cause : thrown;
  if (isTransientAwsError(error)) {
    throw new TransientError(
      `iam:${api} for ${what} failed transiently (${errorName(error)}): ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  if (isNoSuchEntity(error)) return { kind: 'not-found' };
  if (isAccessDenied(error)) {
    return { kind: 'unknown', reason: `iam:${api} on ${what} was denied to trustgap (${errorName(error)})` };
  }
  return { kind: 'unknown', reason: `iam:${api} on ${what} failed: ${errorName(error)}: ${errorMessage(error)}` };
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; failure: ReadFailure };

/** Calls `read`, turning a failure into a ReadFailure (or a thrown TransientError). */
export async function attemptRead<T>(api: string, what: string, read: () => Promise<T>): Promise<ReadResult<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, failure: classifyReadError(error, api, what) };
  }
}

export function failureReason(failure: ReadFailure, what: string): string {
  return failure.kind === 'unknown' ? failure.reason : `${what} does not exist (NoSuchEntity)`;
}
