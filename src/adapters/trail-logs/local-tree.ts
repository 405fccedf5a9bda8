import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLogFile } from './log-file-reader';
import { keepFolder, LOG_FILE, levelBelow, type TrailFilter } from './trail-layout';

/** One log file of a scan source: its name for messages, and how to read its (decompressed) bytes. */
export interface LogFile {
  name: string;
  read(): Promise<Buffer>;
  /** A local file's path: the parser thread reads it itself (readLogFileSync), sparing the main thread. */
  localPath?: string;
}

/**
 * The *.json and *.json.gz files under the given paths (files or directories), in name order, walking a
 * directory lazily and skipping the AWSLogs/ folders that the filter rules out (trail-layout.ts).
 */
export async function* localLogFiles(paths: readonly string[], filter: TrailFilter): AsyncGenerator<LogFile> {
  for (const root of paths) {
    const stat = await fs.promises.stat(root);
    if (!stat.isDirectory()) {
      yield localFile(root);
      continue;
    }
    yield* walk(root, path.resolve(root).split(path.sep).filter(Boolean), filter);
  }
}

async function* walk(dir: string, segments: string[], filter: TrailFilter): AsyncGenerator<LogFile> {
  const entries = (await fs.promises.readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const level = levelBelow(segments);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (keepFolder(level, entry.name, segments, filter)) yield* walk(full, [...segments, entry.name], filter);
    } else if (entry.isFile() && LOG_FILE.test(entry.name)) {
      yield localFile(full);
    }
  }
}

function localFile(file: string): LogFile {
  return {
    name: file,
    read: () => readLogFile(file),
    localPath: file,
  };
}
