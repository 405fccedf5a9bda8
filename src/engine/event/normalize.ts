/**
 * Entry point of the event stage: any accepted input (raw CloudTrail record, EventBridge event, CloudTrail log
 * file, lookup-events output, JSON array or JSON Lines, gzipped or not) → NormalizedEvent[] plus the records that
 * were skipped and why. Pure: no AWS SDK, no I/O; the caller reads files or receives the Lambda event.
 */

import { cleanString } from './json-value';
import { InputError, parseJsonInput, recordSlots, unwrapEnvelope } from './read-input';
import { classifyRecord, normalizeRecord } from './record';
import type { NormalizeResult } from './types';

export { InputError };

/** Never throws: whatever the input, unusable parts end up in `skipped` with a reason. */
export function normalizeInput(input: unknown): NormalizeResult {
  const result: NormalizeResult = { events: [], skipped: [] };
  for (const slot of recordSlots(input)) {
    if (slot.problem !== undefined) {
      result.skipped.push({ index: slot.index, reason: slot.problem });
      continue;
    }
    const outcome = normalizeRecord(slot.value, slot.index, slot.envelope);
    if ('event' in outcome) result.events.push(outcome.event);
    else result.skipped.push(outcome.skipped);
  }
  return result;
}

/**
 * JSON text or bytes (gzip detected by magic bytes) → normalizeInput. Throws InputError, with a one-line message
 * naming `sourceName`, only when the data is not readable JSON at all; record-level problems are skips.
 */
export function normalizeBuffer(data: Buffer | string, sourceName = 'input'): NormalizeResult {
  return normalizeInput(parseJsonInput(data, cleanString(sourceName, 300)));
}

/**
 * True when `record` (a raw CloudTrail record or an EventBridge event wrapping one) is a failed STS
 * AssumeRole / AssumeRoleWithWebIdentity / AssumeRoleWithSAML / AssumeRoot call that normalizeInput would keep.
 */
export function isAssumeRoleFailure(record: unknown): boolean {
  const slot = unwrapEnvelope(record, 0);
  return slot.problem === undefined && classifyRecord(slot.value).relevant;
}
