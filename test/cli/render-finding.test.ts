import { findingsJsonText, findingToJson } from '../../src/cli/finding-json';
import { renderFinding, renderRunSummary, skippedLine } from '../../src/cli/render-finding';
import { safeText, shouldUseColor } from '../../src/cli/terminal-text';
import type { NormalizedEvent } from '../../src/engine/event/types';
import type { Finding } from '../../src/engine/finding/types';

// Hostile values as a caller could put them into CloudTrail: the session name and OIDC sub are free text.
const CLEAR_SCREEN = '\u001b[2J';
const HOSTILE_SESSION = `deploy${CLEAR_SCREEN}\u001b]0;pwned\u0007\r\nFAKE LINE`;
const HOSTILE_SUB = 'repo:acme/app:ref:refs/heads/main\u202egnp.exe\u009b31m';

function githubFinding(): Finding {
  return {
    eventId: 'ev-1',
    eventTime: '2025-05-14T09:12:44Z',
    api: 'AssumeRoleWithWebIdentity',
    errorCode: 'AccessDenied',
    caller: { type: 'WebIdentityUser', arn: null, accountId: null },
    role: { arn: 'arn:aws:iam::111111111111:role/github-actions-deploy', accountId: '111111111111' },
    cause: 'TRUST_CONDITION_FAILED',
    policy: 'trust',
    summary: `The token's sub ${HOSTILE_SUB} is not the one the trust policy expects.`,
    evidence: [
      {
        policy: 'trust',
        source: 'trust policy of arn:aws:iam::111111111111:role/github-actions-deploy',
        statement: 'GitHubActionsProductionDeploys',
        conditionKey: 'token.actions.githubusercontent.com:sub',
        operator: 'StringEquals',
        expected: 'repo:acme/app:environment:production',
        actual: HOSTILE_SUB,
      },
    ],
    otherGaps: [{ cause: 'IDENTITY_NO_ALLOW', policy: 'identity', summary: 'no identity policy allows it' }],
    warnings: [{ code: 'NEAR_MISS', message: `session ${HOSTILE_SESSION}`, source: 'trust policy', statement: '#0' }],
    fix: {
      kind: 'policy',
      admits: ['token.actions.githubusercontent.com:sub=repo:acme/app:ref:refs/heads/main'],
      summary: 'Allow the branch in the sub condition.',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'x' } }],
      },
      commands: [
        'aws iam update-assume-role-policy --role-name github-actions-deploy --policy-document file://trust.json',
      ],
      verified: true,
    },
    alternatives: [],
    confidence: 'high',
    unknowns: [{ key: 'aws:SourceIp', reason: 'not checked by this statement' }],
  };
}

const ESC = '\u001b';

describe('safeText', () => {
  it('turns control characters, escape sequences, C1 controls and bidi overrides into visible escapes', () => {
    expect(safeText(`a${CLEAR_SCREEN}b`)).toBe('a\\x1b[2Jb');
    expect(safeText('x\r\ny\tz')).toBe('x\\r\\ny\\tz');
    expect(safeText('\u009b31m')).toBe('\\x9b31m');
    expect(safeText('abc\u202edef\u2066')).toBe('abc\\u202edef\\u2066');
    expect(safeText('repo:acme/app:ref:refs/heads/main')).toBe('repo:acme/app:ref:refs/heads/main');
    expect(safeText('ünïcødé ✓')).toBe('ünïcødé ✓');
  });
});

