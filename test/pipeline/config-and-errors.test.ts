import { isTransientAwsError, TransientError } from '../../src/errors';
import { ConfigError, readPipelineConfig } from '../../src/pipeline/config';
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
  expect(skipKind('record has no eventID; too broken to use')).toBe('malformed');
  expect(skipKind('input is not a JSON object (got null)')).toBe('malformed');
});
