import Database from 'better-sqlite3';
import type { FindingsSource, FingerprintRecord, IndexPage, IndexPageRequest } from '../history/findings-source';
import { INDEX_KEY } from '../history/findings-source';
import type {
  AggregateItem,
  BucketItem,
  FingerprintIdentity,
  FingerprintTotals,
  OccurrenceOutcome,
  OccurrenceRecord,
} from '../history/items';
import { aggregateKey } from '../history/items';
import { STORE_SCHEMA, STORE_SCHEMA_VERSION } from './store-schema';

/**
 * The embedded local store of `trustgap scan`: one SQLite file (better-sqlite3) holding the same occurrence and
 * aggregate items as the DynamoDB table, with one SQL index per table GSI. It is a FindingsSource, so
 * `trustgap findings --store` runs the very query code of the table. Why SQLite: docs/scan.md.
 *
 * Exactly-once per eventID, as the table: an occurrence row is inserted only if absent, and the aggregate is
 * counted in the same transaction; the second copy of a cross-account call (same sharedEventID) is a linked copy.
 */
/**
 * One event as the store keeps it. The table counts events in buckets (a storm's cost is the table's problem);
 * a local file can afford one row per event, and answers the query code with one-event buckets.
 */
export interface StoredOccurrence extends OccurrenceRecord {
  outcome?: OccurrenceOutcome;
  /** linked-copy: the eventID of the copy that was counted. */
  linkedTo?: string;
}

/** The store's per-fingerprint row: the table's aggregate, and the totals the table adds up from its buckets. */
type StoredAggregate = AggregateItem & { count: number; lastSeen: string; latestEventId: string };

/** A fingerprint's aggregate as counted so far in this batch, and its newest event's finding if that came in it. */
interface BatchAggregate {
  aggregate: StoredAggregate;
  latestFinding: unknown;
}

export interface StoreEntry {
  occurrence: StoredOccurrence;
  identity: FingerprintIdentity;
  latestFinding: unknown;
}

export interface RecordResult {
  recorded: number;
  duplicates: number;
  linkedCopies: number;
}

const COLUMN: Record<string, string> = {
  roleArn: 'role_arn',
  callerArn: 'caller_arn',
  cause: 'cause',
  eventDay: 'event_day',
};

interface PageKey {
  t: string;
  id: string;
}

export class SqliteFindingsStore implements FindingsSource {
  readonly label: string;
  private readonly db: Database.Database;
  private readonly insertOccurrence: Database.Statement;
  private readonly claimShared: Database.Statement;
  private readonly markLinked: Database.Statement;
  private readonly getAggregateRow: Database.Statement;
  private readonly putAggregate: Database.Statement;
  private readonly writeBatch: (entries: StoreEntry[]) => RecordResult;

