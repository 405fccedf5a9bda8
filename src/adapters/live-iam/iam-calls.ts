import type { IAMClient } from '@aws-sdk/client-iam';

/**
 * Counts the IAM API calls made on behalf of one diagnosis (or one container, for the total). The pipeline
 * logs the per-API breakdown and emits the total as the IamCalls metric: it is the number that tells whether
 * the cache is doing its job during a storm.
 */
export class IamCallCounter {
  total = 0;
  readonly byApi: Record<string, number> = {};

  record(api: string): void {
    this.total += 1;
    this.byApi[api] = (this.byApi[api] ?? 0) + 1;
  }
}

/** The one IAM client method the adapter uses; narrowing it keeps the adapter honest about what it calls. */
export type IamSender = Pick<IAMClient, 'send'>;

/**
 * Sends one IAM command, counting it (once per request, whatever the SDK's internal retries do) in every counter.
 * The API name is passed explicitly: the Lambda bundle is minified, so command class names are not reliable.
 */
export async function sendCounted<Output>(
  client: IamSender,
  counters: readonly IamCallCounter[],
  api: string,
  command: object,
): Promise<Output> {
  for (const counter of counters) counter.record(api);
  // The client's `send` is overloaded per command type; the adapter types each result at the call site.
  return (await (client.send as (c: unknown) => Promise<unknown>)(command)) as Output;
}

/** IAM list APIs page with IsTruncated/Marker; follows every page (lists of policies/groups are short). */
export async function listAllPages<Page extends { IsTruncated?: boolean; Marker?: string }, Item>(
  fetchPage: (marker: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[] | undefined,
  maxPages = 100,
): Promise<Item[]> {
  const items: Item[] = [];
  let marker: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await fetchPage(marker);
    items.push(...(itemsOf(result) ?? []));
    if (!result.IsTruncated || !result.Marker) return items;
    marker = result.Marker;
  }
  return items;
}
