import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

describe('trustgap dispatcher', () => {
  it('--help and help list the commands and exit 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const result = await run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: trustgap <command> \[options\]/);
      expect(result.stdout).toMatch(/\n {2}diagnose {3}/);
      expect(result.stdout).toMatch(/\n {2}findings {3}/);
      expect(result.stderr).toBe('');
    }
  });

  it('--version prints the package.json version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v'])
      expect(await run([flag])).toEqual({ code: 0, stdout: `trustgap ${pkg.version}\n`, stderr: '' });
  });

  it('no command prints the usage on stderr and exits 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: trustgap <command>/);
  });

  it('an unknown command is a one-line error with exit 2, and hostile text is neutralised', async () => {
    expect(await run(['diagnos'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "trustgap: unknown command 'diagnos' (commands: diagnose, scan, findings, report; see trustgap --help)\n",
    });
    expect((await run(['\u001b[2J'])).stderr).toBe(
      "trustgap: unknown command '\\x1b[2J' (commands: diagnose, scan, findings, report; see trustgap --help)\n",
    );
  });

  it('passes the remaining arguments to the diagnose command', async () => {
    const result = await run(['diagnose', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: trustgap diagnose /);
  });

  it('passes the remaining arguments to the findings command', async () => {
    const result = await run(['findings', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: trustgap findings /);
  });
});
