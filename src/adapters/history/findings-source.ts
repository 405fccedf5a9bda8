import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { fingerprintTotals } from './bucket-writes';
import type { DocumentSender } from './history-table';
import type { AggregateItem, BucketItem, FingerprintTotals } from './items';

/**
 * The storage port under the findings query code (findings-query.ts): the one question the query logic asks of a
 * store, "one page of one index partition, newest first", plus "the aggregate and latest finding of a
 * fingerprint". The DynamoDB table and the local SQLite store are two adapters of it, so `trustgap findings` picks
 * indexes, applies filters, pages and stops at the same budget whichever store it reads.
 */
export type IndexName = 'byRole' | 'byCaller' | 'byCause' | 'byDay';

/** The occurrence attribute each index is partitioned on (all share eventTime as sort key). */
export const INDEX_KEY: Record<IndexName, 'roleArn' | 'callerArn' | 'cause' | 'eventDay'> = {
  byRole: 'roleArn',
  byCaller: 'callerArn',
  byCause: 'cause',
  byDay: 'eventDay',
};

export type EqualityFilters = Partial<Record<'roleArn' | 'callerArn' | 'cause', string>>;

export interface IndexPageRequest {
  index: IndexName;
  partition: string;
  /** eventTime >= since (the sort-key condition). */
  since?: string;
  /** Equality filters on attributes other than the index's own (applied after reading, as a FilterExpression). */
  filters: EqualityFilters;
  /** At most this many items READ for this page (before filters), as DynamoDB's Limit. */
  limit: number;
  /** Opaque continuation from the previous page of the same request. */
  startKey?: unknown;
}

export interface IndexPage {
  items: BucketItem[];
  /** Items read before the filters. */
  scannedCount: number;
  nextKey?: unknown;
}

export interface FingerprintRecord {
  aggregate?: AggregateItem;
  latestFinding?: unknown;
  /** What the fingerprint's counted events add up to (the table sums its buckets). */
  totals: FingerprintTotals;
}

export interface FindingsSource {
  /** A short label for messages ("table NAME", "store FILE"). */
  readonly label: string;
  queryIndexPage(request: IndexPageRequest): Promise<IndexPage>;
  loadFingerprint(fingerprint: string): Promise<FingerprintRecord>;
}

/** The DynamoDB adapter: Query on the table's GSIs, never Scan. */
export function dynamoFindingsSource(db: DocumentSender, tableName: string): FindingsSource {
  return {
    label: `table ${tableName}`,
    async queryIndexPage(request) {
      const page = await db.send(
        new QueryCommand({ ...queryInput(tableName, request), ExclusiveStartKey: request.startKey as never }),
      );
      return {
        items: (page.Items ?? []) as BucketItem[],
        scannedCount: page.ScannedCount ?? 0,
        nextKey: page.LastEvaluatedKey,
      };
    },
    async loadFingerprint(fingerprint) {
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
      return record;
    },
  };
}

export function queryInput(tableName: string, request: IndexPageRequest): QueryCommandInput {
  const names: Record<string, string> = { '#pk': INDEX_KEY[request.index] };
  const values: Record<string, unknown> = { ':pk': request.partition };
  let keyCondition = '#pk = :pk';
  if (request.since) {
    names['#t'] = 'eventTime';
    values[':since'] = request.since;
    keyCondition += ' AND #t >= :since';
  }
  const filters: string[] = [];
  for (const [attribute, value] of Object.entries(request.filters)) {
    if (value === undefined) continue;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    filters.push(`#${attribute} = :${attribute}`);
  }
  return {
    TableName: tableName,
    IndexName: request.index,
    KeyConditionExpression: keyCondition,
    FilterExpression: filters.length ? filters.join(' AND ') : undefined,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    Limit: request.limit,
  };
}
