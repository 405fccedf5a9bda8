import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, normalizeBuffer } from '../engine/event/normalize';
import type { NormalizedEvent } from '../engine/event/types';
import { CliUserError, describeFsError, oneLine } from './cli-io';
import type { SkippedLine } from './render-finding';

/**
 * Reads the `--event` argument: one file (a raw CloudTrail record, an EventBridge envelope or a CloudTrail log
 * file, optionally gzipped) or a directory, of which every *.json and *.json.gz file is read in name order.
 * Everything is read and normalized before any diagnosis, so a bad file stops the run before any output.
 */

export interface LoadedEvent {
  event: NormalizedEvent;
  /** The file it came from, as the user named it (for messages). */
  source: string;
}

export interface LoadedEvents {
  events: LoadedEvent[];
  skipped: SkippedLine[];
  /** The files that were read, in order. */
  files: string[];
}

const EVENT_FILE = /\.json(\.gz)?$/i;

/** The files an --event argument stands for. Throws CliUserError with a one-line message. */
export function listEventFiles(eventPath: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(eventPath);
  } catch (err) {
    throw new CliUserError(`--event ${eventPath}: ${describeFsError(err)}`);
  }
  if (!stat.isDirectory()) return [eventPath];

  let names: string[];
  try {
    names = fs.readdirSync(eventPath);
  } catch (err) {
    throw new CliUserError(`--event ${eventPath}: ${describeFsError(err)}`);
  }
  const files = names
    .filter((name) => EVENT_FILE.test(name))
    .sort()
    .map((name) => path.join(eventPath, name))
    .filter((file) => fs.statSync(file).isFile());
  if (files.length === 0) throw new CliUserError(`--event ${eventPath}: directory has no *.json or *.json.gz files`);
  return files;
}

function readEventFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new CliUserError(`${file}: ${describeFsError(err)}`);
  }
}

/** Normalize one file's contents; an InputError becomes a one-line CliUserError naming the file. */
function normalizeFile(file: string): ReturnType<typeof normalizeBuffer> {
  try {
    return normalizeBuffer(readEventFile(file), file);
  } catch (err) {
    if (err instanceof InputError) {
      const message = oneLine(err.message);
      // The normalizer may already start its message with the source name; don't say it twice.
      throw new CliUserError(message.startsWith(file) ? message : `${file}: ${message}`);
    }
    throw err;
  }
}

export function loadEvents(eventPath: string): LoadedEvents {
  const files = listEventFiles(eventPath);
  const events: LoadedEvent[] = [];
  const skipped: SkippedLine[] = [];
  for (const file of files) {
    const result = normalizeFile(file);
    for (const event of result.events) events.push({ event, source: file });
    for (const s of result.skipped) {
      skipped.push({ source: file, index: s.index, eventName: s.eventName, eventId: s.eventId, reason: s.reason });
    }
  }
  return { events, skipped, files };
}