  private constructor(
    readonly file: string,
    readOnly: boolean,
  ) {
    this.label = `store ${file}`;
    this.db = new Database(file, { readonly: readOnly, fileMustExist: readOnly });
    if (!readOnly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(STORE_SCHEMA);
      this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema', STORE_SCHEMA_VERSION);
    }
    const version = (this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string })?.value;
    if (version !== STORE_SCHEMA_VERSION)
      throw new Error(`${file}: not a trustgap store of schema ${STORE_SCHEMA_VERSION} (found ${version ?? 'none'})`);
    this.insertOccurrence = this.db.prepare(
      `INSERT OR IGNORE INTO occurrences (event_id, event_time, event_day, role_arn, caller_arn, cause, fingerprint, item)
       VALUES (@eventId, @eventTime, @eventDay, @roleArn, @callerArn, @cause, @fingerprint, @item)`,
    );
    this.claimShared = this.db.prepare('INSERT OR IGNORE INTO shared (shared_event_id, event_id) VALUES (?, ?)');
    this.markLinked = this.db.prepare('UPDATE occurrences SET item = ? WHERE event_id = ?');
    this.getAggregateRow = this.db.prepare('SELECT item FROM aggregates WHERE fingerprint = ?');
    this.putAggregate = this.db.prepare(
      `INSERT INTO aggregates (fingerprint, last_seen, item, latest_finding) VALUES (@fingerprint, @lastSeen, @item, @finding)
       ON CONFLICT (fingerprint) DO UPDATE SET last_seen = excluded.last_seen, item = excluded.item,
         latest_finding = COALESCE(excluded.latest_finding, aggregates.latest_finding)`,
    );
    this.writeBatch = this.db.transaction((entries: StoreEntry[]) => {
      const result: RecordResult = { recorded: 0, duplicates: 0, linkedCopies: 0 };
      // A batch is mostly one storm: each fingerprint's aggregate is read, counted and written once per batch,
      // not once per event (inside the transaction, so exactly-once holds as before).
      const counted = new Map<string, BatchAggregate>();
      for (const entry of entries) this.recordOne(entry, result, counted);
      for (const [fingerprint, { aggregate, latestFinding }] of counted)
        this.putAggregate.run({
          fingerprint,
          lastSeen: aggregate.lastSeen,
          item: JSON.stringify(aggregate),
          finding: latestFinding === undefined ? null : JSON.stringify(latestFinding),
        });
      return result;
    });
  }

  /** Opens (creating it if absent) a store to write to. */
  static open(file: string): SqliteFindingsStore {
    return new SqliteFindingsStore(file, false);
  }

  /** Opens an existing store read-only (findings, report). */
  static openReadOnly(file: string): SqliteFindingsStore {
    return new SqliteFindingsStore(file, true);
  }

  close(): void {
    this.db.close();
  }

  private storedAggregate(fingerprint: string): StoredAggregate | undefined {
    const row = this.getAggregateRow.get(fingerprint) as { item: string } | undefined;
    return row ? (JSON.parse(row.item) as StoredAggregate) : undefined;
  }

  /** Records a batch in one transaction; each eventID is counted at most once, whatever was recorded before. */
  record(entries: StoreEntry[]): RecordResult {
    return this.writeBatch(entries);
  }

  private recordOne(entry: StoreEntry, result: RecordResult, counted: Map<string, BatchAggregate>): void {
    const o = entry.occurrence;
    const inserted = this.insertOccurrence.run({
      eventId: o.eventId,
      eventTime: o.eventTime,
      eventDay: o.eventDay ?? o.eventTime.slice(0, 10),
      roleArn: o.roleArn ?? null,
      callerArn: o.callerArn ?? null,
      cause: o.cause ?? '',
      fingerprint: o.fingerprint,
      item: JSON.stringify(o),
    });
    if (inserted.changes === 0) {
      result.duplicates += 1;
      return;
    }
    if (o.sharedEventId !== undefined && this.claimShared.run(o.sharedEventId, o.eventId).changes === 0) {
      const first = this.db.prepare('SELECT event_id FROM shared WHERE shared_event_id = ?').get(o.sharedEventId) as {
        event_id: string;
      };
      this.markLinked.run(JSON.stringify({ ...o, outcome: 'linked-copy', linkedTo: first.event_id }), o.eventId);
      result.linkedCopies += 1;
      return;
    }
    const inBatch = counted.get(o.fingerprint);
    const previous = inBatch ? inBatch.aggregate : this.storedAggregate(o.fingerprint);
    const aggregate = countInto(previous, entry);
    const newest = aggregate.latestEventId === o.eventId;
    counted.set(o.fingerprint, { aggregate, latestFinding: newest ? entry.latestFinding : inBatch?.latestFinding });
    result.recorded += 1;
  }

  getCursor(name: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined;
    return row?.value;
  }

  setCursor(name: string, value: string | undefined): void {
    if (value === undefined) this.db.prepare('DELETE FROM cursors WHERE name = ?').run(name);
    else this.db.prepare('INSERT OR REPLACE INTO cursors (name, value) VALUES (?, ?)').run(name, value);
  }

  queryIndexPage(request: IndexPageRequest): Promise<IndexPage> {
    return Promise.resolve(this.readPage(request));
  }

  private readPage(request: IndexPageRequest): IndexPage {
    const column = COLUMN[INDEX_KEY[request.index]];
    const where = [`${column} = @partition`];
    const params: Record<string, unknown> = { partition: request.partition, limit: request.limit };
    if (request.since) {
      where.push('event_time >= @since');
      params.since = request.since;
    }
    const start = request.startKey as PageKey | undefined;
    if (start) {
      where.push('(event_time < @t OR (event_time = @t AND event_id < @id))');
      params.t = start.t;
      params.id = start.id;
    }
    const rows = this.db
      .prepare(
        `SELECT event_id, event_time, item FROM occurrences WHERE ${where.join(' AND ')}
         ORDER BY event_time DESC, event_id DESC LIMIT @limit`,
      )
      .all(params) as Array<{ event_id: string; event_time: string; item: string }>;
    const items = rows
      .map((r) => asBucket(JSON.parse(r.item) as StoredOccurrence))
      .filter((item) => Object.entries(request.filters).every(([k, v]) => v === undefined || item[k as 'cause'] === v));
    const last = rows.at(-1);
    const nextKey = last && rows.length === request.limit ? { t: last.event_time, id: last.event_id } : undefined;
    return { items, scannedCount: rows.length, nextKey };
  }

  loadFingerprint(fingerprint: string): Promise<FingerprintRecord> {
    return Promise.resolve(this.readFingerprint(fingerprint));
  }

  private readFingerprint(fingerprint: string): FingerprintRecord {
    const row = this.db.prepare('SELECT item, latest_finding FROM aggregates WHERE fingerprint = ?').get(fingerprint) as
      | { item: string; latest_finding: string | null }
      | undefined;
    if (!row) return { totals: { count: 0 } };
    const { count, lastSeen, latestEventId, ...aggregate } = JSON.parse(row.item) as StoredAggregate;
    const totals: FingerprintTotals = { count, firstSeen: aggregate.firstSeen, lastSeen, latestEventId };
    return {
      aggregate: aggregate as AggregateItem,
      totals,
      latestFinding: row.latest_finding ? JSON.parse(row.latest_finding) : undefined,
    };
  }
}

