/** Types of log-records.js (plain CommonJS so that a worker thread can load it without a TypeScript loader). */

/** A record that may be a denied role assumption (an errorCode, eventSource sts), with its index in the file. */
export interface LogCandidate {
  index: number;
  record: Record<string, unknown>;
}

/** A batch of records (a log file or a LookupEvents page) reduced to what the scan needs. */
export interface LogBatch {
  /** Every record of the batch, candidate or not. */
  records: number;
  /** Records that are not JSON objects. */
  skipped: number;
  candidates: LogCandidate[];
}

/** The `code` of the error refuseDenseText throws. */
export const TOO_DENSE: string;
export function readLogFileSync(file: string, maxBytes: number): Buffer;
export function parseLogJson(bytes: Uint8Array, maxBytes: number): unknown;
/** Throws when text longer than minBytes (default 64 MiB) holds more than one `{` or `[` per 16 bytes. */
export function refuseDenseText(text: string, minBytes?: number): void;
export function recordsOf(parsed: unknown): unknown[];
export function filterRecords(records: readonly unknown[]): LogBatch;
export function parseLogBatch(bytes: Uint8Array, maxBytes: number): LogBatch;
