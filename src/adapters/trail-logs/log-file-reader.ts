import { readFile, stat } from 'node:fs/promises';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { MAX_DECOMPRESSED_BYTES } from '../../engine/event/read-input';

/**
 * A CloudTrail log file's bytes, gunzipped as they stream in (CloudTrail writes *.json.gz), never more than
 * MAX_DECOMPRESSED_BYTES (a gzip bomb stops there). Only the file being read is in memory, never the tree.
 */
export async function readLogStream(source: Readable, gzipped: boolean, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const collector = new Writable({
    write(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > MAX_DECOMPRESSED_BYTES) {
        done(new Error(`${name}: decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
      done();
    },
  });
  if (gzipped) await pipeline(source, createGunzip({ chunkSize: 1 << 20 }), collector);
  else await pipeline(source, collector);
  return Buffer.concat(chunks, total);
}

export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}

const gunzipAsync = promisify(gunzip);

/**
 * A local log file (the parser thread's copy: readLogFileSync in log-records.js): read whole (CloudTrail's are small), then gunzipped in one call on libuv's thread pool. A
 * stream needs the main thread for every chunk, so while the main thread parses the previous file the stream
 * stalls; one callback per file lets several files decompress in the background.
 */
export async function readLogFile(file: string, maxBytes = MAX_DECOMPRESSED_BYTES): Promise<Buffer> {
  // A plain file is measured before it is read: one of 2 GB must be refused, not loaded and then refused.
  if (!isGzipName(file)) {
    if ((await stat(file)).size > maxBytes) throw new Error(`${file}: more than ${maxBytes} bytes`);
    return readFile(file);
  }
  const bytes = await readFile(file);
  try {
    // 1 MiB output chunks: with the 16 KiB default the thread pool hands back so many pieces that it runs 4× slower.
    return await gunzipAsync(bytes, { chunkSize: 1 << 20, maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(`${file}: decompresses to more than ${maxBytes} bytes`);
    throw error;
  }
}
