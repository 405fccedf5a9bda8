/**
 * `trustgap findings`: what the deployed monitor recorded, from its DynamoDB table, through Query only (index
 * choice and limits: src/adapters/history/findings-query.ts). Readable table by default, JSON with --json.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type FindingsFilter,
  loadFingerprints,
  type ProblemRow,
  type QueryStats,
  queryFindings,
  queryProblems,
} from '../adapters/history/findings-query';
import { dynamoFindingsSource, type FindingsSource } from '../adapters/history/findings-source';
import type { BucketItem } from '../adapters/history/items';
import { SqliteFindingsStore } from '../adapters/local-store/sqlite-findings-store';
import { CAUSES } from '../engine/finding/types';
import { ArgsError, type ParsedArgs, parseArgs } from './args';
import { EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USAGE_OR_INPUT, oneLine } from './cli-io';
import { safeText } from './terminal-text';

export interface FindingsIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const FLAGS = {
  role: { type: 'string' },
  caller: { type: 'string' },
  cause: { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  problems: { type: 'boolean' },
  store: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const FINDINGS_USAGE = `Usage: trustgap findings [--role ARN] [--caller ARN] [--cause CODE] [--since 24h|7d|ISO] [--limit N]
                         [--problems] [--json] [--store FILE | --table NAME [--region R] [--endpoint URL]]

Lists the denied role assumptions the deployed trustgap stack (or trustgap scan) recorded, newest first.
  --role ARN       the role that was to be assumed (byRole index)
  --caller ARN     the caller: IAM user ARN, the role ARN for role sessions, arn:aws:iam::<id>:root for another
                   account, web-identity:<provider>:<sub>, saml:<provider>:<user>, service:<principal>
  --cause CODE     one of ${CAUSES.join(', ')}
  --since WHEN     30m, 24h, 7d, or an ISO date/time (default: no lower bound; the day walk stops after 90 days)
  --limit N        at most N findings (or problems), any positive number, paged transparently (default 50)
  --problems       one row per distinct problem (fingerprint): count, firstSeen, lastSeen, cause, role, caller and
                   summary, most recently seen first
  --json           JSON: the occurrences, plus each fingerprint's count and latest full finding
  --store FILE     read the local store written by trustgap scan instead of the table
  --table NAME     default: $FINDINGS_TABLE_NAME; the TrustGap stack output FindingsTableName
  --region R       default: the AWS SDK's (AWS_REGION, profile)
  --endpoint URL   another DynamoDB endpoint (e.g. a local one)
`;

const TABLE_HINT =
  'aws cloudformation describe-stacks --stack-name TrustGap --query "Stacks[0].Outputs[?OutputKey==\'FindingsTableName\'].OutputValue" --output text';

class UsageError extends Error {}

/** 30m / 24h / 7d relative to now, or an ISO date or date-time; returned as CloudTrail writes eventTime. */
export function parseSince(value: string, nowMs: number): string {
  const relative = /^(\d+)([mhd])$/.exec(value);
  let ms: number;
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    ms = nowMs - Number(relative[1]) * unit;
  } else if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  } else ms = Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `--since must be like 30m, 24h, 7d or an ISO date (2026-05-01, 2026-05-01T12:00:00Z); got '${safeText(value)}'`,
    );
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A role-session ARN names the role without its path; the history keys role sessions by the role ARN. */
export function callerKey(value: string): { key: string; note?: string } {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(value);
  if (!session) return { key: value };
  const key = `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
  return {
    key,
    note: `role session ${value} is recorded under its role; querying ${key} (a role with a path needs its full ARN)`,
  };
}

function buildFilter(
  flags: Record<string, string | boolean | undefined>,
  nowMs: number,
  io: FindingsIo,
): FindingsFilter {
  const limit = flags.limit === undefined ? 50 : Number(flags.limit);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a positive integer; got '${safeText(flags.limit)}'`);
  const filter: FindingsFilter = { limit };
  if (typeof flags.role === 'string') {
    if (!flags.role.startsWith('arn:'))
      throw new UsageError(
        `--role takes a role ARN (arn:aws:iam::<account>:role/<name>); got '${safeText(flags.role)}'`,
      );
    filter.roleArn = flags.role;
  }
  if (typeof flags.caller === 'string') {
    const { key, note } = callerKey(flags.caller);
    if (note) io.stderr(`trustgap findings: ${safeText(note)}\n`);
    filter.callerArn = key;
  }
  if (typeof flags.cause === 'string') {
    const cause = flags.cause.toUpperCase();
    if (!(CAUSES as readonly string[]).includes(cause))
      throw new UsageError(`--cause must be one of ${CAUSES.join(', ')}; got '${safeText(flags.cause)}'`);
    filter.cause = cause;
  }
  if (typeof flags.since === 'string') filter.since = parseSince(flags.since, nowMs);
  return filter;
}

