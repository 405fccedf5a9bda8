import { isTransientAwsError, TransientError } from '../../src/errors';
import { ConfigError, readPipelineConfig } from '../../src/pipeline/config';
import { minimumOccurrenceTtlDays } from '../../src/pipeline/leases';
import { skipKind } from '../../src/pipeline/process-input';

test('configuration from the environment the stack sets, with documented defaults', () => {
  expect(readPipelineConfig({ FINDINGS_TABLE_NAME: 't', FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t' })).toEqual({
    tableName: 't',
    topicArn: 'arn:aws:sns:us-east-1:1:t',
    quietWindowMs: 60 * 60_000,
    occurrenceTtlDays: 90,
  });
  expect(
    readPipelineConfig({
      FINDINGS_TABLE_NAME: 't',
      FINDINGS_TOPIC_ARN: 'a',
      NOTIFY_QUIET_WINDOW_MINUTES: '15',
      OCCURRENCE_TTL_DAYS: '7',
    }),
  ).toMatchObject({ quietWindowMs: 15 * 60_000, occurrenceTtlDays: 7 });
  expect(() => readPipelineConfig({ FINDINGS_TOPIC_ARN: 'a' })).toThrow(ConfigError);
  expect(() =>
    readPipelineConfig({ FINDINGS_TABLE_NAME: 't', FINDINGS_TOPIC_ARN: 'a', OCCURRENCE_TTL_DAYS: '-1' }),
  ).toThrow(/OCCURRENCE_TTL_DAYS must be a positive number/);
});

test('the occurrence TTL must outlive the maximum event age plus the DLQ retention', () => {
  // The stack's defaults: EventBridge retries for 1 h and Lambda's async queue for 6 h, the DLQ keeps 14 days.
  const stack = { dlqRetentionSeconds: 14 * 86_400, maxEventAgeSeconds: 7 * 3_600 };
  expect(minimumOccurrenceTtlDays(stack)).toBe(16);
  expect(minimumOccurrenceTtlDays({ dlqRetentionSeconds: 4 * 86_400, maxEventAgeSeconds: 60 })).toBe(6);
  const env = {
    FINDINGS_TABLE_NAME: 't',
    FINDINGS_TOPIC_ARN: 'a',
    DLQ_RETENTION_SECONDS: String(14 * 86_400),
    MAX_EVENT_AGE_SECONDS: String(7 * 3_600),
  };
  expect(() => readPipelineConfig({ ...env, OCCURRENCE_TTL_DAYS: '14' })).toThrow(/at least 16 days/);
  expect(readPipelineConfig({ ...env, OCCURRENCE_TTL_DAYS: '16' })).toMatchObject({ occurrenceTtlDays: 16 });
  expect(readPipelineConfig(env)).toMatchObject({ occurrenceTtlDays: 90 });
});

test.each([
  [{ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }, true],
  [{ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }, true],
  [{ name: 'Throttling', $metadata: { httpStatusCode: 400 } }, true],
  [{ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } }, true],
  [{ name: 'Anything', $metadata: { httpStatusCode: 503 } }, true],
  [{ name: 'Error', code: 'ECONNRESET' }, true],
  [new TransientError('x'), true],
  [new Error('AWS SDK error wrapper for Error: getaddrinfo ENOTFOUND sns.us-east-1.amazonaws.com'), true],
  [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }, false],
  [{ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, false],
  [{ name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } }, false],
])('transient? %j → %s', (error, expected) => {
  expect(isTransientAwsError(error)).toBe(expected);
});

test('skipped records are sorted into irrelevant (not a failed assumption) and malformed', () => {
  expect(skipKind('not a role assumption (eventName GetCallerIdentity)')).toBe('irrelevant');
  expect(skipKind('successful call (no errorCode)')).toBe('irrelevant');
  expect(skipKind("EventBridge event detail-type 'Scheduled Event' is not 'AWS API Call via CloudTrail'")).toBe(
    'irrelevant',
  );
  expect(skipKind('record has no eventName; too broken to use')).toBe('malformed');
  expect(skipKind('input is not a JSON object (got null)')).toBe('malformed');
});
