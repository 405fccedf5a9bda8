/**
 * The local store's SQLite schema: the findings table's items, one row each, with a column and an index for each
 * GSI of the table (byRole, byCaller, byCause, byDay; all sorted by eventTime) so the same Query shapes are
 * index range scans. `item` holds the item exactly as DynamoDB would (JSON).
 */
export const STORE_SCHEMA_VERSION = 'trustgap-store-v1';

export const STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS occurrences (
  event_id TEXT PRIMARY KEY,
  event_time TEXT NOT NULL,
  event_day TEXT NOT NULL,
  role_arn TEXT,
  caller_arn TEXT,
  cause TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  item TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS by_day ON occurrences (event_day, event_time, event_id);
CREATE INDEX IF NOT EXISTS by_role ON occurrences (role_arn, event_time, event_id);
CREATE INDEX IF NOT EXISTS by_caller ON occurrences (caller_arn, event_time, event_id);
CREATE INDEX IF NOT EXISTS by_cause ON occurrences (cause, event_time, event_id);
CREATE TABLE IF NOT EXISTS aggregates (
  fingerprint TEXT PRIMARY KEY,
  last_seen TEXT NOT NULL,
  item TEXT NOT NULL,
  latest_finding TEXT
);
CREATE TABLE IF NOT EXISTS shared (shared_event_id TEXT PRIMARY KEY, event_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
