/**
 * Makes caller-controlled text inert before it goes into an email or a chat message.
 *
 * Anyone who can make an AssumeRole call fail controls parts of the CloudTrail record: the role ARN they asked
 * for, the session name, source identity, session tags, the user agent, the OIDC `sub`/`aud` claims, and the
 * errorMessage that quotes them. Without this, a denied call named `<!channel> [login](https://evil)` would page
 * a whole Slack channel with a phishing link. Every string that did not come from trustgap's own templates goes
 * through one of the functions below, and request values are shown only inside {@link codeSpan}.
 *
 * Each rule closes a CLASS of characters, not a list of examples (issue 9; the payload corpus in
 * test/adapters/notify/payload-corpus.ts is generated from the classes):
 *  - blank and invisible: every Unicode control, format, separator, unassigned, private-use and
 *    default-ignorable code point is removed (zero-width, bidi controls, tag characters, variation selectors,
 *    U+034F, the Hangul fillers U+115F/U+1160/U+3164/U+FFA0…); every other space-like character (\p{Zs}, U+2800)
 *    becomes one plain space, and runs of spaces collapse; a run of combining marks keeps its first two;
 *  - links: every `://` becomes `[:]//` and every `http` `hxxp`, wherever they stand (`_https://`, `1https://`);
 *    every `.` before a letter, and the dots of a dotted quad, become `[.]`, so no domain-like run
 *    (`evil-login.com/aws`, `xn--80ak6aa92e.com`, an IP address) is left for a mail or chat client to auto-link; the ideographic and other full stops count as `.`;
 *  - chat control: `<` `>` → `‹` `›` (Slack `<!channel>`, `<@U…>`, `<url|text>`, Teams `<at>`, HTML); `&` → `＆`;
 *    `@` → `＠`; `[` `]` → `［` `］`; backtick → `ˋ`; and in prose also the emphasis and quoting characters
 *    `* _ ~ | ! \\` (lookalikes), which are inert inside a code span and therefore kept by {@link sanitizeValue};
 *  - length: capped, with an ellipsis that says how much was cut.
 * Compatibility forms are folded first (NFKC), so a fullwidth `＜!channel＞` is caught as well.
 */

const REMOVED = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}\p{Co}\p{Default_Ignorable_Code_Point}]/gu;
const REMOVED_EXCEPT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}\p{Co}\p{Default_Ignorable_Code_Point}]/gu;
const BLANK = /[\p{Zs}\u2800]/gu;
/** Runs of blank characters other than the plain space: in code they are shown, as one `␣`. */
const OTHER_BLANK_RUN = /(?: ?(?! )[\p{Zs}\u2800])+ ?/gu;
const MARK_RUN = /(\p{M}{2})\p{M}+/gu;
const FULL_STOPS = /[\u3002\uff61\uff0e\u2024\ufe52]/g;
/** A dot before a letter (a domain label, `xn--` included), or between the numbers of a dotted quad (an IP). */
const DOMAIN_DOT = /([\p{L}\p{N}])\.(?=\p{L}|\d{1,3}\.\d)/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const PROSE_FORMATTING: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '|': 'ǀ', '!': 'ǃ', '\\': '⧵' };

