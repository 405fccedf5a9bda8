/**
 * Fuzz-ish robustness: normalizeInput must never throw, whatever a record contains, and what it returns must stay
 * well-typed, bounded and safe to print. The mutations are systematic (every path of every fixture), not random,
 * so a failure is reproducible.
 */
import { readdirSync } from 'node:fs';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH } from '../../../src/engine/event/json-value';
import { InputError, normalizeBuffer, normalizeInput } from '../../../src/engine/event/normalize';
import type { NormalizedEvent, NormalizeResult } from '../../../src/engine/event/types';
import { FIXTURE_DIR, loadFixture } from './fixture-loader';

const FIXTURES = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json'));
const SINGLE_RECORD_FIXTURES = FIXTURES.filter((name) => /^(0|1|2[0-7])/.test(name));

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value as Record<string, unknown>);
  const out: Path[] = [];
  for (const [key, child] of entries) {
    const path = [...prefix, key];
    out.push(path, ...allPaths(child, path));
  }
  return out;
}

function withValueAt(root: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Strings in the result that are too long or carry raw control characters / lone surrogates. */
function badStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length > MAX_TEXT_LENGTH + 64 || RAW_CONTROL.test(value) || LONE_SURROGATE.test(value))
      out.push(value.slice(0, 80));
  } else if (Array.isArray(value)) {
    for (const item of value) badStrings(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) badStrings(item, out);
  }
  return out;
}

/** Every string in the result is bounded and free of raw control characters; the result survives JSON. */
function expectWellFormed(result: NormalizeResult): void {
  expect(Array.isArray(result.events)).toBe(true);
  expect(Array.isArray(result.skipped)).toBe(true);
  expect(badStrings(result)).toEqual([]);
  for (const event of result.events) expectEventTyped(event);
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}

function expectEventTyped(event: NormalizedEvent): void {
  expect(typeof event.eventId).toBe('string');
  expect(typeof event.eventTime).toBe('string');
  expect(typeof event.errorCode).toBe('string');
  expect(['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'AssumeRoot']).toContain(event.api);
  expect(typeof event.caller.type).toBe('string');
  expect(['requestParameters', 'resources', 'errorMessage', 'none']).toContain(event.role.source);
  expect(typeof event.request.parametersLogged).toBe('boolean');
  if (event.request.durationSeconds !== undefined) expect(Number.isFinite(event.request.durationSeconds)).toBe(true);
  if (event.request.tags !== undefined) {
    expect(Object.getPrototypeOf(event.request.tags)).toBe(Object.prototype);
    for (const value of Object.values(event.request.tags)) expect(typeof value).toBe('string');
  }
}

const HOSTILE_VALUES: [string, unknown][] = [
  ['null', null],
  ['number', 42],
  ['NaN-like string', 'NaN'],
  ['boolean', false],
  ['empty string', ''],
  ['empty array', []],
  ['array of junk', [null, 1, {}, ['x']]],
  ['empty object', {}],
  ['100 KB string', 'A'.repeat(100 * 1024)],
  ['control and bidi characters', 'x\u0000\u001b[31mred\u001b[0m\r\n\u202eevil\u2066'],
  ['unicode', 'rôle-会话-😀'],
  ['lone surrogate', 'bad\ud800end'],
  ['prototype key', { __proto__: { polluted: true }, constructor: 'x' }],
];

describe('every path of every fixture, replaced by hostile values', () => {
  it.each(FIXTURES)('%s never throws and stays well-formed', (name) => {
    const fixture = loadFixture(name);
    // Containers (EventBridge event, log file) are mutated down to the fields of their records; deeper paths are
    // the same shapes the single-record fixtures already cover, and would only make this test slow.
    const container = /^(28|29)-/.test(name);
    const paths = allPaths(fixture).filter((path) => !container || path.length <= 3);
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      for (const [, hostile] of HOSTILE_VALUES) {
        const mutated = withValueAt(fixture, path, hostile);
        let result: NormalizeResult | undefined;
        expect(() => {
          result = normalizeInput(mutated);
        }).not.toThrow();
        expectWellFormed(result as NormalizeResult);
      }
    }
  });
});

describe('records too broken to use', () => {
  const base = loadFixture('01-assumerole-iamuser-cross-account-caller-copy.json') as Record<string, unknown>;

  it.each([
    ['eventName', 'record has no eventName; too broken to use'],
    ['errorCode', 'successful call (no errorCode)'],
  ])('without %s the record is skipped with a reason', (key, reason) => {
    const { [key]: _removed, ...rest } = base;
    const result = normalizeInput(rest);
    expect(result.events).toEqual([]);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0]).toMatchObject({ index: 0, reason });
  });

  it('without eventID (a trimmed record) it is kept, with a stable id derived from its content', () => {
    const { eventID: _removed, eventTime: _time, ...trimmed } = base;
    const first = normalizeInput(trimmed).events;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ eventIdDerived: true, eventTime: '' });
    expect(first[0].eventId).toMatch(/^derived-[0-9a-f]{32}$/);
    const reordered = Object.fromEntries(Object.entries(trimmed).reverse());
    expect(normalizeInput(reordered).events[0].eventId).toBe(first[0].eventId);
    expect(normalizeInput({ ...trimmed, sourceIPAddress: '192.0.2.1' }).events[0].eventId).not.toBe(first[0].eventId);
  });

  it('a wrongly typed errorCode is a skip that says so', () => {
    expect(normalizeInput({ ...base, errorCode: 403 }).skipped[0].reason).toBe(
      'errorCode is not a string (got number)',
    );
  });

  it('the bare minimum (eventID, eventName, errorCode) still normalizes, with everything else absent', () => {
    const result = normalizeInput({ eventID: 'e-1', eventName: 'AssumeRole', errorCode: 'AccessDenied' });
    expect(result).toStrictEqual({
      events: [
        {
          eventId: 'e-1',
          eventTime: '',
          api: 'AssumeRole',
          errorCode: 'AccessDenied',
          caller: { type: 'Unknown' },
          role: { source: 'none' },
          request: { parametersLogged: false },
        },
      ],
      skipped: [],
    });
  });

  it('an unknown caller type is normalized as Unknown but keeps what it logged', () => {
    const result = normalizeInput({
      ...base,
      userIdentity: { type: 'IdentityCenterUser', principalId: 'x-1', accountId: '111111111111', arn: 'arn:aws:x' },
    });
    expect(result.events[0].caller).toStrictEqual({
      type: 'Unknown',
      arn: 'arn:aws:x',
      accountId: '111111111111',
      principalId: 'x-1',
    });
  });
});

