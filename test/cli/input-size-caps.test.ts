import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CliUserError, readAllCapped } from '../../src/cli/cli-io';
import { readEventFile } from '../../src/cli/event-files';

/**
 * A hostile or mistaken input must not fill memory: standard input stops being read past the cap, and a file larger
 * than the cap is refused from its size before a byte of it is read.
 */

describe('readAllCapped (standard input)', () => {
  it('returns everything under the cap, in order', async () => {
    const data = await readAllCapped(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), 100, 'standard input');
    expect(data.toString('utf8')).toBe('{"a":1}');
  });

  it('refuses a stream that passes the cap and stops reading it', async () => {
    const stream = new PassThrough();
    const result = readAllCapped(stream, 10, 'standard input');
    stream.write(Buffer.alloc(6));
    stream.write(Buffer.alloc(6));
    await expect(result).rejects.toThrow(CliUserError);
    await expect(result).rejects.toThrow('standard input: more than 10 bytes');
    // The stream was destroyed: an endless pipe (yes | trustgap diagnose --event -) is not drained forever.
    expect(stream.destroyed).toBe(true);
  });

  it('passes on a read error', async () => {
    const stream = new PassThrough();
    const result = readAllCapped(stream, 10, 'standard input');
    stream.destroy(new Error('EIO'));
    await expect(result).rejects.toThrow('EIO');
  });
});

describe('readEventFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-caps-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file under the cap', () => {
    const file = path.join(dir, 'small.json');
    fs.writeFileSync(file, '{"Records":[]}');
    expect(readEventFile(file, 100).toString('utf8')).toBe('{"Records":[]}');
  });

  it('refuses a file over the cap by its size', () => {
    const file = path.join(dir, 'big.json');
    // A sparse file: large on stat, nothing on disk, and nothing read.
    const fd = fs.openSync(file, 'w');
    fs.ftruncateSync(fd, 4096);
    fs.closeSync(fd);
    expect(() => readEventFile(file, 1024)).toThrow(`${file}: 4096 bytes, more than the 1024 trustgap reads`);
  });

  it('names a missing file in one line', () => {
    expect(() => readEventFile(path.join(dir, 'absent.json'))).toThrow(CliUserError);
  });
});
