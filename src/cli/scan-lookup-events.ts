import { type LookupCursor, lookupClient, lookupPages } from '../adapters/trail-logs/lookup-events';
import { type CliIo, CliUserError, EXIT_INTERNAL_ERROR, EXIT_OK, oneLine } from './cli-io';
import { parseSince } from './findings-command';
import { type CliFacts, loadFacts } from './iam-facts-options';
import { listFlag, newScanRun, REGION, type ScanFlags, summaryOf, writeSummary } from './scan-command';
import { scanProgress } from './scan-progress';
import { openScanTarget, TableWriteError } from './scan-target';
import { safeText } from './terminal-text';

const MAX_LOOKUP_DAYS = 90;

/** `trustgap scan --lookup-events`: CloudTrail event history of each region, resumable from the cursor in the store. */
export async function scanLookupEvents(flags: ScanFlags, io: CliIo): Promise<number> {
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
  const target = openScanTarget(flags);
  let facts: CliFacts;
  try {
    facts = await loadFacts(flags);
  } catch (err) {
    target.close();
    throw err;
  }
  const store = target.cursorStore();
  const started = Date.now();
  const run = newScanRun(target, facts, since);
  const progress = scanProgress(io.stderrIsTTY === true, 'pages');
  try {
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
        const pages = lookupPages({ client, cursor, saveCursor: (c) => store.setCursor(name, c && JSON.stringify(c)) });
        for await (const records of pages) {
          await run.addRecords(records);
          progress.update(run.totals, run.totals.batches);
        }
      } finally {
        client.destroy();
      }
    }
  } catch (err) {
    progress.stop();
    if (err instanceof TableWriteError) {
      io.stderr(`trustgap scan: ${safeText(err.message)}\n`);
      return EXIT_INTERNAL_ERROR;
    }
    const message = oneLine(err instanceof Error ? err.message : String(err));
    io.stderr(
      `trustgap scan: LookupEvents failed (${safeText((err as Error)?.name ?? 'Error')}: ${safeText(message)}); run the same command again to resume\n`,
    );
    return EXIT_INTERNAL_ERROR;
  } finally {
    facts.close();
    target.close();
  }
  progress.stop();
  writeSummary(io, summaryOf(run, started, target, facts), flags.json === true);
  return EXIT_OK;
}