/** String.prototype.toWellFormed (ES2024) for the ES2022 target: lone surrogates become U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Cuts to `max` code points (never inside a surrogate pair), saying how much was dropped. */
export function capLength(text: string, max: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  const marker = `… [+${codePoints.length - max} chars]`;
  return codePoints.slice(0, Math.max(0, max - marker.length)).join('') + marker;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Bound the work on hostile 100 KB inputs before running the (linear) replacements. */
function preCut(text: string, max: number): string {
  return text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text;
}

/** Blank, invisible and stacked characters (newlines are handled by the caller). */
function visibleOnly(text: string, removed: RegExp, inCode = false): string {
  const visible = text.normalize('NFKC').replace(removed, '');
  return (inCode ? visible.replace(OTHER_BLANK_RUN, '␣') : visible.replace(BLANK, ' ')).replace(MARK_RUN, '$1');
}

/** No link, domain or mention survives; `<…>`, entities and backticks are inert. */
function defang(text: string): string {
  return text
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/`/g, 'ˋ')
    .replace(/@/g, '＠')
    .replace(/(h)(t)tp/gi, (_m, h: string) => `${h}xxp`)
    .replace(/:\/\//g, '[:]//')
    .replace(FULL_STOPS, '.')
    .replace(DOMAIN_DOT, '$1[.]');
}

function oneLine(value: unknown, max: number): string {
  const text = visibleOnly(wellFormed(preCut(toText(value), max)).replace(/[\t\n\r\v\f\u2028\u2029]+/g, ' '), REMOVED);
  return defang(text.replace(/\[/g, '［').replace(/\]/g, '］'));
}

/**
 * For prose and single values (names, ARNs, user agents, summaries): one line, every markup character inert,
 * chat emphasis included. `max` counts code points.
 */
export function sanitizeText(value: unknown, max = 256): string {
  const text = oneLine(value, max).replace(/[*_~|!\\]/g, (c) => PROSE_FORMATTING[c] ?? c);
  return capLength(text.replace(/ {2,}/g, ' ').trim(), max);
}

/**
 * For one value shown inside a {@link codeSpan} (ARNs, session names, tags): like {@link sanitizeText}, but the
 * emphasis characters, inert inside a code span, stay as sent (`AWSReservedSSO_Admin` keeps its underscore).
 */
export function sanitizeValue(value: unknown, max = 256): string {
  return capLength(oneLine(value, max).replace(/ {2,}/g, ' ').trim(), max);
}

/**
 * A request value as an inline code span. The fence is one backtick and the value cannot hold one (nor a line
 * break), whatever was passed, so nothing inside can close the span: chat clients render the value literally.
 */
export function codeSpan(value: string): string {
  const inside = value.replace(/`/g, 'ˋ').replace(/[\r\n\u2028\u2029]+/g, ' ');
  return `\`${inside === '' ? ' ' : inside}\``;
}

/**
 * For commands and policy JSON, shown inside a code block: line breaks, brackets and `@` are kept (they are JSON
 * and IAM syntax), but a fix can embed request values (an OIDC `sub`, a session name), so everything that could
 * act outside or inside the code block is neutralized as well: `<…>` and entities, backticks, blank and invisible
 * characters, the markdown link joint `](`, `@here`/`@channel`/`@everyone`/`@all`, `http` (→ `hxxp`), `://` and
 * domain dots (so neither chat clients nor mail clients make a link of it). A notification therefore shows a
 * command that may differ from the exact one in these characters; the exact command is in the stored finding
 * (`trustgap findings --json`), which is what to copy from.
 */
export function sanitizeCode(value: unknown, max = 4000): string {
  const raw = wellFormed(preCut(toText(value), max)).replace(/\r\n?/g, '\n');
  const text = visibleOnly(raw, REMOVED_EXCEPT_NEWLINE, true)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/&/g, '＆')
    .replace(/`/g, 'ˋ')
    .replace(/\]\(/g, '］(')
    .replace(/@(here|channel|everyone|all)\b/gi, '＠$1')
    .replace(/(h)(t)tp/gi, (_m, h: string) => `${h}xxp`)
    .replace(/:\/\//g, '[:]//')
    .replace(FULL_STOPS, '.')
    .replace(DOMAIN_DOT, '$1[.]');
  return capLength(text, max);
}

/**
 * For one shell command, shown on its own lines: trustgap's commands are one line each, so a line break can only
 * come from a request value (a session name, a token subject); it is shown as `␤`, never as a new line that could
 * pass for a section of the message (a forged "FIX (verified): …" line). Commands also go into chat next steps,
 * so every `@` is neutralized as in prose.
 */
export function sanitizeCommand(value: unknown, max = 4000): string {
  return sanitizeCode(value, max).replace(/\n/g, '␤').replace(/@/g, '＠');
}

/**
 * The SNS email Subject must be ASCII, one line, under 100 characters. Only characters IAM allows in names and
 * ARNs survive; anything else becomes `_`.
 */
export function sanitizeSubject(value: string, max = 99): string {
  const ascii = value
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 +=,.@_:/()\->]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length <= max ? ascii : `${ascii.slice(0, max - 3)}...`;
}
