import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readLogFile } from '../../../src/adapters/trail-logs/log-file-reader';
import {
  parseLogBatch,
  parseLogJson,
  readLogFileSync,
  refuseDenseText,
} from '../../../src/adapters/trail-logs/log-records';
import { MAX_DECOMPRESSED_BYTES, parseJsonInput } from '../../../src/engine/event/read-input';

/**
 * log-records.js is plain JavaScript for the parser thread; what it reads and parses must be what the TypeScript
 * reader (readLogFile) and the engine's parseJsonInput give, error for error.
 */
const record = { eventSource: 'sts.amazonaws.com', errorCode: 'AccessDenied', eventName: 'AssumeRole' };

const INPUTS: Array<[string, Buffer]> = [
  ['a log file', Buffer.from(JSON.stringify({ Records: [record, null] }))],
  ['a BOM', Buffer.from(`\ufeff${JSON.stringify({ Records: [record] })}`)],
  ['JSON Lines with CRLF and blank lines', Buffer.from(`${JSON.stringify(record)}\r\n\n  \n${JSON.stringify(record)}`)],
  ['one broken line among JSON Lines', Buffer.from(`${JSON.stringify(record)}\n{"a":`)],
  ['one line that is not JSON', Buffer.from('{"Records": [')],
  ['whitespace only', Buffer.from(' \t\r\n\u00a0')],
  ['nothing', Buffer.alloc(0)],
  ['a BOM only', Buffer.from('\ufeff')],
  ['gzip inside', gzipSync(JSON.stringify({ Records: [record] }))],
  ['broken gzip', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not really')])],
  ['a number', Buffer.from('42')],
  ['null', Buffer.from('null')],
  ['invalid UTF-8', Buffer.from([0x22, 0xff, 0xfe, 0x22])],
];

test.each(INPUTS)('parseLogJson reads %s as parseJsonInput does', (_name, bytes) => {
  let expected: unknown;
  let expectedError = false;
  try {
    expected = parseJsonInput(bytes, 'f');
  } catch {
    expectedError = true;
  }
  if (expectedError) expect(() => parseLogJson(bytes, MAX_DECOMPRESSED_BYTES)).toThrow();
  else expect(parseLogJson(bytes, MAX_DECOMPRESSED_BYTES)).toEqual(expected);
});

describe('readLogFileSync reads a file as readLogFile does', () => {
  let dir: string;
  const CAP = 1000;
  const files: Record<string, Buffer> = {
    'plain.json': Buffer.from('{"Records":[]}'),
    'log.json.gz': gzipSync('{"Records":[1]}'),
    'LOG.JSON.GZ': gzipSync('{"Records":[2]}'),
    'not-gzip.json.gz': Buffer.from('{"Records":[]}'),
    'bomb.json.gz': gzipSync(Buffer.alloc(CAP + 1, 0x20)),
    'at-cap.json.gz': gzipSync(Buffer.alloc(CAP, 0x20)),
    'big.json': Buffer.alloc(CAP + 1, 0x20),
    'at-cap.json': Buffer.alloc(CAP, 0x20),
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-log-records-'));
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([...Object.keys(files), 'missing.json'])('%s', async (name) => {
    const file = path.join(dir, name);
    const expected = await readLogFile(file, CAP).catch((error: NodeJS.ErrnoException) => error);
    let actual: Buffer | NodeJS.ErrnoException;
    try {
      actual = readLogFileSync(file, CAP);
    } catch (error) {
      actual = error as NodeJS.ErrnoException;
    }
    if (expected instanceof Error) {
      expect(actual).toBeInstanceOf(Error);
      expect({ message: (actual as Error).message, code: (actual as NodeJS.ErrnoException).code }).toEqual({
        message: expected.message,
        code: expected.code,
      });
    } else {
      expect(actual).toEqual(expected);
    }
  });
});

describe('text made of little but objects and arrays is refused before it is parsed', () => {
  test('above the size checked, more than one { or [ per 16 bytes is refused; exactly one per 16 is not', () => {
    const atLimit = `[${' '.repeat(15)}`.repeat(64);
    expect(() => refuseDenseText(atLimit, 100)).not.toThrow();
    expect(() => refuseDenseText(`${atLimit}${' '.repeat(15)}{`, 100)).not.toThrow();
    expect(() => refuseDenseText(`${atLimit}{`, 100)).toThrow();
    expect(() => refuseDenseText(`${atLimit}{${' '.repeat(15)}{`, 100)).toThrow(
      /more than one JSON object or array per 16 bytes/,
    );
    // Braces inside strings count as well: the bound is only loose, and real logs are far below it.
    expect(() => refuseDenseText(JSON.stringify({ s: '{'.repeat(200) }), 100)).toThrow();
  });

  test('a text no longer than the size checked is not counted at all', () => {
    expect(() => refuseDenseText('{}'.repeat(50), 100)).not.toThrow();
  });

  test('a small gzip of 64 MiB of {} is refused by the file parser and by diagnose, not parsed into millions of objects', () => {
    const bomb = gzipSync(`{"Records":[${'{},'.repeat(23_000_000)}{}]}`);
    expect(bomb.length).toBeLessThan(200_000);
    const started = process.hrtime.bigint();
    expect(() => parseLogBatch(bomb, MAX_DECOMPRESSED_BYTES)).toThrow(/not a CloudTrail log/);
    // trustgap diagnose reads its input through parseJsonInput: the same refusal, as an input error naming the file.
    expect(() => parseJsonInput(bomb, 'bomb.json.gz')).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^bomb\.json\.gz: more than one JSON object or array per 16 bytes/),
      }),
    );
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
  });
});