function tableName(flags: Record<string, string | boolean | undefined>): string {
  const name = typeof flags.table === 'string' ? flags.table : process.env.FINDINGS_TABLE_NAME;
  if (!name)
    throw new UsageError(
      `no findings table: pass --table NAME or set FINDINGS_TABLE_NAME (the TrustGap stack output FindingsTableName: ${TABLE_HINT})`,
    );
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name))
    throw new UsageError(`--table '${safeText(name)}' is not a DynamoDB table name`);
  return name;
}

/** AWS and network failures as one actionable line; exit 2 for what the user can fix, 1 otherwise. */
function describeFailure(
  error: unknown,
  table: string,
  region: string | undefined,
  endpoint: string | undefined,
): { line: string; code: number } {
  const name = (error as { name?: string })?.name ?? 'Error';
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return {
      line: 'no AWS credentials found: set AWS_PROFILE (and run aws sso login if it is an SSO profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      code: EXIT_USAGE_OR_INPUT,
    };
  }
  if (/Region is missing/i.test(message))
    return { line: 'no AWS region: pass --region or set AWS_REGION', code: EXIT_USAGE_OR_INPUT };
  if (name === 'ResourceNotFoundException') {
    return {
      line: `table '${safeText(table)}' not found${region ? ` in ${safeText(region)}` : ''}: pass --table/--region (the name is the TrustGap stack output FindingsTableName)`,
      code: EXIT_USAGE_OR_INPUT,
    };
  }
  if (
    [
      'AccessDeniedException',
      'UnrecognizedClientException',
      'ExpiredTokenException',
      'InvalidSignatureException',
    ].includes(name)
  ) {
    return { line: `AWS refused the query (${name}): ${safeText(message)}`, code: EXIT_USAGE_OR_INPUT };
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(message)) {
    return {
      line: `cannot reach DynamoDB${endpoint ? ` at ${safeText(endpoint)}` : ''}: ${safeText(message)}`,
      code: EXIT_USAGE_OR_INPUT,
    };
  }
  return { line: `${safeText(name)}: ${safeText(message)}`, code: EXIT_INTERNAL_ERROR };
}

function shortPrincipal(value: string | undefined, width: number): string {
  if (!value) return '-';
  const tail = value.startsWith('arn:') ? value.split(':').slice(5).join(':') : value;
  const text = safeText(tail);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width + 1);
}

function renderTable(items: BucketItem[], stats: QueryStats): string {
  if (items.length === 0) {
    return `No findings match (index ${stats.index}${stats.oldestDay ? `, looked back to ${stats.oldestDay}` : ''}).\n`;
  }
  const header = `${pad('TIME (UTC)', 24)}${pad('CAUSE', 24)}${pad('SEVERITY', 8)}${pad('CALLER', 36)}${pad('ROLE', 32)}EVENT ID`;
  const rows = items.flatMap((o) => [
    `${pad(safeText(o.eventTime), 24)}${pad(safeText(o.cause ?? '-'), 24)}${pad(safeText(o.severity), 8)}${pad(shortPrincipal(o.callerArn, 36), 36)}${pad(shortPrincipal(o.roleArn, 32), 32)}${safeText(o.eventId)}`,
    `${' '.repeat(25)}${safeText(o.summary).slice(0, 160)}${o.count > 1 ? ` [${o.count} events until ${safeText(o.lastEventTime)}]` : ''}`,
  ]);
  const footer = `${items.length} finding${items.length === 1 ? '' : 's'}, newest first (index ${stats.index}; ${stats.requests} quer${stats.requests === 1 ? 'y' : 'ies'}, ${stats.scannedCount} items read${stats.budgetExhausted ? '; stopped at the query budget, narrow the filters' : ''}).`;
  return `${[header, ...rows, footer].join('\n')}\n`;
}

const PUBLIC_FIELDS = [
  'eventId',
  'eventTime',
  'eventDay',
  'cause',
  'severity',
  'confidence',
  'policy',
  'summary',
  'api',
  'errorCode',
  'callerType',
  'callerArn',
  'callerSessionArn',
  'roleArn',
  'roleAccountId',
  'recipientAccountId',
  'awsRegion',
  'sharedEventId',
  'fingerprint',
  'fixVerified',
  'count',
  'lastEventTime',
  'latestEventId',
] as const;

