import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export type CloudTrailRecord = Record<string, any>;

export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: CloudTrailRecord;
}

/**
 * Wraps a CloudTrail record the way EventBridge delivers management API calls: detail-type "AWS API Call via
 * CloudTrail", source "aws.<service>" from the record's eventSource, the recipient account and the record's
 * region and time, and the whole record as `detail`.
 */
export function toEventBridgeEvent(
  record: CloudTrailRecord,
  overrides: Partial<EventBridgeEvent> = {},
): EventBridgeEvent {
  return {
    version: '0',
    id: `eb-${String(record.eventID ?? 'no-event-id')}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).replace(/\.amazonaws\.com$/, '')}`,
    account: String(record.recipientAccountId),
    time: String(record.eventTime),
    region: String(record.awsRegion),
    resources: [],
    detail: record,
    ...overrides,
  };
}

/**
 * The successful twin of a denied record: what CloudTrail logs when the same call succeeds. There is no
 * errorCode or errorMessage key at all (not a null one), and responseElements carries the credentials.
 */
export function succeeded(record: CloudTrailRecord): CloudTrailRecord {
  const { errorCode: _errorCode, errorMessage: _errorMessage, ...rest } = record;
  return {
    ...rest,
    responseElements: {
      credentials: {
        accessKeyId: 'ASIAEXAMPLESUCCESS01',
        sessionToken: '<session token>',
        expiration: 'Jun 17, 2025, 11:00:00 AM',
      },
    },
  };
}

export interface Fixture {
  file: string;
  record: CloudTrailRecord;
}

const FIXTURE_DIRECTORY = path.join(__dirname, '..', 'fixtures', 'events');

/** The shared denied-call fixtures that hold one raw CloudTrail record each. */
export function singleRecordFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIRECTORY)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, content: JSON.parse(readFileSync(path.join(FIXTURE_DIRECTORY, file), 'utf8')) }))
    .filter(({ content }) => typeof content.eventName === 'string')
    .map(({ file, content }) => ({ file, record: content }));
}

export function readFixture(file: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIRECTORY, file), 'utf8'));
}
