import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { CliIo } from '../../src/cli/cli-io';
import { runDiagnoseCommand } from '../../src/cli/diagnose-command';
import type { Finding } from '../../src/engine/finding/types';

/**
 * What a user has in hand (issue 8, point 6): the error text the CLI or SDK printed, a trimmed event as AWS docs print
 * it, several files or a whole AWSLogs/ tree, or standard input. The real entry point (node bin/trustgap.js) runs
 * where stdin, pipes and exit codes matter; the rest runs the command in-process.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'trustgap.js');
const EVENTS = path.join(ROOT, 'examples', 'events');
const SNAP = path.join(ROOT, 'examples', 'snapshot');
const FACTS = [
  '--iam-snapshot',
  path.join(SNAP, 'account-111111111111.json'),
  '--iam-snapshot',
  path.join(SNAP, 'account-222222222222.json'),
  '--org',
  path.join(SNAP, 'organization.json'),
];
const exec = promisify(execFile);

const record = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(EVENTS, name), 'utf8')) as Record<string, unknown>;
const CI_ROLE_EVENT = record('09-new-ci-role-not-in-trust-policy.json');
/** The message the AWS CLI prints for the call of demo event 09 (cross-account: tools → prod). */
const CI_ROLE_ERROR = `An error occurred (AccessDenied) when calling the AssumeRole operation: ${String(CI_ROLE_EVENT.errorMessage)}`;
const MFA_EVENT = record('04-admin-role-without-mfa.json');
const BOUNDARY_EVENT = record('05-developer-blocked-by-permissions-boundary.json');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-inputs-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function run(argv: string[], extra: Partial<CliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDiagnoseCommand(argv, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: {},
    ...extra,
  });
  return { code, out, err };
}

/** The real CLI with `input` on its standard input. */
function runBin(argv: string[], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input ?? '');
  });
}

