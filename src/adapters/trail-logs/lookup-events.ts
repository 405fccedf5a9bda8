import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';

/**
 * CloudTrail LookupEvents for the denied-AssumeRole scan: sts.amazonaws.com events of one region over a time
 * window, page by page (50 events each), at most 2 requests/s per account and region (the API's limit), waiting
 * and retrying the same page after a ThrottlingException. Each page's continuation is handed to `saveCursor`
 * before the next request, so an interrupted scan resumes where it stopped (the window is part of the cursor:
 * a NextToken is only valid with the parameters it came from).
 */
export interface LookupCursor {
  region: string;
  startTime: string;
  endTime: string;
  nextToken?: string;
}

export interface LookupOptions {
  client: CloudTrailClient;
  cursor: LookupCursor;
  /** Called with the cursor of the NEXT page after each page is processed; undefined when the region is done. */
  saveCursor(cursor: LookupCursor | undefined): void;
  /** Minimum spacing of requests, per region (500 ms = 2 requests/s). */
  intervalMs?: number;
  maxThrottleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const LOOKUP_INTERVAL_MS = 500;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return name === 'ThrottlingException' || name === 'ThrottledException' || name === 'TooManyRequestsException';
}

/** Yields the raw CloudTrail records (parsed CloudTrailEvent) of each page. */
export async function* lookupPages(options: LookupOptions): AsyncGenerator<unknown[]> {
  const interval = options.intervalMs ?? LOOKUP_INTERVAL_MS;
  const sleep = options.sleep ?? realSleep;
  let cursor = options.cursor;
  let last = 0;
  for (;;) {
    let page: LookupEventsCommandOutput | undefined;
    for (let attempt = 0; page === undefined; attempt++) {
      const wait = last + interval - Date.now();
      if (wait > 0) await sleep(wait);
      last = Date.now();
      try {
        page = await options.client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'sts.amazonaws.com' }],
            StartTime: new Date(cursor.startTime),
            EndTime: new Date(cursor.endTime),
            MaxResults: 50,
            NextToken: cursor.nextToken,
          }),
        );
      } catch (error) {
        if (!isThrottle(error) || attempt >= (options.maxThrottleRetries ?? 8)) throw error;
        // Back off: 1 s, 2 s, 4 s … capped at 8 s, on top of the 2 requests/s spacing.
        await sleep(Math.min(8000, 1000 * 2 ** attempt));
      }
    }
    const records: unknown[] = [];
    for (const event of page.Events ?? []) {
      if (typeof event.CloudTrailEvent !== 'string') continue;
      try {
        records.push(JSON.parse(event.CloudTrailEvent));
      } catch {
        records.push(null);
      }
    }
    yield records;
    cursor = { ...cursor, nextToken: page.NextToken };
    options.saveCursor(page.NextToken ? cursor : undefined);
    if (!page.NextToken) return;
  }
}

export function lookupClient(region: string): CloudTrailClient {
  // Throttling is handled above, page by page, so that the cursor stays exact.
  return new CloudTrailClient({ region, maxAttempts: 1 });
}
