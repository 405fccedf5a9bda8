import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateTrailTree } from '../../../bench/trail-generator';
import { type LogFile, localLogFiles } from '../../../src/adapters/trail-logs/local-tree';
import { readLogFile } from '../../../src/adapters/trail-logs/log-file-reader';
import { LogParser, type LogParserOptions, type ParsedLogFile } from '../../../src/adapters/trail-logs/log-parser';

/**
 * The parser thread and the in-process path give the same result for every file, including the broken and hostile
 * ones, and a thread that cannot start or dies on a file leaves the scan going on the main thread.
 */
let dir: string;
let files: LogFile[];
let generated: { records: number };

const DENIED = {
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  errorCode: 'AccessDenied',
  eventID: 'e-1',
  eventTime: '2026-12-01T10:00:00Z',
};

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, 'extra', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** A file that is not on disk: read() gives these bytes (as an S3 object does). */
function inMemory(name: string, bytes: Buffer): LogFile {
  return { name, read: () => Promise.resolve(Buffer.from(bytes)) };
}

async function parseAll(list: LogFile[], options: LogParserOptions): Promise<{ results: ParsedLogFile[] }> {
  const parser = new LogParser(options);
  try {
    // All in flight at once, as the scan's read-ahead has them; the answers are taken in file order.
    const results = await Promise.all(list.map((f) => parser.parse(f)));
    return { results };
  } finally {
    await parser.close();
  }
}