describe('shouldUseColor', () => {
  it('colours only a TTY, unless NO_COLOR is set or FORCE_COLOR says otherwise', () => {
    expect(shouldUseColor(true, {})).toBe(true);
    expect(shouldUseColor(false, {})).toBe(false);
    expect(shouldUseColor(undefined, {})).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor(true, { TERM: 'dumb' })).toBe(false);
    expect(shouldUseColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(false, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldUseColor(false, { FORCE_COLOR: '3', NO_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldUseColor(true, { FORCE_COLOR: 'false' })).toBe(false);
  });
});

describe('renderFinding', () => {
  it('shows headline, summary, evidence, unknowns, other gaps, warnings and the verified fix', () => {
    const text = renderFinding(githubFinding(), { color: false, index: 1, total: 3 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('─'.repeat(78));
    expect(lines[1]).toBe('[1/3] TRUST_CONDITION_FAILED · a trust policy condition did not match');
    expect(lines[2]).toBe(
      '  AssumeRoleWithWebIdentity  WebIdentityUser → arn:aws:iam::111111111111:role/github-actions-deploy',
    );
    expect(lines[3]).toBe('  2025-05-14T09:12:44Z  AccessDenied  event ev-1  confidence high');
    expect(text).toContain(
      '  • trust policy of arn:aws:iam::111111111111:role/github-actions-deploy · statement GitHubActionsProductionDeploys\n',
    );
    expect(text).toContain('condition StringEquals token.actions.githubusercontent.com:sub');
    expect(text).toContain('expected  "repo:acme/app:environment:production"');
    expect(text).toContain('Could not be checked from the event (unknown, not failed)');
    expect(text).toContain('? aws:SourceIp: not checked by this statement');
    expect(text).toContain('IDENTITY_NO_ALLOW (identity policy): no identity policy allows it');
    expect(text).toContain('verified: re-evaluating the call with this change allows it');
    expect(text).toContain('"Action": "sts:AssumeRoleWithWebIdentity"');
    expect(text).toContain('$ aws iam update-assume-role-policy --role-name github-actions-deploy');
  });

  it('never lets a hostile value reach the terminal raw', () => {
    for (const color of [false, true]) {
      const text = renderFinding(githubFinding(), { color });
      // Without colour there is no ESC at all; with colour every ESC starts one of our own SGR codes.
      const escapes = text.split(ESC).slice(1);
      if (!color) expect(escapes).toHaveLength(0);
      for (const rest of escapes) expect(rest).toMatch(/^\[\d+m/);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(text).toContain('deploy\\x1b[2J\\x1b]0;pwned\\x07\\r\\nFAKE LINE');
      expect(text).toContain('main\\u202egnp.exe\\x9b31m');
      // The injected CRLF did not become a line of its own.
      expect(text.split('\n').some((l) => l.startsWith('FAKE LINE'))).toBe(false);
    }
  });

  it('uses colour codes only when asked', () => {
    expect(renderFinding(githubFinding(), { color: false })).not.toContain(ESC);
    expect(renderFinding(githubFinding(), { color: true })).toContain(`${ESC}[1m`);
  });

  it('says when a fix is not verified and when the event does not name the role', () => {
    const f = githubFinding();
    f.fix = { kind: 'caller', summary: 'Ask for a new token.', commands: [], verified: false, admits: [] };
    f.role = { arn: null, accountId: null };
    f.caller = { type: 'AWSAccount', arn: null, accountId: '444455556666' };
    const text = renderFinding(f, { color: false });
    expect(text).toContain('AWSAccount in account 444455556666 → (the event does not say which role)');
    expect(text).toContain('not verified');
    expect(text).not.toContain('Corrected policy document');
    expect(text).not.toContain('Commands:');
  });

  it('shows an absent key as not in the request, and a key the event cannot show as unknown', () => {
    const f = githubFinding();
    f.evidence = [
      {
        policy: 'trust',
        source: 'trust policy',
        statement: 'Ext',
        conditionKey: 'sts:ExternalId',
        operator: 'StringEquals',
        expected: ['x'],
        actual: null,
      },
      {
        policy: 'trust',
        source: 'trust policy',
        statement: 'Saml',
        conditionKey: 'SAML:aud',
        operator: 'StringEquals',
        expected: ['y'],
        actual: null,
      },
    ];
    f.unknowns = [{ key: 'saml:aud', reason: 'the SAML assertion is not logged' }];
    const text = renderFinding(f, { color: false });
    expect(text).toContain('expected  ["x"]\n      actual    (not in the request)');
    expect(text).toContain('expected  ["y"]\n      actual    unknown (the event does not show it)');
  });
});

describe('caller label for callers without an ARN', () => {
  const event = (caller: NormalizedEvent['caller']): NormalizedEvent => ({
    eventId: 'ev-1',
    eventTime: '2025-05-14T09:12:44Z',
    api: 'AssumeRoleWithWebIdentity',
    errorCode: 'AccessDenied',
    caller,
    role: { source: 'requestParameters' },
    request: { parametersLogged: true },
  });
  const headlineOf = (f: Finding, e: NormalizedEvent): string =>
    renderFinding(f, { color: false, event: e }).split('\n')[2];

  it('names the OIDC provider and sub, the SAML user, or the service, all terminal-safe', () => {
    const f = githubFinding();
    expect(
      headlineOf(
        f,
        event({
          type: 'WebIdentityUser',
          webIdentity: {
            provider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
            sub: HOSTILE_SUB,
          },
        }),
      ),
    ).toBe(
      '  AssumeRoleWithWebIdentity  WebIdentityUser (token.actions.githubusercontent.com sub repo:acme/app:ref:refs/heads/main\\u202egnp.exe\\x9b31m) → arn:aws:iam::111111111111:role/github-actions-deploy',
    );
    f.caller = { type: 'SAMLUser', arn: null, accountId: null };
    expect(headlineOf(f, event({ type: 'SAMLUser', userName: 'jane@example.com', saml: { provider: 'x' } }))).toContain(
      '  SAMLUser jane@example.com → ',
    );
    f.caller = { type: 'AWSService', arn: null, accountId: null };
    expect(headlineOf(f, event({ type: 'AWSService', invokedBy: 'lambda.amazonaws.com' }))).toContain(
      '  AWSService lambda.amazonaws.com → ',
    );
  });
});

describe('evidence location line', () => {
  it('names the policy kind unless the source already does, and shows descriptions without "statement"', () => {
    const f = githubFinding();
    f.evidence = [
      {
        policy: 'identity',
        source: 'managed policy arn:aws:iam::1:policy/P',
        statement: 'no statement allows it',
        expected: ['sts:AssumeRole'],
        actual: [],
      },
      { policy: 'scp', source: 'SCP p-1 "X"', statement: '#2' },
    ];
    const text = renderFinding(f, { color: false });
    expect(text).toContain('    • identity policy · managed policy arn:aws:iam::1:policy/P · no statement allows it\n');
    expect(text).toContain('    • SCP p-1 "X" · statement #2\n');
  });
});

describe('renderRunSummary and skippedLine', () => {
  it('counts findings per cause and lists skipped records with their reasons', () => {
    const a = githubFinding();
    const b = { ...githubFinding(), cause: 'ROLE_NOT_FOUND' as const };
    const text = renderRunSummary(
      [a, b, a],
      [{ source: 'x.json', index: 1, eventName: 'GetCallerIdentity', reason: 'not a role assumption' }],
      {
        color: false,
      },
    );
    expect(text.split('\n')).toEqual([
      '3 denied role assumptions diagnosed, 1 record skipped',
      '    2  TRUST_CONDITION_FAILED',
      '    1  ROLE_NOT_FOUND',
      '',
      'Skipped records',
      '  x.json [1] (GetCallerIdentity): not a role assumption',
    ]);
  });

  it('neutralises hostile text in skipped records', () => {
    expect(skippedLine({ source: 'e.json', index: 0, eventName: `X${CLEAR_SCREEN}`, reason: 'r\n' })).toBe(
      'e.json [0] (X\\x1b[2J): r\\n',
    );
  });
});

describe('findings JSON', () => {
  it('has exactly the contract fields, drops anything else, and escapes terminal-active characters', () => {
    const withExtra = { ...githubFinding(), internalTrace: ['x'] } as Finding;
    const projected = findingToJson(withExtra) as unknown as Record<string, unknown>;
    expect(Object.keys(projected)).toEqual([
      'eventId',
      'eventTime',
      'api',
      'errorCode',
      'caller',
      'role',
      'cause',
      'policy',
      'summary',
      'evidence',
      'otherGaps',
      'warnings',
      'fix',
      'alternatives',
      'confidence',
      'unknowns',
    ]);
    const text = findingsJsonText([withExtra]);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const parsed = JSON.parse(text) as Finding[];
    expect(parsed[0].summary).toBe(githubFinding().summary);
    expect(parsed[0].warnings[0].message).toBe(`session ${HOSTILE_SESSION}`);
    expect(parsed[0]).not.toHaveProperty('internalTrace');
  });
});
