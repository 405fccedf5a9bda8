import * as path from 'node:path';
import { SqliteFindingsStore } from '../adapters/local-store/sqlite-findings-store';
import { errorMessage, errorName } from '../errors';
import { DEFAULT_OCCURRENCE_TTL_DAYS } from '../pipeline/config';
import type { ScanSink } from '../pipeline/scan/scan-run';
import { storeSink } from '../pipeline/scan/store-sink';
import { CliUserError, oneLine } from './cli-io';
import { safeText } from './terminal-text';

export const DEFAULT_STORE = 'trustgap-findings.db';

export interface ScanTargetFlags {
  store?: string;
  table?: string;
  region?: string;
  'ttl-days'?: string;
}

/** Where a scan writes: the local store, or the deployed findings table (and, for LookupEvents, where its cursors are). */
export interface ScanTarget {
  sink: ScanSink;
  /** For the summary: the store's path or the table's name. */
  store?: string;
  table?: string;
  occurrenceTtlDays?: number;
  /** The local store, for LookupEvents cursors (with --table too: a scan into a table resumes from its own cursor). */
  cursorStore(): SqliteFindingsStore;
  /** The cursor's name in the store: per region, and per table when writing to one. */
  cursorName(region: string): string;
  close(): void;
}

/** A write to --table failed (after the SDK's retries): what was counted stays counted, so re-running is safe. */
export class TableWriteError extends Error {
  constructor(
    readonly table: string,
    readonly cause: unknown,
  ) {
    super(
      `writing to table ${table} failed (${errorName(cause)}: ${oneLine(errorMessage(cause))}); what was counted stays counted: run the same command again to finish`,
    );
    this.name = 'TableWriteError';
  }
}

export function openScanTarget(flags: ScanTargetFlags): ScanTarget {
  const storeFile = path.resolve(flags.store ?? DEFAULT_STORE);
  let store: SqliteFindingsStore | undefined;
  const openStore = () => {
    try {
      store ??= SqliteFindingsStore.open(storeFile);
    } catch (err) {
      throw new CliUserError(`--store ${storeFile}: ${oneLine((err as Error).message)}`);
    }
    return store;
  };
  if (flags.table === undefined) {
    if (flags['ttl-days'] !== undefined) throw new CliUserError('--ttl-days goes with --table');
    const opened = openStore();
    return {
      sink: storeSink(opened),
      store: storeFile,
      cursorStore: () => opened,
      cursorName: (region) => `lookup-events:${region}`,
      close: () => opened.close(),
    };
  }
  const table = flags.table;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table))
    throw new CliUserError(`--table '${safeText(table)}' is not a DynamoDB table name`);
  const ttlDays = flags['ttl-days'] === undefined ? DEFAULT_OCCURRENCE_TTL_DAYS : Number(flags['ttl-days']);
  if (!Number.isSafeInteger(ttlDays) || ttlDays < 1)
    throw new CliUserError(`--ttl-days must be a positive whole number of days; got '${safeText(flags['ttl-days'])}'`);
  // The Lambda's client (adaptive retries, timeouts): AWS_ENDPOINT_URL_DYNAMODB is honoured by the SDK. Loaded here
  // only, so a scan into the local store starts without the DynamoDB SDK.
  const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
  const { createDynamoDbClient } = require('../adapters/aws-clients') as typeof import('../adapters/aws-clients');
  const { FindingsHistory } =
    require('../adapters/history/findings-history') as typeof import('../adapters/history/findings-history');
  const { tableSink } = require('../pipeline/scan/table-sink') as typeof import('../pipeline/scan/table-sink');
  const client = createDynamoDbClient({ region: flags.region });
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const sink = tableSink({ history: new FindingsHistory({ documentClient, tableName: table }) });
  return {
    sink: {
      record: (entries) =>
        sink.record(entries).catch((err: unknown) => {
          throw new TableWriteError(table, err);
        }),
    },
    table,
    occurrenceTtlDays: ttlDays,
    cursorStore: openStore,
    cursorName: (region) => `lookup-events:${region}:table:${table}`,
    close: () => {
      client.destroy();
      store?.close();
    },
  };
}
