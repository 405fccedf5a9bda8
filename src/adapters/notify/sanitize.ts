/**
 * Makes caller-controlled text inert before it goes into an email or a chat message.
 *
 * Anyone who can make an AssumeRole call fail controls parts of the CloudTrail record: the role ARN they asked
 * for, the session name, source identity, session tags, the user agent, the OIDC `sub`/`aud` claims, and the
 * errorMessage that quotes them. Without this, a denied call named `<!channel> [login](https://evil)` would page
 * a whole Slack channel with a phishing link. Every string that did not come from trustgap's own templates goes
 * through one of the two functions below.
 *
 * What is neutralized, and how (lookalike characters keep the text readable for a human):
 *  - chat control sequences: `<` `>` → `‹` `›` (Slack `<!channel>`, `<!here>`, `<@U…>`, `<#C…>`, `<url|text>`,
 *    Teams `<at>`, any HTML tag); `&` of an entity (`&lt;`) → `＆`;
 *  - mentions: `@` → `＠` (`@channel`, `@here`, `@everyone`, `@user`);
 *  - markdown links and images: `[` `]` → `［` `］`; bare `http(s)://` → `hxxp(s)://` (no auto-link);
 *  - code-span breakout: backtick → `ˋ`;
 *  - invisible and layout-changing characters: C0/C1 controls, DEL, bidi overrides and isolates
 *    (U+202A–202E, U+2066–2069), zero-width and other format characters (Unicode Cf, incl. U+200B–200F, U+FEFF,
 *    the tag block U+E0000–E007F), line/paragraph separators; lone surrogates → U+FFFD;
 *  - length: capped, with an ellipsis that says how much was cut.
 * Compatibility forms are folded first (NFKC), so a fullwidth `＜!channel＞` is caught as well.
 */

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const INVISIBLE_EXCEPT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const ENTITY = /&(#?[a-z0-9]+;)/gi;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

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

/** Bound the work on hostile 100 KB inputs before running the regexes. */
function preCut(text: string, max: number): string {
  return text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text;
}

function neutralizeMarkup(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›').replace(ENTITY, '＆$1').replace(/`/g, 'ˋ');
}

/**
 * For prose and single values (names, ARNs, user agents, summaries): one line, every markup character inert.
 * `max` counts code points.
 */
export function sanitizeText(value: unknown, max = 256): string {
  const raw = preCut(toText(value), max);
  const text = neutralizeMarkup(
    wellFormed(raw)
      .normalize('NFKC')
      .replace(/[\t\n\r\v\f\u2028\u2029]+/g, ' ')
      .replace(INVISIBLE, ''),
  )
    .replace(/@/g, '＠')
    .replace(/\[/g, '［')
    .replace(/\]/g, '］')
    .replace(/\b(h)(t)tp(s?):\/\//gi, (_m, h: string, _t: string, s: string) => `${h}xxp${s}://`)
    .replace(/ {2,}/g, ' ')
    .trim();
  return capLength(text, max);
}

/**
 * For commands and policy JSON, shown inside a code block: line breaks, brackets and `@` are kept (they are JSON
 * and IAM syntax), but a fix can embed request values (an OIDC `sub`, a session name), so everything that could
 * act outside or inside the code block is neutralized as well: `<…>` and entities, backticks, invisible
 * characters, the markdown link joint `](`, `@here`/`@channel`/`@everyone`/`@all`, and `http(s)://` (defanged to
 * `hxxp(s)://`, so neither chat clients nor mail clients make a link of it). A notification therefore shows a
 * command that may differ from the exact one in these characters; the exact command is in the stored finding
 * (`trustgap findings --json`), which is what to copy from.
 */
export function sanitizeCode(value: unknown, max = 4000): string {
  const raw = preCut(toText(value), max);
  const text = neutralizeMarkup(wellFormed(raw).replace(/\r\n?/g, '\n').replace(INVISIBLE_EXCEPT_NEWLINE, ''))
    .replace(/\]\(/g, '］(')
    .replace(/@(here|channel|everyone|all)\b/gi, '＠$1')
    .replace(/\b(h)(t)tp(s?):\/\//gi, (_m, h: string, _t: string, s: string) => `${h}xxp${s}://`);
  return capLength(text, max);
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
