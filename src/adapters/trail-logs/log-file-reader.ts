import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
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
