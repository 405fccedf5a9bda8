import {
  type EqualityFilters,
  type FindingsSource,
  type FingerprintRecord,
  INDEX_KEY,
  type IndexName,
  type IndexPageRequest,
} from './findings-source';
import type { BucketItem } from './items';

export type { FingerprintRecord, IndexName } from './findings-source';

/**
 * Read side of the findings history for `trustgap findings`, over any FindingsSource (the DynamoDB table through
 * Query only, never Scan; or the local store).
 *
 * Index choice, most selective first: --role → byRole, else --caller → byCaller, else --cause → byCause, else the
 * byDay index walked back one UTC day at a time from today. Filters that did not pick the index are applied as a
 * filter on the same page read (in DynamoDB a FilterExpression: they cost read capacity for the items they drop,
 * which is why the index is the most selective filter). --since becomes the sort-key condition (eventTime >= since)
 * on every index. Results come newest first; any limit is reached by paging.
 */
export interface FindingsFilter {
  roleArn?: string;
  callerArn?: string;
  cause?: string;
  /** ISO timestamp; only buckets that began at or after it. */
  since?: string;
  limit: number;
}

export interface QueryStats {
  index: IndexName;
  /** Page requests sent (pages, and days for byDay). */
  requests: number;
  /** Items read (before the filters). */
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
/** Page requests per command before giving up (each reads at most 1 MB), plus one per PAGE_ITEMS of the limit. */
export const MAX_REQUESTS = 500;
/** Items read per page when filters drop some (without filters a page reads what is still wanted). */
export const PAGE_ITEMS = 200;

export function chooseIndex(filter: FindingsFilter): IndexName {
  if (filter.roleArn) return 'byRole';
  if (filter.callerArn) return 'byCaller';
  if (filter.cause) return 'byCause';
  return 'byDay';
}

function requestBudget(limit: number): number {
  return MAX_REQUESTS + Math.ceil(limit / PAGE_ITEMS);
}

function otherFilters(index: IndexName, filter: FindingsFilter): EqualityFilters {
  const filters: EqualityFilters = {};
  for (const attribute of ['roleArn', 'callerArn', 'cause'] as const) {
    const value = filter[attribute];
    if (value !== undefined && INDEX_KEY[index] !== attribute) filters[attribute] = value;
  }
  return filters;
}

/**
 * Pages through one partition, handing each page's items to `take`, until `take` says it has enough, the
 * partition ends, or the page budget runs out.
 */
async function queryPartition(
  source: FindingsSource,
  request: Omit<IndexPageRequest, 'limit' | 'startKey'>,
  remaining: () => number,
  take: (items: BucketItem[]) => void,
  stats: QueryStats,
  budget: number,
): Promise<void> {
  const filtered = Object.keys(request.filters).length > 0;
  let startKey: unknown;
  do {
    if (stats.requests >= budget) {
      stats.budgetExhausted = true;
      return;
    }
    const limit = filtered ? PAGE_ITEMS : Math.max(1, Math.min(remaining(), 1000));
    const page = await source.queryIndexPage({ ...request, limit, startKey });
    stats.requests += 1;
    stats.scannedCount += page.scannedCount;
    take(page.items);
    startKey = page.nextKey;
  } while (startKey && remaining() > 0);
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Walks the chosen index newest first, feeding occurrences to `take` until `remaining()` is 0. The walk behind
 * both queryFindings (occurrences) and queryProblems (distinct fingerprints).
 */
export async function walkOccurrences(
  source: FindingsSource,
  filter: FindingsFilter,
  nowMs: number,
  remaining: () => number,
  take: (items: BucketItem[]) => void,
): Promise<QueryStats> {
  const index = chooseIndex(filter);
  const stats: QueryStats = { index, requests: 0, scannedCount: 0, budgetExhausted: false };
  const budget = requestBudget(filter.limit);
  const filters = otherFilters(index, filter);
  if (index !== 'byDay') {
    const partition = filter[INDEX_KEY[index] as 'roleArn' | 'callerArn' | 'cause'] as string;
    await queryPartition(source, { index, partition, since: filter.since, filters }, remaining, take, stats, budget);
    return stats;
  }
  const sinceMs = filter.since ? Date.parse(filter.since) : undefined;
  const maxDays = sinceMs === undefined ? MAX_DAYS_WITHOUT_SINCE : MAX_DAYS;
  const today = Date.parse(`${utcDay(nowMs)}T00:00:00Z`);
  for (let back = 0; back < maxDays && remaining() > 0; back += 1) {
    const dayStart = today - back * 86_400_000;
    if (sinceMs !== undefined && dayStart + 86_400_000 <= sinceMs) break;
    stats.oldestDay = utcDay(dayStart);
    const request = { index, partition: stats.oldestDay, since: filter.since, filters };
    await queryPartition(source, request, remaining, take, stats, budget);
    if (stats.budgetExhausted) break;
  }
  return stats;
}

export async function queryFindings(
  source: FindingsSource,
  filter: FindingsFilter,
  nowMs: number,
): Promise<{ items: BucketItem[]; stats: QueryStats }> {
  const items: BucketItem[] = [];
  const stats = await walkOccurrences(
    source,
    filter,
    nowMs,
    () => filter.limit - items.length,
    (page) => items.push(...page),
  );
  return { items: items.slice(0, filter.limit), stats };
}

/** One distinct problem (fingerprint) among the matching occurrences, with its aggregate's counts. */
export interface ProblemRow {
  fingerprint: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  cause: string;
  role: string;
  caller: string;
  summary: string;
  severity: string;
  /** Matching occurrences seen by this query (the aggregate's count covers all of them, filtered or not). */
  matched: number;
  latestFinding?: unknown;
}

/**
 * One problem's row, for `findings --problems` and the report alike: the totals and description of its aggregate,
 * and where the aggregate lacks them (the Lambda stopped between counting and describing the fingerprint, or no
 * aggregate at all), the values of one of its buckets, `sample`, so that no counted problem is left out.
 */
export function problemRow(
  fingerprint: string,
  record: FingerprintRecord,
  sample: BucketItem,
  matched: number,
): ProblemRow {
  const a = record.aggregate;
  return {
    fingerprint,
    count: record.totals.count || matched,
    firstSeen: record.totals.firstSeen ?? a?.firstSeen ?? sample.eventTime,
    lastSeen: record.totals.lastSeen ?? sample.lastEventTime,
    cause: a?.identity?.cause ?? sample.cause ?? '-',
    role: a?.identity?.role ?? sample.roleArn ?? '-',
    caller: a?.identity?.caller ?? sample.callerArn ?? '-',
    summary: a?.summary ?? sample.summary,
    severity: a?.severity ?? sample.severity,
    matched,
    latestFinding: record.latestFinding,
  };
}

/**
 * `trustgap findings --problems`: one row per distinct fingerprint among the occurrences the filters select, with
 * count/firstSeen/lastSeen from its aggregate, most recently seen first. The same walk as queryFindings; it stops
 * once `limit` distinct fingerprints are found.
 */
export async function queryProblems(
  source: FindingsSource,
  filter: FindingsFilter,
  nowMs: number,
): Promise<{ problems: ProblemRow[]; stats: QueryStats }> {
  const matched = new Map<string, { count: number; sample: BucketItem }>();
  const stats = await walkOccurrences(
    source,
    filter,
    nowMs,
    () => filter.limit - matched.size,
    (page) => {
      for (const item of page) {
        const seen = matched.get(item.fingerprint);
        // A bucket holds `count` events of its fingerprint (a storm is a few buckets, not thousands of rows).
        if (seen) seen.count += item.count;
        else if (matched.size < filter.limit) matched.set(item.fingerprint, { count: item.count, sample: item });
      }
    },
  );
  const problems: ProblemRow[] = [];
  for (const [fingerprint, { count, sample }] of matched)
    problems.push(problemRow(fingerprint, await source.loadFingerprint(fingerprint), sample, count));
  problems.sort((x, y) => (x.lastSeen < y.lastSeen ? 1 : x.lastSeen > y.lastSeen ? -1 : 0));
  return { problems, stats };
}

/** The aggregate and the latest full finding of each fingerprint. */
export async function loadFingerprints(
  source: FindingsSource,
  fingerprints: string[],
): Promise<Map<string, FingerprintRecord>> {
  const records = new Map<string, FingerprintRecord>();
  for (const fingerprint of fingerprints) records.set(fingerprint, await source.loadFingerprint(fingerprint));
  return records;
}
