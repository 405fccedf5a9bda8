import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';

/**
 * Connection and request timeouts of the function's SDK clients, well under its 60 s timeout.
 *
 * `requestTimeout` alone does NOT end a request in the installed @smithy/node-http-handler (4.14.2): its
 * `setRequestTimeout` (node_modules/@smithy/node-http-handler/dist-cjs/index.js) only logs
 * "[WARN] a request has exceeded the configured … requestTimeout … Init client requestHandler with
 * throwOnRequestTimeout=true to turn this into an error" unless `throwOnRequestTimeout` is set; with it, the request
 * is destroyed and rejected with a `TimeoutError` (code ETIMEDOUT). So both are set.
 */
export interface ClientTimeouts {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
}

/**
 * SNS: one attempt of at most 1 + 5 s. The SDK must not retry a Publish by itself: a publish that timed out may have
 * been delivered, and standard topics have no idempotency key, so the pipeline decides (notify-once.ts) how many
 * more attempts an unanswered publish gets — one.
 */
export const SNS_TIMEOUTS: ClientTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, maxAttempts: 1 };

/** DynamoDB: every write is conditional or idempotent, so the SDK may retry: 3 attempts of at most 1 + 3 s. */
export const DYNAMODB_TIMEOUTS: ClientTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  maxAttempts: 3,
};

function requestHandler(timeouts: ClientTimeouts) {
  return {
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/**
 * The longest a client can spend on one call: every attempt's connect and request timeouts, plus the standard
 * retry strategy's backoff between attempts (base 100 ms, doubling, capped at 20 s).
 */
export function worstCaseMs(timeouts: ClientTimeouts): number {
  let backoff = 0;
  for (let retry = 1; retry < timeouts.maxAttempts; retry += 1) backoff += Math.min(20_000, 100 * 2 ** retry);
  return timeouts.maxAttempts * (timeouts.connectionTimeoutMs + timeouts.requestTimeoutMs) + backoff;
}

export function createSnsClient(
  options: Pick<SNSClientConfig, 'endpoint' | 'region' | 'credentials'> & { timeouts?: ClientTimeouts } = {},
): SNSClient {
  const timeouts = options.timeouts ?? SNS_TIMEOUTS;
  return new SNSClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: options.credentials,
    maxAttempts: timeouts.maxAttempts,
    requestHandler: requestHandler(timeouts),
  });
}

export function createDynamoDbClient(
  options: Pick<DynamoDBClientConfig, 'endpoint' | 'region' | 'credentials'> & { timeouts?: ClientTimeouts } = {},
): DynamoDBClient {
  const timeouts = options.timeouts ?? DYNAMODB_TIMEOUTS;
  return new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: options.credentials,
    retryMode: 'adaptive',
    maxAttempts: timeouts.maxAttempts,
    requestHandler: requestHandler(timeouts),
  });
}
