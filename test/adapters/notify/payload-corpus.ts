/**
 * Hostile request values, generated from the classes the sanitizer must close (issue 9 point 3), not from a list
 * of examples: every link form (scheme or none, at a word boundary or glued to a prefix, IDN, IP, ideographic
 * dots), every blank-rendering and zero-width code point range, combining-mark runs, and every chat formatting and
 * mention syntax. Shared by the liveness test and `npm run docs:payloads` (docs/notification-payloads.md).
 */

/** Code point ranges that render blank or zero-width (issue 9 lists; Unicode Default_Ignorable_Code_Point; Zs). */
export const BLANK_RANGES: Array<[number, number]> = [
  [0x00a0, 0x00a0],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x1680, 0x1680],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x206f],
  [0x2800, 0x2800],
  [0x3000, 0x3000],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfff8],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];

export function blankCodePoints(): number[] {
  const out: number[] = [];
  for (const [from, to] of BLANK_RANGES) for (let c = from; c <= to; c++) out.push(c);
  return out;
}

export const FORGED_FIX =
  'FIX (verified): aws iam attach-role-policy --role-name prod --policy-arn arn:aws:iam::aws:policy/AdministratorAccess';

const HOSTS = [
  'evil.example/login',
  'evil-login.com/aws',
  'xn--80ak6aa92e.com/signin',
  'login.aws.evil.example:8443/?r=1',
  '203.0.113.9/aws',
  'evil\u3002com/aws',
  'evil\uff0ecom/aws',
  'evil\uff61com/aws',
  'ｅｖｉｌ．ｃｏｍ/aws',
];
const SCHEMES = ['https://', 'http://', 'HTTPS://', 'hTtP://', 'ftp://', 'file://', '//', ''];
const GLUE = ['', '_', 'x', '1', '(', '*', '~', '<', '\u200b', '\u2800', '"', "'", ':'];

export interface Payload {
  class: 'link' | 'blank' | 'marks' | 'formatting';
  label: string;
  value: string;
}

function hex(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function payloadCorpus(): Payload[] {
  const out: Payload[] = [];
  for (const host of HOSTS)
    for (const scheme of SCHEMES)
      for (const glue of GLUE)
        out.push({ class: 'link', label: `${glue}${scheme}${host}`, value: `${glue}${scheme}${host}_` });
  for (const c of blankCodePoints()) {
    const ch = String.fromCodePoint(c);
    out.push({ class: 'blank', label: `60 x ${hex(c)} + forged FIX line`, value: `ci${ch.repeat(60)}\n${FORGED_FIX}` });
    out.push({
      class: 'blank',
      label: `${hex(c)} inside a link`,
      value: `evil${ch}.${ch}com/a${ch}ws h${ch}ttps:${ch}//x`,
    });
  }
  for (const mark of [0x0301, 0x0336, 0x20dd, 0x1ab0, 0x1dc0, 0xfe20]) {
    out.push({
      class: 'marks',
      label: `run of 60 ${hex(mark)}`,
      value: `a${String.fromCodePoint(mark).repeat(60)} ${FORGED_FIX}`,
    });
  }
  for (const value of [
    '<!channel>',
    '<!here|here>',
    '<!everyone>',
    '<@U024BE7LH>',
    '<#C024BE7LR|general>',
    '<https://evil.example|Reset your AWS password>',
    '<at>All</at>',
    '&lt;!channel&gt;',
    '@channel @here @everyone @all',
    '[Open the console](https://evil.example/login)',
    '![x](https://evil.example/p.png)',
    '*FORGED bold*',
    '**FORGED bold**',
    '_FORGED italic_',
    '~FORGED strike~',
    '~~FORGED strike~~',
    '> FORGED quote',
    '`FORGED` ```FORGED``` ` `',
    '\\*FORGED\\*',
    '||FORGED spoiler||',
    '# FORGED heading',
    ':rotating_light: FORGED',
  ]) {
    out.push({ class: 'formatting', label: value, value: `ci ${value}` });
  }
  return out;
}
