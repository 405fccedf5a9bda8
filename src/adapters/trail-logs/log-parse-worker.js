/**
 * The scan's parser thread (log-parser.ts starts it). Per message, one log file: read and gunzipped here when it
 * is a local path (readLogFileSync), then JSON.parse and the candidate filter, so the main thread only sees the
 * record count and the few failed STS calls. Answers in the order the files came. Plain CommonJS, node built-ins
 * only: no TypeScript loader runs in a worker.
 */
const { parentPort, workerData } = require('node:worker_threads');
const { TOO_DENSE, parseLogBatch, readLogFileSync } = require('./log-records');

parentPort.on('message', (message) => {
  const { id, path } = message;
  let bytes = message.bytes;
  if (bytes === undefined) {
    try {
      bytes = readLogFileSync(path, workerData.maxBytes);
    } catch (error) {
      parentPort.postMessage({ id, kind: 'unreadable', message: String(error?.message), code: error?.code });
      return;
    }
  }
  let reply;
  try {
    reply = { id, kind: 'batch', batch: parseLogBatch(bytes, workerData.maxBytes) };
  } catch (error) {
    reply =
      error?.code === TOO_DENSE
        ? { id, kind: 'unreadable', message: String(error.message), code: error.code }
        : { id, kind: 'malformed' };
  }
  try {
    parentPort.postMessage(reply);
  } catch {
    // A candidate too deeply nested to be cloned: the bytes go back and the main thread parses this file itself
    // (moved when they own their memory; a slice of node's shared pool cannot be moved, only copied).
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    parentPort.postMessage({ id, kind: 'in-process', bytes }, owned ? [bytes.buffer] : []);
  }
});

parentPort.postMessage({ kind: 'ready' });
