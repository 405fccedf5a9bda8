import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { CliIo } from '../../src/cli/cli-io';
import { runDiagnoseCommand } from '../../src/cli/diagnose-command';
import { CAUSES, type Finding } from '../../src/engine/finding/types';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const EVENTS_DIR = path.join(EXAMPLES, 'events');
const SNAPSHOT_111 = path.join(EXAMPLES, 'snapshot', 'account-111111111111.json');
const SNAPSHOT_222 = path.join(EXAMPLES, 'snapshot', 'account-222222222222.json');
const ORG = path.join(EXAMPLES, 'snapshot', 'organization.json');
const DEMO_ARGS = ['--iam-snapshot', SNAPSHOT_111, '--iam-snapshot', SNAPSHOT_222, '--org', ORG];
const ESC = '\u001b';

const CONTRACT_KEYS = [
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
];

/** The cause each demo event was written to show (examples/README.md lists the same). */
const DEMO_CAUSES: Record<string, string> = {
  '01-github-actions-branch-instead-of-environment.json': 'TRUST_CONDITION_FAILED',
  '02-github-actions-role-name-typo.eventbridge.json': 'ROLE_NOT_FOUND',
  '03-audit-vendor-without-external-id.json': 'TRUST_CONDITION_FAILED',
  '04-admin-role-without-mfa.json': 'TRUST_CONDITION_FAILED',
  '05-developer-blocked-by-permissions-boundary.json': 'BOUNDARY_NO_ALLOW',
  '06-eks-service-account-wrong-namespace.json': 'TRUST_CONDITION_FAILED',
  '07-eks-projected-token-expired.json': 'TOKEN_EXPIRED',
  '08-tools-account-user-without-identity-allow.json': 'IDENTITY_NO_ALLOW',
  '09-new-ci-role-not-in-trust-policy.json': 'TRUST_PRINCIPAL_MISSING',
  '10-break-glass-blocked-by-scp.json': 'SCP_DENY',
  '11-action-typo-in-user-policy.json': 'IDENTITY_NO_ALLOW',
  '12-cloudtrail-log-file-session-tags.json': 'TRUST_ACTION_MISSING',
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], extra: Partial<CliIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runDiagnoseCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    ...extra,
  });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-cli-test-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function tmpFile(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('trustgap diagnose on the embedded demo', () => {
  let jsonRun: Run;
  let findings: Finding[];
  beforeAll(async () => {
    jsonRun = await run(['--event', EVENTS_DIR, ...DEMO_ARGS, '--json']);
    findings = JSON.parse(jsonRun.stdout) as Finding[];
  });

  it('prints a JSON array of findings with exactly the contract fields, and nothing else on stdout', () => {
    expect(jsonRun.code).toBe(0);
    expect(Array.isArray(findings)).toBe(true);
    expect(findings).toHaveLength(Object.keys(DEMO_CAUSES).length);
    for (const f of findings) {
      expect(Object.keys(f)).toEqual(CONTRACT_KEYS);
      expect(Object.keys(f.caller)).toEqual(['type', 'arn', 'accountId']);
      expect(Object.keys(f.role)).toEqual(['arn', 'accountId']);
      expect(CAUSES).toContain(f.cause);
      expect(
        Object.keys(f.fix).every((k) =>
          ['kind', 'summary', 'policyDocument', 'commands', 'commandAccounts', 'verified', 'admits'].includes(k),
        ),
      ).toBe(true);
      for (const e of f.evidence) {
        expect(
          Object.keys(e).every((k) =>
            ['policy', 'source', 'statement', 'conditionKey', 'operator', 'expected', 'actual'].includes(k),
          ),
        ).toBe(true);
      }
    }
  });

  it('finds the cause each demo event was written to show', async () => {
    const files = Object.keys(DEMO_CAUSES).sort();
    for (const [i, file] of files.entries()) {
      const single = await run(['--event', path.join(EVENTS_DIR, file), ...DEMO_ARGS, '--json']);
      expect(single.code).toBe(0);
      const [finding] = JSON.parse(single.stdout) as Finding[];
      expect({ file, cause: finding.cause }).toEqual({ file, cause: DEMO_CAUSES[file] });
      // Directory order is file-name order.
      expect(findings[i].eventId).toBe(finding.eventId);
    }
  });

  it('reports skipped records on stderr in --json mode', () => {
    const lines = jsonRun.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^trustgap diagnose: skipped .*12-cloudtrail-log-file-session-tags\.json \[0\] \(AssumeRole, id [0-9a-f-]+\): successful call \(no errorCode\)$/,
    );
    expect(lines[1]).toMatch(
      /\[1\] \(GetCallerIdentity, id [0-9a-f-]+\): not a role assumption \(eventName GetCallerIdentity\)$/,
    );
  });

  it('prints a readable report without colour when stdout is not a terminal', async () => {
    const text = await run(['--event', EVENTS_DIR, ...DEMO_ARGS]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).not.toContain(ESC);
    expect(text.stdout).toContain('[1/12] TRUST_CONDITION_FAILED · a trust policy condition did not match');
    expect(text.stdout).toContain('AssumeRoleWithWebIdentity  WebIdentityUser');
    expect(text.stdout).toMatch(/12 denied role assumptions diagnosed, 2 records skipped/);
    expect(text.stdout).toContain('Skipped records');
    for (const f of findings) expect(text.stdout).toContain(`event ${f.eventId}`);
  });

  it('colours a terminal, and honours NO_COLOR and FORCE_COLOR', async () => {
    const args = ['--event', path.join(EVENTS_DIR, '04-admin-role-without-mfa.json'), ...DEMO_ARGS];
    expect((await run(args, { stdoutIsTTY: true })).stdout).toContain(`${ESC}[`);
    expect((await run(args, { stdoutIsTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await run(args, { stdoutIsTTY: false, env: { FORCE_COLOR: '1' } })).stdout).toContain(`${ESC}[`);
  });

  it('reads a gzipped CloudTrail log file', async () => {
    const source = fs.readFileSync(path.join(EVENTS_DIR, '12-cloudtrail-log-file-session-tags.json'));
    const gz = tmpFile('gz/111111111111_CloudTrail_eu-west-1_20250515T0005Z_x.json.gz', gzipSync(source));
    const result = await run(['--event', gz, ...DEMO_ARGS, '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Finding[]).map((f) => f.cause)).toEqual(['TRUST_ACTION_MISSING']);
  });
});

describe('hostile event fields', () => {
  it('cannot drive the terminal through the session name, user agent or error message', async () => {
    const log = JSON.parse(fs.readFileSync(path.join(EVENTS_DIR, '12-cloudtrail-log-file-session-tags.json'), 'utf8'));
    const record = log.Records[2];
    const hostile = 'x\u001b[2J\u001b]0;owned\u0007\u009b1;1H\u202e';
    record.userIdentity.arn = `arn:aws:sts::111111111111:assumed-role/etl-scheduler/${hostile}`;
    record.userIdentity.principalId = `AROAY7KQ3XN2ETLSCHED1:${hostile}`;
    record.requestParameters.roleSessionName = hostile;
    record.userAgent = hostile;
    record.errorMessage = `User: ${record.userIdentity.arn} is not authorized\n${hostile}`;
    const file = tmpFile('hostile.json', JSON.stringify(record));

    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const result = await run(['--event', file, ...DEMO_ARGS], { env });
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain('\u001b[2J');
      expect(result.stdout).not.toContain('\u001b]');
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e]/);
      // Every ESC left is one of the renderer's own SGR colour codes.
      for (const rest of result.stdout.split(ESC).slice(1)) expect(rest).toMatch(/^\[\d+m/);
      // The session name is still shown, in a visible escaped form (by the normalizer or the renderer).
      expect(result.stdout).toMatch(/assumed-role\/etl-scheduler\/x\\(x1b|u001b)\[2J/);
    }
    const json = await run(['--event', file, ...DEMO_ARGS, '--json']);
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const callerArn = (JSON.parse(json.stdout) as Finding[])[0].caller.arn ?? '';
    expect(callerArn.startsWith('arn:aws:sts::111111111111:assumed-role/etl-scheduler/x')).toBe(true);
    expect(callerArn).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});

describe('user errors: exit 2 and one line on stderr naming the file and the problem', () => {
  async function expectUserError(argv: string[], expected: RegExp | string): Promise<void> {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    const body = result.stderr.slice(0, -1);
    expect(body).not.toContain('\n');
    expect(body).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    if (typeof expected === 'string') expect(body).toBe(expected);
    else expect(body).toMatch(expected);
  }

  it('missing event file', async () => {
    const missing = path.join(tmp, 'nope.json');
    await expectUserError(
      ['--event', missing, ...DEMO_ARGS],
      `trustgap diagnose: --event ${missing}: no such file or directory`,
    );
  });

  it('event file that is not JSON', async () => {
    const bad = tmpFile('bad.json', '{"eventName": "AssumeRole",');
    await expectUserError(
      ['--event', bad, ...DEMO_ARGS],
      new RegExp(`^trustgap diagnose: ${escapeRe(bad)}: not valid JSON \\(.+\\)$`),
    );
  });

  it('event file with a corrupt gzip stream', async () => {
    const bad = tmpFile(
      'bad.json.gz',
      Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not really gzip')]),
    );
    await expectUserError(
      ['--event', bad, ...DEMO_ARGS],
      new RegExp(`^trustgap diagnose: ${escapeRe(bad)}: cannot decompress gzip data \\(.+\\)$`),
    );
  });

  it('empty event file', async () => {
    const empty = tmpFile('empty.json', '');
    await expectUserError(['--event', empty, ...DEMO_ARGS], `trustgap diagnose: ${empty}: input is empty`);
  });

  it('a bad file inside an event directory stops the run before any output', async () => {
    const dir = path.join(tmp, 'mixed');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(EVENTS_DIR, '04-admin-role-without-mfa.json'), path.join(dir, 'a.json'));
    const bad = tmpFile('mixed/b.json', 'nope');
    await expectUserError(
      ['--event', dir, ...DEMO_ARGS],
      new RegExp(`^trustgap diagnose: ${escapeRe(bad)}: not valid JSON`),
    );
  });

  it('event directory without event files', async () => {
    const dir = path.join(tmp, 'no-events');
    fs.mkdirSync(dir);
    tmpFile('no-events/readme.txt', 'x');
    await expectUserError(
      ['--event', dir, ...DEMO_ARGS],
      `trustgap diagnose: --event ${dir}: directory has no *.json or *.json.gz files (searched recursively)`,
    );
  });

  it('missing snapshot file', async () => {
    const missing = path.join(tmp, 'account-000000000000.json');
    await expectUserError(
      ['--event', EVENTS_DIR, '--iam-snapshot', missing],
      `trustgap diagnose: --iam-snapshot ${missing}: no such file or directory`,
    );
  });

  it('snapshot that is not valid JSON', async () => {
    const bad = tmpFile('account-333333333333.json', '{"RoleDetailList": [');
    await expectUserError(
      ['--event', EVENTS_DIR, '--iam-snapshot', bad],
      new RegExp(`^trustgap diagnose: ${escapeRe(bad)}: snapshot file is not valid JSON \\(.+\\)$`),
    );
  });

  it('snapshot that is JSON but not get-account-authorization-details output', async () => {
    const bad = tmpFile('not-a-snapshot.json', JSON.stringify({ RoleDetailList: 'roles' }));
    await expectUserError(
      ['--event', EVENTS_DIR, '--iam-snapshot', bad],
      `trustgap diagnose: ${bad}: RoleDetailList must be a list`,
    );
  });

  it('invalid organization file', async () => {
    const bad = tmpFile('org.json', JSON.stringify({ Policies: 'x' }));
    await expectUserError(
      ['--event', EVENTS_DIR, '--iam-snapshot', SNAPSHOT_111, '--org', bad],
      `trustgap diagnose: ${bad}: Policies must be a list`,
    );
  });

  it('unknown flag, missing flag value, missing required flags, stray argument', async () => {
    await expectUserError(
      ['--event', EVENTS_DIR, ...DEMO_ARGS, '--frobnicate'],
      'trustgap diagnose: unknown flag --frobnicate (see trustgap diagnose --help)',
    );
    await expectUserError(['--event'], 'trustgap diagnose: flag --event needs a value (see trustgap diagnose --help)');
    await expectUserError(
      DEMO_ARGS,
      'trustgap diagnose: missing required flag --event (or --error) (see trustgap diagnose --help)',
    );
    // With no --iam-snapshot the facts are read live: test/cli/diagnose-live-facts.test.ts.
    await expectUserError(
      ['--event', EVENTS_DIR, ...DEMO_ARGS, 'extra'],
      "trustgap diagnose: unexpected argument 'extra' (see trustgap diagnose --help)",
    );
  });

  it('--help prints usage and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Usage: trustgap diagnose --event FILE\|DIR\|- \[--event \.\.\.\] \[--iam-snapshot FILE \.\.\.\]/,
    );
    expect(result.stdout).toContain('trustgap diagnose --error TEXT|- [--role-arn ARN] [--caller ARN]');
    expect(result.stdout).toContain('--organization');
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the real entry point (node bin/trustgap.js)', () => {
  const exec = promisify(execFile);

  it('diagnoses an event as a child process and prints JSON', async () => {
    const { stdout } = await exec(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'trustgap.js'),
        'diagnose',
        '--event',
        path.join(EVENTS_DIR, '09-new-ci-role-not-in-trust-policy.json'),
        ...DEMO_ARGS,
        '--json',
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
    );
    const parsed = JSON.parse(stdout) as Finding[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0].cause).toBe('TRUST_PRINCIPAL_MISSING');
    expect(parsed[0].role.arn).toBe('arn:aws:iam::111111111111:role/release-publisher');
  });

  it('exits 2 with one line and no stack trace on a bad input', async () => {
    const missing = path.join(tmp, 'missing.json');
    const failure = await exec(
      process.execPath,
      [path.join(ROOT, 'bin', 'trustgap.js'), 'diagnose', '--event', missing, ...DEMO_ARGS],
      {
        cwd: ROOT,
      },
    ).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toBe(`trustgap diagnose: --event ${missing}: no such file or directory\n`);
  });
});