/** Errors compared by what the scan prints of them; a record too deep for toEqual by its outline. */
function comparable(results: ParsedLogFile[]): unknown[] {
  return results.map((r) => {
    if (r.kind === 'unreadable') return { kind: r.kind, message: r.error.message };
    if (r.kind !== 'batch' || !r.batch.candidates.some((c) => Array.isArray(c.record.requestParameters))) return r;
    const outline = r.batch.candidates.map(({ index, record }) => ({ index, keys: Object.keys(record) }));
    return { ...r.batch, candidates: outline };
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-log-parser-'));
  generated = generateTrailTree({ root: dir, records: 3000, days: 2, recordsPerFile: 150, seed: 11 });
  files = [];
  for await (const f of localLogFiles([path.join(dir, 'AWSLogs')], {})) files.push(f);
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  write('broken.json', '{"Records": [1, 2');
  write('not-gzip.json.gz', 'plain text, not gzip');
  write('empty.json', ' \n\t');
  write('bom-lines.json', `\ufeff${JSON.stringify(DENIED)}\r\n\r\n${JSON.stringify({ ...DENIED, eventID: 'e-2' })}\n`);
  write('odd-records.json.gz', gzipSync(JSON.stringify({ Records: [null, 'x', 3, [], DENIED, { errorCode: 'X' }] })));
  write('double.json.gz', gzipSync(gzipSync(JSON.stringify({ Records: [DENIED] }))));
  write(
    'records-not-array.json',
    JSON.stringify({ Records: 'nope', errorCode: 'E', eventSource: 'sts.amazonaws.com' }),
  );
  // Candidates nested deeper than the thread can post back (100,000), or than the main thread, with its smaller
  // stack, can receive (6,000 and 9,000 here): those files are parsed on the main thread instead.
  for (const depth of [6_000, 9_000]) {
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    write(`deep-${depth}.json`, `{"Records":[${JSON.stringify(DENIED).slice(0, -1)},"requestParameters":${nested}}]}`);
  }
  write('deep.json', `{"Records":[${JSON.stringify(DENIED).slice(0, -1)},"requestParameters":${deep}}]}`);
  // 69 MB of {} in a 70 KB gzip: refused before JSON.parse, with the reason, on either thread.
  const dense = gzipSync(`{"Records":[${'{},'.repeat(23_000_000)}{}]}`);
  write('dense.json.gz', dense);
  for await (const f of localLogFiles([path.join(dir, 'extra')], {})) files.push(f);
  const missing = path.join(dir, 'missing.json');
  files.push({ name: missing, read: () => readLogFile(missing), localPath: missing });
  files.push(
    inMemory('s3://b/k.json', Buffer.from(JSON.stringify({ Records: [DENIED, { eventSource: 'sts.amazonaws.com' }] }))),
    inMemory('s3://b/dense-object.json.gz', dense),
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the parser thread and the main thread agree on every file, broken and hostile ones included', async () => {
  const threaded = await parseAll(files, { thread: true });
  const inProcess = await parseAll(files, { thread: false });
  expect(comparable(threaded.results)).toEqual(comparable(inProcess.results));

  const byName = new Map(files.map((f, i) => [path.basename(f.name), inProcess.results[i]]));
  const kinds = [...byName].map(([name, r]) => [name, r.kind]);
  expect(kinds).toEqual(
    expect.arrayContaining([
      ['broken.json', 'malformed'],
      ['not-gzip.json.gz', 'unreadable'],
      ['empty.json', 'malformed'],
      ['missing.json', 'unreadable'],
    ]),
  );
  expect(byName.get('odd-records.json.gz')).toMatchObject({
    kind: 'batch',
    batch: { records: 6, skipped: 3, candidates: [{ index: 4, record: DENIED }] },
  });
  expect(byName.get('bom-lines.json')).toMatchObject({ kind: 'batch', batch: { records: 2 } });
  expect(byName.get('double.json.gz')).toMatchObject({ kind: 'batch', batch: { records: 1 } });
  // {Records: 'nope'} is one record, the object itself (as before the thread).
  expect(byName.get('records-not-array.json')).toMatchObject({
    kind: 'batch',
    batch: { records: 1, candidates: [{ index: 0 }] },
  });
  for (const name of ['deep-6000.json', 'deep-9000.json'])
    expect(byName.get(name)).toMatchObject({ kind: 'batch', batch: { records: 1, candidates: [{ index: 0 }] } });
  expect(byName.get('deep.json')).toMatchObject({ kind: 'batch', batch: { records: 1, candidates: [{ index: 0 }] } });
  for (const name of ['dense.json.gz', 'dense-object.json.gz'])
    expect(comparable([byName.get(name) as ParsedLogFile])).toEqual([
      { kind: 'unreadable', message: expect.stringContaining('not a CloudTrail log') },
    ]);
  // No errorCode: counted, not a candidate.
  expect(byName.get('k.json')).toEqual({
    kind: 'batch',
    batch: { records: 2, skipped: 0, candidates: [{ index: 0, record: DENIED }] },
  });
  const fromTree = inProcess.results.slice(0, files.length - 14);
  expect(fromTree.every((r) => r.kind === 'batch')).toBe(true);
  const total = fromTree.reduce((n, r) => n + (r.kind === 'batch' ? r.batch.records : 0), 0);
  expect(total).toBe(generated.records);
});

test('a thread that cannot start: every file is parsed on the main thread, with the same results', async () => {
  const parser = new LogParser({ thread: true, workerScript: path.join(dir, 'no-such-worker.js') });
  try {
    const results = await Promise.all(files.map((f) => parser.parse(f)));
    expect(parser.threaded).toBe(false);
    expect(comparable(results)).toEqual(comparable((await parseAll(files, { thread: false })).results));
  } finally {
    await parser.close();
  }
});

test('a thread that runs out of memory on a hostile file: that file is unreadable, the rest parsed here', async () => {
  const huge = write('huge.json', `{"Records":[${Array.from({ length: 300_000 }, (_, i) => `{"a":${i}}`).join(',')}]}`);
  const hostile: LogFile = { name: huge, read: () => fs.promises.readFile(huge), localPath: huge };
  const list = [files[0], hostile, ...files.slice(1, 6)];
  const parser = new LogParser({ thread: true, resourceLimits: { maxOldGenerationSizeMb: 12 } });
  try {
    const results = await Promise.all(list.map((f) => parser.parse(f)));
    expect(parser.threaded).toBe(false);
    expect(results[1]).toMatchObject({ kind: 'unreadable' });
    expect((results[1] as { error: Error }).error.message).toContain('parser thread failed');
    const expected = (await parseAll(list, { thread: false })).results;
    expect(comparable([results[0], ...results.slice(2)])).toEqual(comparable([expected[0], ...expected.slice(2)]));
  } finally {
    await parser.close();
  }
});

test('close() stops the thread: files asked for after it are not parsed', async () => {
  const parser = new LogParser({ thread: true });
  expect(parser.threaded).toBe(true);
  await parser.close();
  expect(parser.threaded).toBe(false);
  expect(await parser.parse(files[0])).toMatchObject({ kind: 'unreadable' });
});
