/**
 * Terminal safety and colour for the CLI.
 *
 * Much of what a finding shows comes from the CloudTrail record, and so from the caller: roleSessionName,
 * the OIDC `sub`, userAgent, errorMessage, ARNs that were typed by whoever made the call. Printed raw, an
 * escape sequence in a session name could clear the screen, rewrite earlier lines or hide text; a bidi
 * override could make a value read differently from what it is. Every dynamic string therefore passes through
 * `safeText` before it reaches the terminal: control characters become visible escapes (`\x1b`, `\n`, `\u202e`),
 * so the reader sees that something odd was sent without the terminal acting on it.
 */

/**
 * C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), line/paragraph separators, every format
 * character (bidi controls, zero-width, tag characters), every default-ignorable code point (variation selectors,
 * Hangul fillers, U+034F) and every blank other than the plain space (U+2800 included): shown as escapes, the same
 * classes the notification sanitizer closes (src/adapters/notify/sanitize.ts).
 */
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]|(?! )\p{Zs}/gu;

function visibleEscape(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = ch.codePointAt(0) ?? 0;
      if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
      return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
    }
  }
}

/** One line of text, safe to print: no control character, escape sequence or bidi override survives. */
export function safeText(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);
  return text.replace(UNSAFE_CHARS, visibleEscape);
}

/** Multi-line text we produced ourselves (pretty JSON, commands): keep our newlines, neutralise everything else per line. */
export function safeLines(text: string): string[] {
  return text.split('\n').map((line) => safeText(line));
}

/**
 * Whether to colour a stream. FORCE_COLOR follows Node's documented semantics: "", "1", "2", "3" or "true"
 * turn colour on even when piped (and override NO_COLOR), any other value turns it off. Otherwise NO_COLOR
 * (present and non-empty, per no-color.org) or TERM=dumb turns it off, and colour is used only on a TTY.
 */
export function shouldUseColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
};

/** Applies styles to text that is already safe; a no-op when colour is off. */
export type Painter = (text: string, ...styles: Style[]) => string;

export function makePainter(color: boolean): Painter {
  if (!color) return (text) => text;
  return (text, ...styles) =>
    styles.reduce((acc, style) => `\u001b[${SGR[style][0]}m${acc}\u001b[${SGR[style][1]}m`, text);
}