describe('absurd and hostile values', () => {
  const base = loadFixture('03-assumerole-assumedrole-chaining-tags-no-identity-policy.json') as Record<string, any>;

  it('a 100 KB roleArn is cut to the ARN limit with a marker, and not parsed into a name', () => {
    const huge = `arn:aws:iam::111111111111:role/${'R'.repeat(100 * 1024)}`;
    const record = structuredClone(base);
    record.requestParameters.roleArn = huge;
    const event = normalizeInput(record).events[0];
    expect(event.role.arn).toBe(`${huge.slice(0, MAX_ID_LENGTH)}…[truncated, ${huge.length} chars]`);
    expect(event.role).toStrictEqual({ arn: event.role.arn, source: 'requestParameters' });
  });

  it('a 100 KB errorMessage is bounded, and a role ARN at its start is still found quickly', () => {
    const record = structuredClone(base);
    record.requestParameters = null;
    delete record.resources;
    record.errorMessage = `User: x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::1:role/Big ${'z '.repeat(50 * 1024)}`;
    const started = Date.now();
    const event = normalizeInput(record).events[0];
    expect(Date.now() - started).toBeLessThan(500);
    expect(event.role).toStrictEqual({
      arn: 'arn:aws:iam::1:role/Big',
      accountId: '1',
      name: 'Big',
      path: '/',
      source: 'errorMessage',
    });
    expect(event.errorMessage?.length).toBeLessThan(MAX_TEXT_LENGTH + 64);
    expect(event.errorMessage).toMatch(new RegExp(`…\\[truncated, ${record.errorMessage.length} chars\\]$`));
  });

  it('pathological regex input (no spaces, many "arn:aws" prefixes) stays fast', () => {
    const record = structuredClone(base);
    record.requestParameters = null;
    delete record.resources;
    record.errorMessage = `on resource:${'arn:aws:iam::'.repeat(20000)}`;
    const started = Date.now();
    const result = normalizeInput(record);
    expect(Date.now() - started).toBeLessThan(500);
    expect(result.events[0].role.source).toBe('none');
  });

  it('control characters are escaped visibly, unicode is kept, lone surrogates become U+FFFD', () => {
    const record = structuredClone(base);
    record.requestParameters.roleSessionName = 'ops\u001b[2J\nrm -rf';
    record.userAgent = 'agent\u202eevil';
    record.requestParameters.tags = [
      { key: 'Équipe', value: '会话😀' },
      { key: 'broken', value: 'a\udc00b' },
    ];
    const event = normalizeInput(record).events[0];
    expect(event.request.roleSessionName).toBe('ops\\u001b[2J\\u000arm -rf');
    expect(event.userAgent).toBe('agent\\u202eevil');
    expect(event.request.tags).toStrictEqual({ Équipe: '会话😀', broken: 'a\ufffdb' });
  });

  it('a "__proto__" tag key becomes a plain key and does not pollute any prototype', () => {
    const record = structuredClone(base);
    record.requestParameters.tags = [
      { key: '__proto__', value: 'polluted' },
      { key: 'constructor', value: 'x' },
    ];
    const event = normalizeInput(record).events[0];
    expect(Object.keys(event.request.tags ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(event.request.tags, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(event.request.tags)).toBe(Object.prototype);
  });

  it('numeric strings are read as numbers, junk is dropped', () => {
    const record = structuredClone(base);
    record.requestParameters.durationSeconds = '7200';
    expect(normalizeInput(record).events[0].request.durationSeconds).toBe(7200);
    record.requestParameters.durationSeconds = '1e999';
    expect(normalizeInput(record).events[0].request.durationSeconds).toBeUndefined();
    record.requestParameters.durationSeconds = Infinity;
    expect(normalizeInput(record).events[0].request.durationSeconds).toBeUndefined();
  });
});

describe('truncated JSON text', () => {
  it('every prefix of a log file either parses or throws InputError, never anything else', () => {
    const text = JSON.stringify(loadFixture('29-cloudtrail-log-file-mixed.json'));
    for (let length = 0; length < text.length; length += 97) {
      const prefix = text.slice(0, length);
      try {
        expectWellFormed(normalizeBuffer(prefix, 'cut.json'));
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message.startsWith('cut.json: ')).toBe(true);
      }
    }
  });

  it('records cut short at every depth still normalize or skip', () => {
    for (const name of SINGLE_RECORD_FIXTURES) {
      const fixture = loadFixture(name) as Record<string, unknown>;
      const keys = Object.keys(fixture);
      for (let count = 0; count <= keys.length; count += 1) {
        const truncated = Object.fromEntries(keys.slice(0, count).map((key) => [key, fixture[key]]));
        expectWellFormed(normalizeInput(truncated));
      }
    }
  });
});