describe('trustgap diagnose --error', () => {
  it('diagnoses the AWS CLI error text of a cross-account call, and says which account runs the fix', async () => {
    const { stdout, stderr } = await exec(process.execPath, [BIN, 'diagnose', '--error', CI_ROLE_ERROR, ...FACTS], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(stderr).toBe('');
    expect(stdout).toContain("TRUST_PRINCIPAL_MISSING · the role's trust policy does not name the caller");
    expect(stdout).toContain('→ arn:aws:iam::111111111111:role/release-publisher');
    expect(stdout).toContain('(derived: the input has no eventID)');
    expect(stdout).toContain("# run with credentials of account 111111111111 (the role owner's account)");
    expect(stdout).toContain('? request parameters: an error message does not show what the call passed');
  });

  it('reads the error text from standard input with --error -', async () => {
    const result = await runBin(['diagnose', '--error', '-', ...FACTS, '--json'], `${CI_ROLE_ERROR}\n`);
    expect(result).toMatchObject({ code: 0, err: '' });
    const [finding] = JSON.parse(result.out) as Finding[];
    expect(finding).toMatchObject({
      cause: 'TRUST_PRINCIPAL_MISSING',
      api: 'AssumeRole',
      errorCode: 'AccessDenied',
      eventTime: '',
      caller: { type: 'AssumedRole', accountId: '222222222222' },
      role: { arn: 'arn:aws:iam::111111111111:role/release-publisher' },
    });
    expect(finding.eventId).toMatch(/^derived-[0-9a-f]{32}$/);
    expect(finding.fix.commandAccounts).toEqual([{ accountId: '111111111111', owner: 'role' }]);
  });

  it('says exactly what is missing when the text names no role, and takes it from --role-arn', async () => {
    const text =
      'An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity';
    const bare = await run(['--error', text, ...FACTS]);
    expect(bare.code).toBe(0);
    expect(bare.out).toContain('UNEXPLAINED · the input does not show enough to decide');
    expect(bare.out).toContain(
      "The error text names no role (STS's AssumeRoleWithWebIdentity error messages never name the role)",
    );
    expect(bare.out).toContain('Pass --role-arn ARN with the role the call asked for.');

    const completed = await run([
      '--error',
      text,
      '--role-arn',
      'arn:aws:iam::111111111111:role/github-actions-deploy',
      '--caller',
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      ...FACTS,
      '--json',
    ]);
    const [finding] = JSON.parse(completed.out) as Finding[];
    expect(finding.role.arn).toBe('arn:aws:iam::111111111111:role/github-actions-deploy');
    expect(finding.cause).toBe('TRUST_CONDITION_FAILED');
    // The claims the trust tests are never in an error text: unknown, and the fix is not verified.
    expect(finding.unknowns.map((u) => u.key)).toEqual(
      expect.arrayContaining(['token.actions.githubusercontent.com:sub', 'token claims']),
    );
    expect(finding.fix.verified).toBe(false);
  });

  it('names the caller that is missing, and refuses a --role-arn or --caller that is no such ARN', async () => {
    const noCaller = await run([
      '--error',
      'An error occurred (AccessDenied) when calling the AssumeRole operation: Not authorized to perform sts:AssumeRole',
      '--role-arn',
      'arn:aws:iam::111111111111:role/AdminRole',
      ...FACTS,
    ]);
    expect(noCaller.out).toContain('? caller: the error text names no caller; pass --caller with the user, role');
    const badRole = await run(['--error', CI_ROLE_ERROR, '--role-arn', 'AdminRole', ...FACTS]);
    expect(badRole).toMatchObject({
      code: 2,
      out: '',
      err: 'trustgap diagnose: --role-arn AdminRole: not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)\n',
    });
    expect((await run(['--error', 'connection reset by peer', ...FACTS])).err).toMatch(
      /^trustgap diagnose: --error: not an AWS error message of AssumeRole/,
    );
  });
});

describe('trustgap diagnose --event', () => {
  it('reads a record from standard input with --event -', async () => {
    const result = await runBin(['diagnose', '--event', '-', ...FACTS, '--json'], JSON.stringify(MFA_EVENT));
    expect(result).toMatchObject({ code: 0, err: '' });
    const findings = JSON.parse(result.out) as Finding[];
    expect(findings.map((f) => [f.eventId, f.cause])).toEqual([[MFA_EVENT.eventID, 'TRUST_CONDITION_FAILED']]);
  });

  it('diagnoses a trimmed record (no eventID, no eventTime) with a stable derived id', async () => {
    const { eventID: _id, eventTime: _time, ...trimmed } = BOUNDARY_EVENT;
    const file = write('trimmed.json', JSON.stringify(trimmed));
    const first = JSON.parse((await run(['--event', file, ...FACTS, '--json'])).out) as Finding[];
    const again = JSON.parse((await run(['--event', file, ...FACTS, '--json'])).out) as Finding[];
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ cause: 'BOUNDARY_NO_ALLOW', eventTime: '' });
    expect(first[0].eventId).toMatch(/^derived-[0-9a-f]{32}$/);
    expect(again[0].eventId).toBe(first[0].eventId);
    expect((await run(['--event', file, ...FACTS])).out).toContain('no eventTime  AccessDenied  event derived-');
  });

  it('takes --event several times, and reads a directory recursively like an AWSLogs/ tree (.json.gz, Records)', async () => {
    const day = 'logs/AWSLogs/111111111111/CloudTrail/us-east-1/2025/05/14';
    write(`${day}/111111111111_CloudTrail_us-east-1_a.json.gz`, gzipSync(JSON.stringify({ Records: [MFA_EVENT] })));
    write(`${day}/nested/b.json`, JSON.stringify({ Records: [BOUNDARY_EVENT] }));
    // Digest files are not events: the tree walk of `trustgap scan` leaves CloudTrail-Digest out.
    write('logs/AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2025/05/14/digest.json.gz', gzipSync('{"x":1}'));
    const result = await run([
      '--event',
      path.join(tmp, 'logs'),
      '--event',
      path.join(EVENTS, '09-new-ci-role-not-in-trust-policy.json'),
      ...FACTS,
      '--json',
    ]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect((JSON.parse(result.out) as Finding[]).map((f) => f.eventId)).toEqual([
      MFA_EVENT.eventID,
      BOUNDARY_EVENT.eventID,
      CI_ROLE_EVENT.eventID,
    ]);
  });

  it('groups identical findings (same fingerprint) in text with a count; JSON keeps one entry per event', async () => {
    const times = ['2025-05-14T10:47:55Z', '2025-05-14T09:12:00Z', '2025-05-14T11:30:41Z'];
    const retries = times.map((eventTime, i) => ({ ...MFA_EVENT, eventID: `retry-${i}`, eventTime }));
    const file = write('storm.json', JSON.stringify({ Records: [...retries, BOUNDARY_EVENT] }));
    const text = await run(['--event', file, ...FACTS]);
    expect(text.out).toContain('[1/2] TRUST_CONDITION_FAILED');
    expect(text.out).toContain(
      '×3, first 2025-05-14T09:12:00Z, last 2025-05-14T11:30:41Z (the same fingerprint; the first is shown)',
    );
    expect(text.out).toContain('[2/2] BOUNDARY_NO_ALLOW');
    expect(text.out).toContain('4 denied role assumptions diagnosed (2 distinct problems)');
    const json = JSON.parse((await run(['--event', file, ...FACTS, '--json'])).out) as Finding[];
    expect(json.map((f) => f.eventId)).toEqual(['retry-0', 'retry-1', 'retry-2', BOUNDARY_EVENT.eventID]);
  });

  it('refuses to read standard input twice', async () => {
    const result = await run(['--event', '-', '--error', '-', ...FACTS], { readStdin: async () => Buffer.from('') });
    expect(result.err).toBe(
      "trustgap diagnose: standard input can be read only once: give '-' to one --event or --error\n",
    );
  });
});

describe('output that cannot be written', () => {
  it('a closed stdout pipe gives one line on stderr and no stack trace', async () => {
    const result = await new Promise<{ err: string; code: number | null }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'diagnose', '--event', EVENTS, ...FACTS], { cwd: ROOT });
      // The reader goes away before the first byte: every write fails with EPIPE, as with `| head -1`.
      child.stdout.destroy();
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ err, code }));
    });
    expect(result.err).toBe('trustgap: cannot write to stdout (EPIPE: the reader closed the pipe); output stopped\n');
    expect(result.code).toBe(0);
  });
});

describe('no AWS SDK banner', () => {
  it('trustgap findings prints no NodeVersionSupportWarning on a supported Node, only its own one line', async () => {
    const result = await new Promise<{ err: string; code: number | null }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'example',
        AWS_MAX_ATTEMPTS: '1',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      };
      delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      const child = spawn(process.execPath, [BIN, 'findings', '--table', 'trustgap-findings'], { cwd: ROOT, env });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ err, code }));
    });
    expect(result.code).toBe(2);
    expect(result.err).not.toContain('NodeVersionSupportWarning');
    expect(result.err).toBe('trustgap findings: cannot reach DynamoDB: connect ECONNREFUSED 127.0.0.1:9\n');
  });
});