/** The aggregate after counting one more occurrence (the table's ADD, with the same first/last seen rules). */
function countInto(previous: StoredAggregate | undefined, entry: StoreEntry): StoredAggregate {
  const o = entry.occurrence;
  if (!previous) {
    return {
      ...aggregateKey(o.fingerprint),
      type: 'aggregate',
      fingerprint: o.fingerprint,
      identity: entry.identity,
      count: 1,
      firstSeen: o.eventTime,
      lastSeen: o.eventTime,
      latestEventId: o.eventId,
      summary: o.summary,
      severity: o.severity,
      expiresAt: o.expiresAt,
    };
  }
  const newer = o.eventTime >= previous.lastSeen;
  return {
    ...previous,
    count: previous.count + 1,
    firstSeen: [o.eventTime, previous.firstSeen].sort()[0],
    lastSeen: newer ? o.eventTime : previous.lastSeen,
    latestEventId: newer ? o.eventId : previous.latestEventId,
    summary: newer ? o.summary : previous.summary,
    severity: newer ? o.severity : previous.severity,
    expiresAt: Math.max(previous.expiresAt, o.expiresAt),
  };
}

/** A stored event as the query code's item: a bucket of one (none, for a linked copy: the other copy counted). */
function asBucket(o: StoredOccurrence): BucketItem {
  return {
    ...o,
    pk: `FP#${o.fingerprint}`,
    sk: `E#${o.eventId}`,
    type: 'bucket',
    count: o.outcome === 'linked-copy' ? 0 : 1,
    ids: new Set([o.eventId]),
    lastEventTime: o.eventTime,
    latestEventId: o.eventId,
  };
}
