/** Types of dense-json.js (plain CommonJS, so that the scan's parser thread can load it). */

/** The `code` of the error refuseDenseText throws. */
export const TOO_DENSE: string;
/** Throws when text longer than minBytes (default 64 MiB) holds more than one `{` or `[` per 16 bytes. */
export function refuseDenseText(text: string, minBytes?: number): void;
