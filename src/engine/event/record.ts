import { normalizeCaller } from './caller';
import { derivedEventId } from './event-id';
import { asObject, type JsonObject, jsonTypeName, MAX_TEXT_LENGTH, readString, withoutUndefined } from './json-value';
import { normalizeRequest } from './request';
import { locateRole } from './role-locator';
import type { AssumeApi, NormalizedEvent, SkippedRecord } from './types';

/** The STS operations trustgap explains. AssumeRoot does not start with "AssumeRole"; it is listed on purpose. */
export const ASSUME_APIS: readonly AssumeApi[] = [
  'AssumeRole',
  'AssumeRoleWithWebIdentity',
  'AssumeRoleWithSAML',
  'AssumeRoot',
];
const ASSUME_API_SET: ReadonlySet<string> = new Set(ASSUME_APIS);
export const STS_EVENT_SOURCE = 'sts.amazonaws.com';
/** eventName, eventSource and errorCode are short identifiers; a longer value is garbage and is cut to this. */
const MAX_NAME_LENGTH = 256;

export type Classification =
  | { relevant: true; record: JsonObject; api: AssumeApi; errorCode: string; eventId: string; eventIdDerived: boolean }
  | { relevant: false; reason: string; eventId?: string; eventName?: string };

/**
 * Decides whether a CloudTrail record is a failed STS role assumption, and if not, why not. The order of the
 * checks makes the reason the most useful one: a successful GetCallerIdentity is "not a role assumption", not
 * "successful call".
 */
export function classifyRecord(value: unknown): Classification {
  const record = asObject(value);
  if (!record) return { relevant: false, reason: `record is not a JSON object (got ${jsonTypeName(value)})` };

  const eventName = readString(record.eventName, MAX_NAME_LENGTH);
  const eventId = readString(record.eventID);
  const ids = { eventId, eventName };
  if (eventName === undefined) return { relevant: false, reason: 'record has no eventName; too broken to use', ...ids };

  // A missing eventSource is tolerated (hand-trimmed records often drop it); a different one is another service.
  if (record.eventSource !== undefined && record.eventSource !== STS_EVENT_SOURCE) {
    const source = readString(record.eventSource, MAX_NAME_LENGTH) ?? jsonTypeName(record.eventSource);
    return { relevant: false, reason: `not an STS call (eventSource ${source})`, ...ids };
  }
  if (!ASSUME_API_SET.has(eventName)) {
    return { relevant: false, reason: `not a role assumption (eventName ${eventName})`, ...ids };
  }
  const errorCode = readString(record.errorCode, MAX_NAME_LENGTH);
  if (errorCode === undefined) {
    const why =
      record.errorCode === undefined || record.errorCode === null || record.errorCode === ''
        ? 'successful call (no errorCode)'
        : `errorCode is not a string (got ${jsonTypeName(record.errorCode)})`;
    return { relevant: false, reason: why, ...ids };
  }
  // A trimmed record (as AWS documentation prints them) has no eventID: it is still a denied call worth diagnosing.
  const derived = eventId === undefined;
  return {
    relevant: true,
    record,
    api: eventName as AssumeApi,
    errorCode,
    eventId: eventId ?? derivedEventId(record),
    eventIdDerived: derived,
  };
}

/** Context an envelope can supply when the record itself lacks it (EventBridge `time`). */
export interface EnvelopeContext {
  time?: string;
}

export function normalizeRecord(
  value: unknown,
  index: number,
  envelope: EnvelopeContext = {},
): { event: NormalizedEvent } | { skipped: SkippedRecord } {
  const verdict = classifyRecord(value);
  if (!verdict.relevant) {
    const skipped: SkippedRecord = { index, reason: verdict.reason };
    if (verdict.eventId !== undefined) skipped.eventId = verdict.eventId;
    if (verdict.eventName !== undefined) skipped.eventName = verdict.eventName;
    return { skipped };
  }
  const { record } = verdict;
  const errorMessage = readString(record.errorMessage, MAX_TEXT_LENGTH);
  // Built in the field order of NormalizedEvent so JSON output reads naturally; absent values are left out.
  const event: NormalizedEvent = withoutUndefined({
    eventId: verdict.eventId,
    eventIdDerived: verdict.eventIdDerived ? true : undefined,
    sharedEventId: readString(record.sharedEventID),
    // eventTime is required downstream; an envelope's time is the same instant, and '' says "not logged".
    eventTime: readString(record.eventTime) ?? envelope.time ?? '',
    awsRegion: readString(record.awsRegion),
    recipientAccountId: readString(record.recipientAccountId),
    api: verdict.api,
    errorCode: verdict.errorCode,
    errorMessage,
    sourceIpAddress: readString(record.sourceIPAddress),
    userAgent: readString(record.userAgent, MAX_TEXT_LENGTH),
    vpcEndpointId: readString(record.vpcEndpointId),
    caller: normalizeCaller(record.userIdentity, record),
    role: locateRole(record),
    request: normalizeRequest(record.requestParameters),
  });
  return { event };
}
