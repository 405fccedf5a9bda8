import * as fs from 'node:fs';
import { localLogFiles } from '../adapters/trail-logs/local-tree';
import { InputError, normalizeBuffer } from '../engine/event/normalize';
import { MAX_DECOMPRESSED_BYTES } from '../engine/event/read-input';
import type { NormalizedEvent } from '../engine/event/types';
import { CliUserError, describeFsError, oneLine } from './cli-io';
import type { SkippedLine } from './render-finding';

/**
 * Reads the `--event` arguments (the flag may be repeated). Each is one file (a raw CloudTrail record, an EventBridge
 * envelope or a CloudTrail log file {"Records":[...]}, optionally gzipped), `-` for standard input, or a directory,
 * read recursively like an `AWSLogs/` tree: every *.json and *.json.gz file in name order (the tree walk of
 * `trustgap scan`, src/adapters/trail-logs/local-tree.ts, which skips CloudTrail-Digest folders).
 * Everything is read and normalized before any diagnosis, so a bad file stops the run before any output.
 */

export interface LoadedEvent {
  event: NormalizedEvent;
  /** The file it came from, as the user named it (for messages); `<stdin>` for standard input. */
  source: string;
}

export interface LoadedEvents {
  events: LoadedEvent[];
  skipped: SkippedLine[];
  /** The files that were read, in order. */
  files: string[];
}

export const STDIN_NAME = '<stdin>';

/** The files one --event argument stands for. Throws CliUserError with a one-line message. */
export async function listEventFiles(eventPath: string): Promise<string[]> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(eventPath);
  } catch (err) {
    throw new CliUserError(`--event ${eventPath}: ${describeFsError(err)}`);
  }
  if (!stat.isDirectory()) return [eventPath];
  const files: string[] = [];
  try {
    for await (const file of localLogFiles([eventPath], {})) files.push(file.name);
  } catch (err) {
    throw new CliUserError(`--event ${eventPath}: ${describeFsError(err)}`);
  }
  if (files.length === 0)
    throw new CliUserError(`--event ${eventPath}: directory has no *.json or *.json.gz files (searched recursively)`);
  return files;
}

/** A file larger than any input trustgap accepts is refused before it is read (a 20 GB file must not OOM). */
export function readEventFile(file: string, maxBytes = MAX_DECOMPRESSED_BYTES): Buffer {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (err) {
    throw new CliUserError(`${file}: ${describeFsError(err)}`);
  }
  if (size > maxBytes) throw new CliUserError(`${file}: ${size} bytes, more than the ${maxBytes} trustgap reads`);
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new CliUserError(`${file}: ${describeFsError(err)}`);
  }
}

/** Normalize one input's bytes; an InputError becomes a one-line CliUserError naming the input. */
function normalizeNamed(data: Buffer, name: string): ReturnType<typeof normalizeBuffer> {
  try {
    return normalizeBuffer(data, name);
  } catch (err) {
    if (err instanceof InputError) {
      const message = oneLine(err.message);
      // The normalizer may already start its message with the source name; don't say it twice.
      throw new CliUserError(message.startsWith(name) ? message : `${name}: ${message}`);
    }
    throw err;
  }
}

function collect(into: LoadedEvents, result: ReturnType<typeof normalizeBuffer>, source: string): void {
  for (const event of result.events) into.events.push({ event, source });
  for (const s of result.skipped) {
    into.skipped.push({ source, index: s.index, eventName: s.eventName, eventId: s.eventId, reason: s.reason });
  }
}

/** `stdin` reads all of standard input; it is called at most once (a second `-` is refused before). */
export async function loadEvents(eventPaths: readonly string[], stdin?: () => Promise<Buffer>): Promise<LoadedEvents> {
  const loaded: LoadedEvents = { events: [], skipped: [], files: [] };
  for (const eventPath of eventPaths) {
    if (eventPath === '-') {
      if (!stdin) throw new CliUserError('--event -: standard input cannot be read here');
      loaded.files.push(STDIN_NAME);
      collect(loaded, normalizeNamed(await stdin(), STDIN_NAME), STDIN_NAME);
      continue;
    }
    for (const file of await listEventFiles(eventPath)) {
      loaded.files.push(file);
      collect(loaded, normalizeNamed(readEventFile(file), file), file);
    }
  }
  return loaded;
}
