import { capLength, sanitizeCode, sanitizeSubject, sanitizeText } from '../../../src/adapters/notify/sanitize';

describe('sanitizeText', () => {
  test.each([
    ['<!channel> deploy', '‹ǃchannel› deploy'],
    ['<!here|here>', '‹ǃhereǀhere›'],
    ['<!everyone>', '‹ǃeveryone›'],
    ['ping <@U024BE7LH>', 'ping ‹＠U024BE7LH›'],
    ['see <#C024BE7LR|general>', 'see ‹#C024BE7LRǀgeneral›'],
    ['<https://evil.example|Reset your password>', '‹hxxps[:]//evil[.]exampleǀReset your password›'],
    ['[click here](https://evil.example/login)', '［click here］(hxxps[:]//evil[.]example/login)'],
    ['![img](http://evil.example/x.png)', 'ǃ［img］(hxxp[:]//evil[.]example/x[.]png)'],
    ['@channel @here @everyone @alice', '＠channel ＠here ＠everyone ＠alice'],
    ['<script>alert(1)</script>', '‹script›alert(1)‹/script›'],
    ['&lt;!channel&gt;', '＆lt;ǃchannel＆gt;'],
    ['code`break`out ```', 'codeˋbreakˋout ˋˋˋ'],
  ])('%j is inert', (input, expected) => {
    expect(sanitizeText(input)).toBe(expected);
  });

  test('fullwidth lookalikes are folded first, so they are caught too', () => {
    expect(sanitizeText('＜!channel＞ ＠here')).toBe('‹ǃchannel› ＠here');
  });

  test('control, bidi and zero-width characters are removed; line breaks become spaces', () => {
    const hostile =
      'a\u0000b\u0007c\u001b[31md\u0085e\u202Egnp.exe\u2066f\u2069\u200Bg\u200Dh\uFEFFi\u{E0041}j\nk\r\nl\u2028m';
    const clean = sanitizeText(hostile);
    expect(clean).toBe('abc［31mdegnp[.]exefghij k l m');
    expect(clean).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u);
  });

  test('lone surrogates become U+FFFD, real astral characters survive', () => {
    expect(sanitizeText('x\uD800y 😀')).toBe('x\uFFFDy 😀');
  });

  test('length is capped in code points, saying how much was cut', () => {
    const long = 'x'.repeat(100_000);
    const out = sanitizeText(long, 100);
    expect(Array.from(out)).toHaveLength(100);
    expect(out).toMatch(/… \[\+\d+ chars\]$/);
    expect(Array.from(sanitizeText('😀'.repeat(500), 50))).toHaveLength(50);
  });

  test('non-strings are rendered, null and undefined are empty', () => {
    expect(sanitizeText(undefined)).toBe('');
    expect(sanitizeText(null)).toBe('');
    expect(sanitizeText(42)).toBe('42');
    expect(sanitizeText(['<!here>'])).toBe('［"‹ǃhere›"］');
  });
});

describe('sanitizeCode', () => {
  test('keeps JSON and IAM syntax and line breaks, neutralizes what could escape a code block', () => {
    const command = `aws iam update-assume-role-policy --role-name deploy --policy-document '{"Statement":[{"Principal":{"AWS":"arn:aws:iam::1:user/a@b"}}]}'\n\`\`\`\n<!channel>\u202E`;
    const out = sanitizeCode(command);
    expect(out).toContain('{"Statement":[{"Principal":{"AWS":"arn:aws:iam::1:user/a@b"}}]}');
    expect(out).toContain('\nˋˋˋ\n‹!channel›');
    expect(out).not.toContain('\u202E');
    expect(out).not.toContain('`');
  });

  test('a request value embedded in a command cannot become a link or a mention', () => {
    const out = sanitizeCode('--policy-document \'{"sub":"repo:a/b:@here [x](https://evil.example)"}\'');
    expect(out).toBe('--policy-document \'{"sub":"repo:a/b:＠here [x］(hxxps[:]//evil[.]example)"}\'');
  });
});

describe('sanitizeSubject', () => {
  test('ASCII only, one line, under 100 characters', () => {
    const subject = sanitizeSubject(`trustgap TRUST_CONDITION_FAILED: ${'ünï\u202Ecode\n'.repeat(20)}`);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    // NFKD splits ü into u + a combining mark, which (not ASCII) becomes _.
    expect(subject.startsWith('trustgap TRUST_CONDITION_FAILED: u_ni_')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
  });
});

test('capLength leaves short text alone', () => {
  expect(capLength('abc', 10)).toBe('abc');
});
