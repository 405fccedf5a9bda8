import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { MAX_DECOMPRESSED_BYTES } from '../../engine/event/read-input';
import type { LogFile } from './local-tree';
import { type LogBatch, parseLogBatch, TOO_DENSE } from './log-records';

/**
 * Reads and parses a scan's log files, on a second core when there is one: JSON.parse of a whole trail is most of
 * a scan's CPU, and ~98% of its records are dropped right after, so a worker thread (log-parse-worker.js) parses
 * and filters each file and hands back only its record count and its failed STS calls. Without a second core, or
 * when the thread cannot start, the same functions (log-records.js) run on the main thread: same results.
 * If the thread dies on a file (out of memory on a hostile one), that file is reported unreadable and the rest
 * is parsed on the main thread.
 */
/** The parser thread's old-generation heap, unless the caller sets resourceLimits. */
const THREAD_HEAP_MB = 1024;

export type ParsedLogFile =
  | { kind: 'batch'; batch: LogBatch }
  /** Not JSON: skipped like today's broken records. */
  | { kind: 'malformed' }
  | { kind: 'unreadable'; error: Error };

export interface LogParserOptions {
  /** Parse in a worker thread; default: when the machine has a second core. */
  thread?: boolean;
  /** The worker's script (default log-parse-worker.js beside this file). */
  workerScript?: string;
  /** Heap limits of the worker thread (default: node's). */
  resourceLimits?: ResourceLimits;
}

const WORKER_SCRIPT = path.join(__dirname, 'log-parse-worker.js');

interface Job {
  file: LogFile;
  resolve(parsed: ParsedLogFile | Promise<ParsedLogFile>): void;
}

type WorkerReply =
  | { kind: 'ready' }
  | { id: number; kind: 'batch'; batch: LogBatch }
  | { id: number; kind: 'malformed' }
  | { id: number; kind: 'unreadable'; message: string; code?: string }
  | { id: number; kind: 'in-process'; bytes: Uint8Array };

export class LogParser {
  private worker?: Worker;
  /** Files sent to the worker, in the order sent (the order it answers in). */
  private readonly pending = new Map<number, Job>();
  private nextId = 0;
  private started = false;
  private closed = false;
  private failure?: Error;

  constructor(options: LogParserOptions = {}) {
    if (!(options.thread ?? availableParallelism() > 1)) return;
    try {
      this.worker = new Worker(options.workerScript ?? WORKER_SCRIPT, {
        // Plain node: the TypeScript loader the CLI or jest runs under is neither needed nor wanted there.
        execArgv: [],
        workerData: { maxBytes: MAX_DECOMPRESSED_BYTES },
        // A heap of its own: a small file of millions of tiny records must run the thread out of memory (that file
        // is then reported and skipped), not the process.
        resourceLimits: options.resourceLimits ?? { maxOldGenerationSizeMb: THREAD_HEAP_MB },
      });
    } catch {
      return;
    }
    // Idle, the thread keeps nothing alive; a scan waiting on it refs it (post) until the answers are in.
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.answer(reply));
    this.worker.on('error', (error) => {
      this.failure = error;
    });
    this.worker.on('exit', () => this.stopped());
    // An answer this thread cannot deserialize (nested deeper than its smaller stack allows): the answers come in
    // order, so it is the oldest file's, which is read again and parsed here.
    this.worker.on('messageerror', () => this.undeliverable());
  }

  /** Whether files are (still) parsed on the worker thread. */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  /** A file's records, read (a local file on the thread itself), parsed and filtered. */
  async parse(file: LogFile): Promise<ParsedLogFile> {
    if (this.worker && file.localPath !== undefined) return this.post(file, { path: file.localPath });
    if (!this.worker) return this.closed ? STOPPED : this.parseHere(file);
    let bytes: Buffer;
    try {
      bytes = await file.read();
    } catch (error) {
      return { kind: 'unreadable', error: error as Error };
    }
    // A buffer that owns its memory moves to the thread without a copy; a slice of a shared pool is copied.
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    return this.post(file, { bytes }, owned ? [bytes.buffer as ArrayBuffer] : []);
  }

  /** The same, on this thread. */
  private async parseHere(file: LogFile): Promise<ParsedLogFile> {
    try {
      return parseBytes(await file.read());
    } catch (error) {
      return { kind: 'unreadable', error: error as Error };
    }
  }

  private post(file: LogFile, message: object, transfer: ArrayBuffer[] = []): Promise<ParsedLogFile> {
    const worker = this.worker;
    if (!worker) return this.parseHere(file);
    return new Promise((resolve) => {
      const id = this.nextId++;
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { file, resolve });
      worker.postMessage({ id, ...message }, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const job of this.pending.values()) job.resolve(STOPPED);
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  private answer(reply: WorkerReply): void {
    if (reply.kind === 'ready') {
      this.started = true;
      return;
    }
    const job = this.pending.get(reply.id);
    if (!job) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.kind === 'in-process') job.resolve(parseBytes(reply.bytes));
    else if (reply.kind === 'unreadable')
      job.resolve({ kind: 'unreadable', error: Object.assign(new Error(reply.message), { code: reply.code }) });
    else if (reply.kind === 'batch') job.resolve({ kind: 'batch', batch: reply.batch });
    else job.resolve({ kind: 'malformed' });
  }

  private undeliverable(): void {
    const [id, job] = this.pending.entries().next().value ?? [];
    if (id === undefined || !job) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    job.resolve(this.parseHere(job.file));
  }

  /** The thread is gone: the file it was on is unreadable, the rest is read again and parsed here. */
  private stopped(): void {
    if (this.closed) return;
    this.worker = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    if (this.started && jobs.length > 0) {
      const reason = this.failure?.message ?? 'it stopped';
      jobs.shift()?.resolve({ kind: 'unreadable', error: new Error(`the parser thread failed on it (${reason})`) });
    }
    for (const job of jobs) job.resolve(this.parseHere(job.file));
  }
}

const STOPPED: ParsedLogFile = { kind: 'unreadable', error: new Error('the scan stopped') };

function parseBytes(bytes: Uint8Array): ParsedLogFile {
  try {
    return { kind: 'batch', batch: parseLogBatch(bytes, MAX_DECOMPRESSED_BYTES) };
  } catch (error) {
    // Not JSON is skipped quietly, like a broken record; a file refused as too dense is reported with the reason.
    if ((error as NodeJS.ErrnoException).code === TOO_DENSE) return { kind: 'unreadable', error: error as Error };
    return { kind: 'malformed' };
  }
}
