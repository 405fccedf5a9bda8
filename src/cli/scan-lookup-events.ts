import { type LookupCursor, lookupClient, lookupPages } from '../adapters/trail-logs/lookup-events';
import { type CliIo, CliUserError, oneLine } from './cli-io';
import { parseSince } from './findings-command';
import { listFlag, REGION, runScan, type ScanFlags } from './scan-flow';
import { safeText } from './terminal-text';

const MAX_LOOKUP_DAYS = 90;

/** `trustgap scan --lookup-events`: CloudTrail event history of each region, resumable from the cursor in the store. */
export function scanLookupEvents(flags: ScanFlags, io: CliIo): Promise<number> {
  const now = Date.now();
  let since: string;
  try {
    since = parseSince(flags.since ?? '90d', now);
  } catch (err) {
    throw new CliUserError((err as Error).message);
  }
  if (Date.parse(since) < now - MAX_LOOKUP_DAYS * 86_400_000 - 60_000)
    throw new CliUserError('--lookup-events reaches back 90 days at most (CloudTrail event history)');
  const regions = [...(listFlag(flags.regions, REGION, '--regions') ?? [])];
  if (regions.length === 0 && process.env.AWS_REGION)
    regions.push(...(listFlag([process.env.AWS_REGION], REGION, 'AWS_REGION') ?? []));
  if (regions.length === 0) throw new CliUserError('--lookup-events needs --regions (or AWS_REGION)');
  return runScan(flags, io, since, {
    unit: 'pages',
    async read(run, progress, target) {
      const store = target.cursorStore();
      for (const region of regions) {
        const name = target.cursorName(region);
        const saved = store.getCursor(name);
        const cursor = saved
          ? (JSON.parse(saved) as LookupCursor)
          : { region, startTime: since, endTime: new Date(now).toISOString() };
        if (saved && !flags.json)
          io.stderr(
            `trustgap scan: resuming ${safeText(region)} from the saved cursor (${safeText(cursor.startTime)} to ${safeText(cursor.endTime)})\n`,
          );
        const client = lookupClient(region);
        try {
          const pages = lookupPages({
            client,
            cursor,
            saveCursor: (c) => store.setCursor(name, c && JSON.stringify(c)),
          });
          for await (const records of pages) {
            await run.addRecords(records);
            progress.update(run.totals, run.totals.batches);
          }
        } finally {
          client.destroy();
        }
      }
    },
    failure(err) {
      // A store that cannot be opened is the user's to fix, not a failure of LookupEvents.
      if (err instanceof CliUserError) return undefined;
      const message = oneLine(err instanceof Error ? err.message : String(err));
      return `LookupEvents failed (${safeText((err as Error)?.name ?? 'Error')}: ${safeText(message)}); run the same command again to resume`;
    },
  });
}
