/**
 * A small S3-protocol server for the tests, on 127.0.0.1 and a free port: PutObject, GetObject and ListObjectsV2
 * (Prefix, Delimiter, MaxKeys, ContinuationToken; the REST/XML wire format the SDK parses), objects in memory.
 * The SDK reaches it through AWS_ENDPOINT_URL_S3 with path-style addressing. Every ListObjectsV2 prefix is logged.
 *
 * Why not s3rver (npm): its filesystem store skips every directory below the first common prefix, so a
 * Delimiter listing of AWSLogs/ trees (keys 7 levels deep) returns no common prefixes at all.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalS3 {
  endpoint: string;
  objects: Map<string, Buffer>;
  /** Prefix of each ListObjectsV2 request, in order. */
  listed: string[];
  /**
   * When set, every ListObjectsV2 request after the first `after` ones (counted in `listed`) is refused with 403
   * AccessDenied, as S3 refuses a listing whose permission was revoked mid-scan: a tree walk that fails part-way.
   */
  failListingsAfter: number | undefined;
  stop(): Promise<void>;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function list(objects: Map<string, Buffer>, bucket: string, q: URLSearchParams): string {
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Number(q.get('max-keys') ?? 1000);
  const after = q.get('continuation-token') ? Buffer.from(q.get('continuation-token') ?? '', 'base64').toString() : '';
  const entries: Array<{ key: string; common: boolean }> = [];
  const seen = new Set<string>();
  for (const full of [...objects.keys()].filter((k) => k.startsWith(`${bucket}/`)).sort()) {
    const key = full.slice(bucket.length + 1);
    if (!key.startsWith(prefix)) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const entry = cut >= 0 ? key.slice(0, cut + delimiter.length) : key;
    if (entry <= after || seen.has(entry)) continue;
    seen.add(entry);
    entries.push({ key: entry, common: cut >= 0 });
  }
  const page = entries.slice(0, maxKeys);
  const truncated = entries.length > maxKeys;
  const next = truncated ? Buffer.from(page[page.length - 1].key).toString('base64') : '';
  const body = page
    .map((e) =>
      e.common
        ? `<CommonPrefixes><Prefix>${xml(e.key)}</Prefix></CommonPrefixes>`
        : `<Contents><Key>${xml(e.key)}</Key><Size>${objects.get(`${bucket}/${e.key}`)?.length ?? 0}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${delimiter ? `<Delimiter>${xml(delimiter)}</Delimiter>` : ''}<IsTruncated>${truncated}</IsTruncated>${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${body}</ListBucketResult>`;
}

export async function startS3(buckets: string[]): Promise<LocalS3> {
  const objects = new Map<string, Buffer>();
  const listed: string[] = [];
  const local: LocalS3 = {
    endpoint: '',
    objects,
    listed,
    failListingsAfter: undefined,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: http.Server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [bucket, ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fail = (status: number, code: string) => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
      };
      if (!buckets.includes(bucket)) return fail(404, 'NoSuchBucket');
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) return fail(403, 'AccessDenied');
      if (req.method === 'PUT' && key) {
        objects.set(`${bucket}/${key}`, Buffer.concat(chunks));
        res.writeHead(200, { etag: '"0"' });
        return res.end();
      }
      if (req.method === 'GET' && !key && url.searchParams.get('list-type') === '2') {
        if (local.failListingsAfter !== undefined && listed.length >= local.failListingsAfter)
          return fail(403, 'AccessDenied');
        listed.push(url.searchParams.get('prefix') ?? '');
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end(list(objects, bucket, url.searchParams));
      }
      if (req.method === 'GET' && key) {
        const body = objects.get(`${bucket}/${key}`);
        if (!body) return fail(404, 'NoSuchKey');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
        return res.end(body);
      }
      fail(400, 'NotImplemented');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  local.endpoint = `http://127.0.0.1:${port}`;
  return local;
}