/** JSON for a terminal: C1 controls, separators and bidi overrides escaped too (still valid JSON, same values). */
function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export async function runFindingsCommand(argv: string[], io: FindingsIo): Promise<number> {
  let parsed: ParsedArgs<typeof FLAGS>;
  try {
    parsed = parseArgs(argv, FLAGS);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    io.stderr(`trustgap findings: ${error.message}\n${FINDINGS_USAGE}`);
    return EXIT_USAGE_OR_INPUT;
  }
  const flags = parsed.flags as Record<string, string | boolean | undefined>;
  if (flags.help) {
    io.stdout(FINDINGS_USAGE);
    return EXIT_OK;
  }
  if (parsed.positionals.length > 0) {
    io.stderr(`trustgap findings: unexpected argument '${safeText(parsed.positionals[0])}'\n${FINDINGS_USAGE}`);
    return EXIT_USAGE_OR_INPUT;
  }

  const now = Date.now();
  let filter: FindingsFilter;
  try {
    filter = buildFilter(flags, now, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`trustgap findings: ${error.message}\n`);
    return EXIT_USAGE_OR_INPUT;
  }

  if (typeof flags.store === 'string') {
    if (typeof flags.table === 'string') {
      io.stderr('trustgap findings: --store and --table are two different sources; pass one\n');
      return EXIT_USAGE_OR_INPUT;
    }
    let store: SqliteFindingsStore;
    try {
      store = SqliteFindingsStore.openReadOnly(flags.store);
    } catch (error) {
      io.stderr(
        `trustgap findings: --store ${safeText(flags.store)}: ${safeText(oneLine((error as Error).message))}\n`,
      );
      return EXIT_USAGE_OR_INPUT;
    }
    try {
      return await answer(store, filter, flags, now, io, { store: flags.store });
    } finally {
      store.close();
    }
  }

  let table: string;
  try {
    table = tableName(flags);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`trustgap findings: ${error.message}\n`);
    return EXIT_USAGE_OR_INPUT;
  }
  const region = typeof flags.region === 'string' ? flags.region : undefined;
  const endpoint = typeof flags.endpoint === 'string' ? flags.endpoint : undefined;
  const client = new DynamoDBClient({ region, endpoint, maxAttempts: 3 });
  const db = DynamoDBDocumentClient.from(client);
  try {
    return await answer(dynamoFindingsSource(db, table), filter, flags, now, io, { table });
  } catch (error) {
    const { line, code } = describeFailure(error, table, region ?? process.env.AWS_REGION, endpoint);
    io.stderr(`trustgap findings: ${line}\n`);
    return code;
  } finally {
    client.destroy();
  }
}

async function answer(
  source: FindingsSource,
  filter: FindingsFilter,
  flags: Record<string, string | boolean | undefined>,
  now: number,
  io: FindingsIo,
  where: { table?: string; store?: string },
): Promise<number> {
  if (flags.problems) {
    const { problems, stats } = await queryProblems(source, filter, now);
    if (flags.json)
      io.stdout(`${terminalSafeJson({ query: { index: stats.index, ...filter, ...where }, problems })}\n`);
    else io.stdout(renderProblems(problems, stats, filter.limit));
    return EXIT_OK;
  }
  const { items, stats } = await queryFindings(source, filter, now);
  if (!flags.json) {
    io.stdout(renderTable(items, stats));
    return EXIT_OK;
  }
  const fingerprints = await loadFingerprints(source, [...new Set(items.map((o) => o.fingerprint))]);
  const findings = items.map((o) =>
    Object.fromEntries(PUBLIC_FIELDS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])),
  );
  const byFingerprint = Object.fromEntries(
    [...fingerprints].map(([fp, record]) => {
      const a = record.aggregate;
      return [
        fp,
        {
          count: record.totals.count,
          firstSeen: record.totals.firstSeen ?? a?.firstSeen,
          lastSeen: record.totals.lastSeen,
          lastNotifiedAt: a?.lastNotifiedAt,
          notificationCount: a?.notificationCount,
          identity: a?.identity,
          latestFinding: record.latestFinding,
        },
      ];
    }),
  );
  io.stdout(
    `${terminalSafeJson({ query: { index: stats.index, ...filter, ...where }, findings, fingerprints: byFingerprint })}\n`,
  );
  return EXIT_OK;
}

function renderProblems(problems: ProblemRow[], stats: QueryStats, limit: number | undefined): string {
  if (problems.length === 0) return `No problems match (index ${stats.index}).\n`;
  const header = `${pad('COUNT', 8)}${pad('FIRST SEEN', 21)}${pad('LAST SEEN', 21)}${pad('CAUSE', 24)}${pad('CALLER', 36)}ROLE`;
  const rows = problems.flatMap((p) => [
    `${pad(String(p.count), 8)}${pad(safeText(p.firstSeen), 21)}${pad(safeText(p.lastSeen), 21)}${pad(safeText(p.cause), 24)}${pad(shortPrincipal(p.caller, 36), 36)}${shortPrincipal(p.role, 48)}`,
    `${' '.repeat(9)}${safeText(p.summary).slice(0, 160)}`,
  ]);
  const total = problems.reduce((sum, p) => sum + p.count, 0);
  // "in all" would claim every problem: at the limit, the sum is only of those shown.
  const cut =
    limit !== undefined && problems.length >= limit ? ` (--limit ${limit} reached: older problems not shown)` : '';
  const footer = `${problems.length} distinct problem${problems.length === 1 ? '' : 's'}${cut}, ${total} occurrences between them, most recently seen first (index ${stats.index}; ${stats.requests} page reads${stats.budgetExhausted ? '; stopped at the query budget, narrow the filters' : ''}).`;
  return `${[header, ...rows, footer].join('\n')}\n`;
}
