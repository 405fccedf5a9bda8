import { PolicyParseError, parsePolicyDocument, toArray } from '../../../src/engine/iam/policy-document';

const trust = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'GitHub',
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
      },
    },
  ],
};

describe('parsePolicyDocument', () => {
  it('decodes a URL-encoded document exactly as IAM read APIs return it', () => {
    const encoded = encodeURIComponent(JSON.stringify(trust));
    expect(encoded.startsWith('%7B%22Version%22')).toBe(true);
    expect(parsePolicyDocument(encoded, 'trust of R')).toEqual(trust);
  });

  it('reads IAM’s encoding of spaces and reserved characters inside values', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'a b', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/x+y%z/*' }],
    };
    const encoded = encodeURIComponent(JSON.stringify(doc));
    expect(encoded).toContain('%20');
    expect(parsePolicyDocument(encoded, 'p').Statement[0].Resource).toBe('arn:aws:s3:::b/x+y%z/*');
  });

  it('falls back to form decoding (+ for space) when the strict reading is not JSON', () => {
    const form = encodeURIComponent('{"Version": "2012-10-17", "Statement": []}').replace(/%20/g, '+');
    expect(parsePolicyDocument(form, 'p')).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('accepts a plain JSON string and an object', () => {
    expect(parsePolicyDocument(`  ${JSON.stringify(trust)}\n`, 'p')).toEqual(trust);
    expect(parsePolicyDocument(trust, 'p')).toEqual(trust);
  });

  it('normalizes a single-object Statement to an array', () => {
    const single = { Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } };
    const doc = parsePolicyDocument(encodeURIComponent(JSON.stringify(single)), 'p');
    expect(Array.isArray(doc.Statement)).toBe(true);
    expect(doc.Statement).toEqual([{ Effect: 'Deny', Action: '*', Resource: '*' }]);
  });

  it('does not copy statements (documents are parsed once and shared)', () => {
    const doc = parsePolicyDocument(trust, 'p');
    expect(doc.Statement[0]).toBe(trust.Statement[0]);
  });

  it.each([
    ['', /empty/],
    ['%7B%22Version', /not valid JSON/],
    ['%E0%A4%A', /malformed %-escape/],
    ['{"Version": "2012-10-17", "Statement": [', /not valid JSON/],
    ['hello', /must be a JSON object/],
    [42, /must be a JSON object, got number/],
    [[], /got an array/],
    [{ Version: '2012-10-17' }, /has no Statement/],
    [{ Statement: ['x'] }, /Statement\[0\] must be an object/],
    [{ Statement: [{ Effect: 'allow', Action: '*' }] }, /Effect "allow"/],
    [{ Statement: [{ Effect: 'Allow', Action: 3 }] }, /Action must be a string or a list/],
    [{ Statement: [{ Effect: 'Allow', Principal: 'arn:aws:iam::1:root' }] }, /Principal must be "\*" or an object/],
    [
      { Statement: [{ Effect: 'Allow', Condition: { StringEquals: 'x' } }] },
      /Condition.StringEquals must be an object/,
    ],
  ])('rejects %p with a clear message', (input, message) => {
    expect(() => parsePolicyDocument(input, 'inline policy P on role R')).toThrow(PolicyParseError);
    expect(() => parsePolicyDocument(input, 'inline policy P on role R')).toThrow(message);
    expect(() => parsePolicyDocument(input, 'inline policy P on role R')).toThrow(/^inline policy P on role R: /);
  });
});

describe('toArray', () => {
  it('wraps single values, keeps lists and maps undefined to []', () => {
    expect(toArray('a')).toEqual(['a']);
    expect(toArray(['a', 'b'])).toEqual(['a', 'b']);
    expect(toArray(undefined)).toEqual([]);
  });
});
