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

export { refuseDenseText, TOO_DENSE } from '../../engine/event/dense-json';
export function readLogFileSync(file: string, maxBytes: number): Buffer;
export function parseLogJson(bytes: Uint8Array, maxBytes: number): unknown;
export function recordsOf(parsed: unknown): unknown[];
export function filterRecords(records: readonly unknown[]): LogBatch;
export function parseLogBatch(bytes: Uint8Array, maxBytes: number): LogBatch;
