/**
 * Recognizes AWS SDK errors by their shape (name, code, fault, HTTP status), so that every layer sorts them the
 * same way: the live IAM reader, the history writer and the pipeline's retry decision.
 */
import { TransientError } from './transient-error';

interface AwsErrorShape {
  name?: string;
  code?: string;
  $fault?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'TransactionInProgressException',
]);

const SERVER_SIDE_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceFailure',
  'ServiceFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSThrottlingException',
  'KMSInternalException',
]);

/** Network and credential-refresh failures: nothing is wrong with the request itself. */
const NETWORK_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError',
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
/** The SDK sometimes re-wraps a socket error as a plain Error whose message is all that is left of the code. */
const NETWORK_MESSAGE = /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)\b|socket hang up/;

export function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const e = error as AwsErrorShape;
  return e.name ?? e.code ?? 'Error';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for throttling (after the SDK's own retries), server-side faults, and network/credential hiccups. */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorShape;
  const name = e.name ?? '';
  if (THROTTLING_NAMES.has(name) || SERVER_SIDE_NAMES.has(name) || NETWORK_NAMES.has(name)) return true;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return true;
  if (error instanceof Error && NETWORK_MESSAGE.test(error.message)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.$fault === 'server') return true;
  return false;
}

export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation';
}

export function isNoSuchEntity(error: unknown): boolean {
  const name = errorName(error);
  return name === 'NoSuchEntity' || name === 'NoSuchEntityException';
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}
