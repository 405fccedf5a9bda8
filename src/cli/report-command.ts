import * as fs from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoFindingsSource, type FindingsSource } from '../adapters/history/findings-source';
import { SqliteFindingsStore } from '../adapters/local-store/sqlite-findings-store';
import { problemsCsv, problemsJson } from '../adapters/report/csv-export';
import { renderHtmlReport } from '../adapters/report/html-report';
import { gatherReport } from '../adapters/report/report-data';
import { ArgsError, parseArgs } from './args';
import { type CliIo, CliUserError, EXIT_OK, EXIT_USAGE_OR_INPUT, oneLine } from './cli-io';
import { parseSince } from './findings-command';
import { DEFAULT_STORE } from './scan-target';
import { safeText } from './terminal-text';

export const REPORT_USAGE = `Usage: trustgap report [--store FILE | --table NAME [--region R] [--endpoint URL]] [--out FILE]
                       [--csv FILE] [--json FILE] [--since WHEN]

Writes one self-contained HTML report (no external requests; opens offline and as an e-mail attachment): denials
per day by cause, the top roles, callers and causes, and every distinct problem with its explanation, evidence,
fix, commands, first/last seen and count, with a filter box. --csv and --json export the problems.

  --store FILE    the local store of trustgap scan (default ./${DEFAULT_STORE})
  --table NAME    the deployed findings table instead
  --out FILE      the HTML file (default report.html)
  --csv FILE      also write the problems as CSV
  --json FILE     also write the problems as JSON
  --since WHEN    only denials at or after 30d, 24h, an ISO date... (default: the last 90 days)
`;

const FLAGS = {
  store: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  out: { type: 'string' },
  csv: { type: 'string' },
  json: { type: 'string' },
  since: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runReportCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await report(argv, io);
  } catch (err) {
    if (err instanceof ArgsError || err instanceof CliUserError) {
      io.stderr(`trustgap report: ${safeText(err.message)} (see trustgap report --help)\n`);
      return EXIT_USAGE_OR_INPUT;
    }
    throw err;
  }
}

async function report(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.stdout(REPORT_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliUserError(`unexpected argument '${positionals[0]}'`);
  if (flags.store && flags.table) throw new CliUserError('--store and --table are two different sources; pass one');
  const now = Date.now();
  let since: string | undefined;
  try {
    since = flags.since ? parseSince(flags.since, now) : undefined;
  } catch (err) {
    throw new CliUserError((err as Error).message);
  }
  const { source, close } = openSource(flags);
  try {
    const data = await gatherReport(source, { since }, now);
    const out = flags.out ?? 'report.html';
    fs.writeFileSync(out, renderHtmlReport(data));
    if (flags.csv) fs.writeFileSync(flags.csv, problemsCsv(data.problems));
    if (flags.json) fs.writeFileSync(flags.json, problemsJson(data.problems));
    io.stdout(
      `Wrote ${safeText(out)}: ${data.problems.length} distinct problems, ${data.occurrences} denials` +
        `${flags.csv ? `; CSV ${safeText(flags.csv)}` : ''}${flags.json ? `; JSON ${safeText(flags.json)}` : ''}.\n`,
    );
    return EXIT_OK;
  } finally {
    close();
  }
}

function openSource(flags: Record<string, string | boolean | undefined>): { source: FindingsSource; close(): void } {
  if (typeof flags.table === 'string') {
    const client = new DynamoDBClient({
      region: typeof flags.region === 'string' ? flags.region : undefined,
      endpoint: typeof flags.endpoint === 'string' ? flags.endpoint : undefined,
      maxAttempts: 3,
    });
    return {
      source: dynamoFindingsSource(DynamoDBDocumentClient.from(client), flags.table),
      close: () => client.destroy(),
    };
  }
  const file = typeof flags.store === 'string' ? flags.store : DEFAULT_STORE;
  let store: SqliteFindingsStore;
  try {
    store = SqliteFindingsStore.openReadOnly(file);
  } catch (err) {
    throw new CliUserError(`--store ${file}: ${oneLine((err as Error).message)}`);
  }
  return { source: store, close: () => store.close() };
}
