/**
 * The one check that JSON text is not made of little but objects and arrays, shared by the engine's parseJsonInput
 * (trustgap diagnose) and the scan's log parser (log-records.js, which also runs in a worker thread: hence plain
 * CommonJS with no imports). Types: dense-json.d.ts.
 *
 * Parsing holds every JSON object and array in memory at some 50-100 bytes each, so text made of little else (a
 * 300 KB gzip of 100 million `{},` is 300 MB of it) would take the parser's heap far past what its bytes suggest.
 * Minified CloudTrail records hold about one `{` or `[` per 80-200 bytes, so a text above DENSE_CHECK_BYTES with
 * more than one per MAX_BYTES_PER_VALUE bytes is refused before it is parsed. Smaller texts are not counted: at
 * worst they parse into a few hundred MB, and counting every file would slow the scan.
 */
const DENSE_CHECK_BYTES = 64 * 1024 * 1024;
const MAX_BYTES_PER_VALUE = 16;
/** The code of that refusal: the scan reports such a file with the reason, unlike a file that is not JSON. */
const TOO_DENSE = 'TRUSTGAP_TOO_DENSE';

/**
 * Throws when text longer than minBytes holds more `{` and `[` than one per MAX_BYTES_PER_VALUE bytes (those in
 * strings counted too: the bound is loose, never tight). indexOf stops at the limit, so a hostile text costs no
 * more than a legitimate one of the same length.
 */
function refuseDenseText(text, minBytes = DENSE_CHECK_BYTES) {
  if (text.length <= minBytes) return;
  const limit = Math.floor(text.length / MAX_BYTES_PER_VALUE);
  let count = 0;
  for (const open of ['{', '[']) {
    for (let at = text.indexOf(open); at !== -1; at = text.indexOf(open, at + 1)) {
      count += 1;
      if (count > limit)
        throw Object.assign(
          new Error(
            `more than one JSON object or array per ${MAX_BYTES_PER_VALUE} bytes in ${text.length} bytes: not a CloudTrail log (parsing it would exhaust memory)`,
          ),
          { code: TOO_DENSE },
        );
    }
  }
}

module.exports = { TOO_DENSE, refuseDenseText };
