import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryTable } from './history-table';
import { BUCKET_SECONDS, BUCKET_SK_PREFIX, bucketStart, canonicalTime, eventIdHash } from './items';

/** Slices further apart than this are read with separate queries rather than one range over the gap. */
const MAX_GAP_MS = 15 * 60_000;

/**
 * Which of some events are already counted, under ANY fingerprint: the scan's guard against counting an event the
 * live monitor (or an earlier scan) counted under another diagnosis — IAM changed in between, or the scan runs on
 * snapshots that differ from live IAM. An event can only be in the bucket of its own BUCKET_SECONDS slice of
 * eventTime, and every bucket of a slice is on the byDay index with its eventTime inside the slice; so one Query of
 * byDay per run of nearby slices returns every bucket that could hold them, with their `ids`.
 * The index is eventually consistent: an event counted a moment ago under another fingerprint can be missed (the
 * same fingerprint is still guarded by the bucket's conditional write).
 */
export class CountedEvents {
  /** `${slice start}|${eventIdHash}` → the fingerprint that counted it. */
  private readonly counted = new Map<string, string>();

  add(sliceStart: string, hash: string, fingerprint: string): void {
    this.counted.set(`${sliceStart}|${hash}`, fingerprint);
  }

  /** The fingerprint that counted the event, or undefined. */
  fingerprintOf(eventId: string, eventTime: string): string | undefined {
    return this.counted.get(`${bucketStart(eventTime)}|${eventIdHash(eventId)}`);
  }
}

export async function countedEvents(table: HistoryTable, eventTimes: readonly string[]): Promise<CountedEvents> {
  const result = new CountedEvents();
  const slices = [...new Set(eventTimes.map(bucketStart))].sort();
  let i = 0;
  while (i < slices.length) {
    let j = i;
    while (
      j + 1 < slices.length &&
      slices[j + 1].slice(0, 10) === slices[i].slice(0, 10) &&
      Date.parse(slices[j + 1]) - Date.parse(slices[j]) <= MAX_GAP_MS
    )
      j += 1;
    const to = canonicalTime(Date.parse(slices[j]) + BUCKET_SECONDS * 1000 - 1000);
    await readRange(table, slices[i].slice(0, 10), slices[i], to, result);
    i = j + 1;
  }
  return result;
}

async function readRange(table: HistoryTable, day: string, from: string, to: string, into: CountedEvents) {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        IndexName: 'byDay',
        KeyConditionExpression: 'eventDay = :d AND eventTime BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':d': day, ':from': from, ':to': to },
        ProjectionExpression: 'sk, ids, fingerprint',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.sk !== 'string' || !item.sk.startsWith(BUCKET_SK_PREFIX)) continue;
      const slice = item.sk.slice(BUCKET_SK_PREFIX.length);
      for (const hash of (item.ids as Set<string> | undefined) ?? []) into.add(slice, hash, String(item.fingerprint));
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
