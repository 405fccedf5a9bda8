import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { fingerprintTotals } from './bucket-writes';
import type { DocumentSender } from './findings-history';
import type { AggregateItem, BucketItem, FingerprintTotals } from './items';

/**
 * Read side of the findings table for `trustgap findings`: Query only, never Scan.
 *
 * Index choice, most selective first: --role → byRole, else --caller → byCaller, else --cause → byCause, else the
 * byDay index walked back one UTC day at a time from today. Filters that did not pick the index are applied by
 * DynamoDB as a FilterExpression on the same Query (they cost read capacity for the items they drop, which is why
 * the index is the most selective filter). --since becomes the sort-key condition (eventTime >= since) on every
 * index. Results come newest first. Each result is a bucket: the events of one fingerprint within BUCKET_SECONDS
 * (its first event's details, `count`, `lastEventTime`), so a storm of 10,000 retries is a few hundred lines.
 */
export interface FindingsFilter {
  roleArn?: string;
  callerArn?: string;
  cause?: string;
  /** ISO timestamp; only buckets that began at or after it. */
  since?: string;
  limit: number;
}

export type IndexName = 'byRole' | 'byCaller' | 'byCause' | 'byDay';

export interface QueryStats {
  index: IndexName;
  /** Query requests sent (pages, and days for byDay). */
  requests: number;
  /** Items DynamoDB read (before the FilterExpression). */
  scannedCount: number;
  /** For byDay: the oldest day partition looked at. */
  oldestDay?: string;
  /** True when the page/day budget ran out before the limit was reached. */
  budgetExhausted: boolean;
}

/** Without --since, the byDay walk looks back this many days at most (the default occurrence TTL is 90 days). */
export const MAX_DAYS_WITHOUT_SINCE = 90;
/** With --since, the walk stops at that day, but never goes back further than this. */
export const MAX_DAYS = 400;
/** Query requests (pages and days) per command before giving up; each reads at most 1 MB. */
export const MAX_REQUESTS = 500;

export function chooseIndex(filter: FindingsFilter): IndexName {
  if (filter.roleArn) return 'byRole';
  if (filter.callerArn) return 'byCaller';
  if (filter.cause) return 'byCause';
  return 'byDay';
}

const INDEX_KEY: Record<IndexName, keyof FindingsFilter | 'eventDay'> = {
  byRole: 'roleArn',
  byCaller: 'callerArn',
  byCause: 'cause',
  byDay: 'eventDay',
};

function baseInput(
  tableName: string,
  index: IndexName,
  partitionValue: string,
  filter: FindingsFilter,
): QueryCommandInput {
  const names: Record<string, string> = { '#pk': INDEX_KEY[index] };
  const values: Record<string, unknown> = { ':pk': partitionValue };
  let keyCondition = '#pk = :pk';
  if (filter.since) {
    names['#t'] = 'eventTime';
    values[':since'] = filter.since;
    keyCondition += ' AND #t >= :since';
  }
  const filters: string[] = [];
  for (const attribute of ['roleArn', 'callerArn', 'cause'] as const) {
    const value = filter[attribute];
    if (value === undefined || INDEX_KEY[index] === attribute) continue;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  }
  return {
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: keyCondition,
    FilterExpression: filters.length ? filters.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
  };
}

/** Pages through one partition until `want` matches, the partition ends, or the page budget runs out. */
async function queryPartition(
  db: DocumentSender,
  input: QueryCommandInput,
  want: number,
  stats: QueryStats,
  out: BucketItem[],
): Promise<void> {
  let start: Record<string, unknown> | undefined;
  do {
    if (stats.requests >= MAX_REQUESTS) {
      stats.budgetExhausted = true;
      return;
    }
    // Limit bounds what DynamoDB reads per page; the FilterExpression is applied after it.
    const page = await db.send(
      new QueryCommand({
        ...input,
        ExclusiveStartKey: start,
        Limit: input.FilterExpression ? 200 : Math.max(1, want - out.length),
      }),
    );
    stats.requests += 1;
    stats.scannedCount += page.ScannedCount ?? 0;
    out.push(...((page.Items ?? []) as BucketItem[]));
    start = page.LastEvaluatedKey;
  } while (start && out.length < want);
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function queryFindings(
  db: DocumentSender,
  tableName: string,
  filter: FindingsFilter,
  nowMs: number,
): Promise<{ items: BucketItem[]; stats: QueryStats }> {
  const index = chooseIndex(filter);
  const stats: QueryStats = { index, requests: 0, scannedCount: 0, budgetExhausted: false };
  const items: BucketItem[] = [];
  if (index !== 'byDay') {
    const value = filter[INDEX_KEY[index] as 'roleArn' | 'callerArn' | 'cause'] as string;
    await queryPartition(db, baseInput(tableName, index, value, filter), filter.limit, stats, items);
    return { items: items.slice(0, filter.limit), stats };
  }

  const sinceMs = filter.since ? Date.parse(filter.since) : undefined;
  const maxDays = sinceMs === undefined ? MAX_DAYS_WITHOUT_SINCE : MAX_DAYS;
  const today = Date.parse(`${utcDay(nowMs)}T00:00:00Z`);
  for (let back = 0; back < maxDays && items.length < filter.limit; back += 1) {
    const dayStart = today - back * 86_400_000;
    if (sinceMs !== undefined && dayStart + 86_400_000 <= sinceMs) break;
    stats.oldestDay = utcDay(dayStart);
    await queryPartition(db, baseInput(tableName, 'byDay', stats.oldestDay, filter), filter.limit, stats, items);
    if (stats.budgetExhausted) break;
  }
  return { items: items.slice(0, filter.limit), stats };
}

export interface FingerprintRecord {
  aggregate?: AggregateItem;
  latestFinding?: unknown;
  totals: FingerprintTotals;
}

/**
 * The aggregate, the latest full finding and the totals (count, first and last seen) of each fingerprint: Queries
 * on the fingerprint's partition (the totals add up its buckets).
 */
export async function loadFingerprints(
  db: DocumentSender,
  tableName: string,
  fingerprints: string[],
): Promise<Map<string, FingerprintRecord>> {
  const records = new Map<string, FingerprintRecord>();
  for (const fingerprint of fingerprints) {
    const record: FingerprintRecord = { totals: await fingerprintTotals({ db, tableName }, fingerprint) };
    // Two key lookups, not the whole partition: the partition also holds every bucket of the fingerprint.
    for (const sk of ['AGG', 'FINDING']) {
      const out = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          ExpressionAttributeValues: { ':pk': `FP#${fingerprint}`, ':sk': sk },
        }),
      );
      for (const item of out.Items ?? []) {
        if (item.sk === 'AGG') record.aggregate = item as AggregateItem;
        if (item.sk === 'FINDING') record.latestFinding = item.latestFinding;
      }
    }
    records.set(fingerprint, record);
  }
  return records;
}
