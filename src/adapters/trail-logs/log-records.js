/**
 * A log file's bytes → its record count and the few records the scan looks at (failed STS calls). Plain CommonJS
 * with node built-ins only, because log-parse-worker.js runs it in a worker thread, where neither tsx nor ts-jest
 * compiles TypeScript; the in-process path (one core, or no worker) calls the same functions, so both give the
 * same counts. Types: log-records.d.ts.
 */
const { readFileSync, statSync } = require('node:fs');
const { gunzipSync } = require('node:zlib');
const { TOO_DENSE, refuseDenseText } = require('../../engine/event/dense-json');

const STS = 'sts.amazonaws.com';

/**
 * A local log file's bytes, gunzipped when its name ends in .gz, never more than maxBytes: readLogFile
 * (log-file-reader.ts) on the parser thread, with the same errors (the scan reports the file and skips it).
 */
function readLogFileSync(file, maxBytes) {
  // A plain file is measured before it is read, as readLogFile does.
  if (!/\.gz$/i.test(file)) {
    if (statSync(file).size > maxBytes) throw new Error(`${file}: more than ${maxBytes} bytes`);
    return readFileSync(file);
  }
  const bytes = readFileSync(file);
  try {
    return gunzipSync(bytes, { chunkSize: 1 << 20, maxOutputLength: maxBytes });
  } catch (error) {
    if (error.code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`${file}: decompresses to more than ${maxBytes} bytes`);
    throw error;
  }
}

/**
 * Bytes → parsed JSON, as parseJsonInput (src/engine/event/read-input.ts) does it for a file: gzip recognized by
 * its magic bytes, a BOM dropped, JSON Lines accepted as an array; throws when the bytes are not JSON at all.
 * test/adapters/trail-logs/log-records.test.ts holds the two equal.
 */
function parseLogJson(bytes, maxBytes) {
  let data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data, { maxOutputLength: maxBytes });
  let text = data.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new Error('input is empty');
  refuseDenseText(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    const lines = parseJsonLines(text);
    if (lines !== undefined) return lines;
    throw error;
  }
}

function parseJsonLines(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) return undefined;
  const values = [];
  for (const line of lines) {
    try {
      values.push(JSON.parse(line));
    } catch {
      return undefined;
    }
  }
  return values;
}

/** The records of a parsed file: a CloudTrail log's Records, a JSON array (or JSON Lines), else the one value. */
function recordsOf(parsed) {
  const records = parsed?.Records;
  return Array.isArray(records) ? records : Array.isArray(parsed) ? parsed : [parsed];
}

/**
 * The cheap test first: ~98% of a trail is neither STS nor an error, and is only counted. A record that is not
 * an object at all is counted as skipped; the candidates (an errorCode and eventSource sts) are normalized later.
 */
function filterRecords(records) {
  const candidates = [];
  let skipped = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    if (record === null || typeof record !== 'object') {
      skipped += 1;
      continue;
    }
    if (record.errorCode === undefined || record.eventSource !== STS) continue;
    candidates.push({ index, record });
  }
  return { records: records.length, skipped, candidates };
}

/** One log file's bytes → its filtered batch; throws when the file is not JSON (the scan skips it). */
function parseLogBatch(bytes, maxBytes) {
  return filterRecords(recordsOf(parseLogJson(bytes, maxBytes)));
}

module.exports = { TOO_DENSE, readLogFileSync, parseLogJson, refuseDenseText, recordsOf, filterRecords, parseLogBatch };
