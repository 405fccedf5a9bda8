import { gunzipSync } from 'node:zlib';
import { refuseDenseText } from './dense-json';
import { asObject, cleanString, jsonTypeName, readString } from './json-value';
import type { EnvelopeContext } from './record';

/** Thrown by normalizeBuffer when the bytes cannot be read as JSON at all. The message is one line. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** One record found in an input, with where it came from and what its envelope knew. */
export interface RecordSlot {
  index: number;
  value: unknown;
  envelope: EnvelopeContext;
  /** Set when the slot is known to be unusable before the record is even looked at. */
  problem?: string;
}

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * Finds the CloudTrail records in any accepted input shape:
 *  - a CloudTrail log file object {Records: [...]};
 *  - `aws cloudtrail lookup-events` output {Events: [{CloudTrailEvent: "<json>"}]};
 *  - a JSON array of records or EventBridge events;
 *  - one EventBridge event {detail-type, detail: {...}};
 *  - one raw CloudTrail record.
 * `index` is the position in the list (0 for a single record), which is what skip reasons refer to.
 */
export function recordSlots(input: unknown): RecordSlot[] {
  if (Array.isArray(input)) return input.map((item, index) => unwrapEnvelope(item, index));
  const object = asObject(input);
  if (!object)
    return [
      { index: 0, value: input, envelope: {}, problem: `input is not a JSON object (got ${jsonTypeName(input)})` },
    ];

  if ('Records' in object) {
    if (!Array.isArray(object.Records)) {
      return [
        {
          index: 0,
          value: object,
          envelope: {},
          problem: `Records is not an array (got ${jsonTypeName(object.Records)})`,
        },
      ];
    }
    return object.Records.map((item, index) => unwrapEnvelope(item, index));
  }
  if (Array.isArray(object.Events) && !('eventName' in object)) {
    return object.Events.map((item, index) => lookupEventSlot(item, index));
  }
  return [unwrapEnvelope(object, 0)];
}

/** An EventBridge "AWS API Call via CloudTrail" event carries the CloudTrail record in `detail`. */
export function unwrapEnvelope(value: unknown, index: number): RecordSlot {
  const object = asObject(value);
  if (!object || !('detail-type' in object || 'detail' in object) || 'eventName' in object) {
    return { index, value, envelope: {} };
  }
  const detailType = readString(object['detail-type']);
  const envelope: EnvelopeContext = {};
  const time = readString(object.time);
  if (time !== undefined) envelope.time = time;
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    const shown = detailType === undefined ? jsonTypeName(object['detail-type']) : `'${detailType}'`;
    return {
      index,
      value,
      envelope,
      problem: `EventBridge event detail-type ${shown} is not '${CLOUDTRAIL_DETAIL_TYPE}'`,
    };
  }
  const detail = asObject(object.detail);
  if (!detail)
    return {
      index,
      value,
      envelope,
      problem: `EventBridge event has no detail object (got ${jsonTypeName(object.detail)})`,
    };
  return { index, value: detail, envelope };
}

/** lookup-events returns each record as a JSON string in CloudTrailEvent. */
function lookupEventSlot(value: unknown, index: number): RecordSlot {
  const text = asObject(value)?.CloudTrailEvent;
  if (typeof text !== 'string') {
    return { index, value, envelope: {}, problem: `Events[${index}] has no CloudTrailEvent string` };
  }
  try {
    return { index, value: JSON.parse(text) as unknown, envelope: {} };
  } catch (error) {
    return {
      index,
      value,
      envelope: {},
      problem: `Events[${index}].CloudTrailEvent is not valid JSON (${oneLine(error)})`,
    };
  }
}

/** Largest decompressed size accepted; a CloudTrail log file is a few MB, so this only stops gzip bombs. */
export const MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

/**
 * Bytes or text → parsed JSON. Gzip is recognized by its magic bytes (1f 8b), as CloudTrail delivers .json.gz.
 * JSON Lines (one record per line, as Firehose/Lake exports write) is accepted as an array.
 */
export function parseJsonInput(data: Buffer | string, sourceName: string): unknown {
  let text: string;
  if (typeof data === 'string') {
    text = data;
  } else if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    let inflated: Buffer;
    try {
      inflated = gunzipSync(data, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
    } catch (error) {
      throw new InputError(`${sourceName}: cannot decompress gzip data (${oneLine(error)})`);
    }
    text = inflated.toString('utf8');
  } else {
    text = data.toString('utf8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(`${sourceName}: input is empty`);
  try {
    refuseDenseText(text);
  } catch (error) {
    throw new InputError(`${sourceName}: ${oneLine(error)}`);
  }

  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const lines = parseJsonLines(text);
    if (lines !== undefined) return lines;
    throw new InputError(`${sourceName}: not valid JSON (${oneLine(error)})`);
  }
}

function parseJsonLines(text: string): unknown[] | undefined {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return undefined;
  const values: unknown[] = [];
  for (const line of lines) {
    try {
      values.push(JSON.parse(line));
    } catch {
      return undefined;
    }
  }
  return values;
}

/** An error's message on one line and of bounded length, for InputError and skip reasons. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return cleanString(message.replace(/\s+/g, ' ').trim(), 300);
}
