import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LogFile } from './local-tree';
import { isGzipName, readLogStream } from './log-file-reader';
import { keepFolder, LOG_FILE, levelBelow, type TrailFilter } from './trail-layout';

/**
 * A trail's log files in S3, found by descending the standard layout one level at a time with ListObjectsV2
 * (Prefix + Delimiter '/'): the --accounts, --regions and --since filters choose which prefixes are listed at all,
 * so a scan of one account, one region and the last week lists a handful of prefixes, never the whole bucket.
 */
export interface S3Location {
  bucket: string;
  prefix: string;
}

export function parseS3Url(url: string): S3Location | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) return undefined;
  const prefix = m[2] ?? '';
  return { bucket: m[1], prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

export interface S3ListStats {
  /** Every prefix a ListObjectsV2 request was sent for, in order (one entry per page). */
  listed: string[];
}

export async function* s3LogFiles(
  client: S3Client,
  where: S3Location,
  filter: TrailFilter,
  stats: S3ListStats = { listed: [] },
): AsyncGenerator<LogFile> {
  yield* descend(client, where.bucket, where.prefix, filter, stats);
}

async function* descend(
  client: S3Client,
  bucket: string,
  prefix: string,
  filter: TrailFilter,
  stats: S3ListStats,
): AsyncGenerator<LogFile> {
  const segments = prefix.split('/').filter(Boolean);
  const level = levelBelow(segments);
  let token: string | undefined;
  do {
    stats.listed.push(prefix);
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key && LOG_FILE.test(key)) yield s3File(client, bucket, key);
    }
    for (const common of page.CommonPrefixes ?? []) {
      const child = common.Prefix;
      if (!child) continue;
      const name = child.slice(prefix.length).replace(/\/$/, '');
      if (keepFolder(level, name, segments, filter)) yield* descend(client, bucket, child, filter, stats);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

function s3File(client: S3Client, bucket: string, key: string): LogFile {
  const name = `s3://${bucket}/${key}`;
  return {
    name,
    async read() {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return readLogStream(out.Body as Readable, isGzipName(key), name);
    },
  };
}
