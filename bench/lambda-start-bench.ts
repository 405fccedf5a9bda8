/**
 * `npm run bench:lambda-start`: what the Lambda handler costs to start, measured on the asset `cdk deploy` uploads.
 *
 * Synthesizes the real stack, then alternates two fresh Node processes, ROUNDS times each:
 *  - bare: requires a one-line handler (`exports.handler = async () => ({})`): Node's own start-up;
 *  - bundle: requires the synthesized index.js, which builds the SDK clients and the runtime at module load.
 * Both run with the function's own environment from the template (NODE_OPTIONS included, tokens replaced by
 * placeholders), and report the process's CPU time (user + system) after the require. The goal is judged on the
 * median ratio bundle / bare. Alternating the two keeps drift on a shared machine out of the ratio.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { TrustGapStack } from '../lib/trustgap-stack';

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 25);
const GOAL = { ratio: 2, bytes: 2 * 1024 * 1024, files: 5 };

function synthesizeAsset(): { dir: string; environment: Record<string, string> } {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
  const app = new App({ context: cdkJson.context, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-start-')) });
  const stack = new TrustGapStack(app, 'TrustGap');
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template;
  const fn = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler',
  );
  if (!fn) throw new Error('no handler function in the template');
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(fn.Properties.Environment?.Variables ?? {})) {
    environment[k] = typeof v === 'string' ? v : `placeholder-${k.toLowerCase()}`;
  }
  const asset = fs.readdirSync(assembly.directory).find((e) => e.startsWith('asset.'));
  if (!asset) throw new Error('no asset in the assembly');
  return { dir: path.join(assembly.directory, asset), environment };
}

/** CPU microseconds (user + system) of a fresh process that requires `file`. */
function startCpu(file: string, environment: Record<string, string>): number {
  const script = `require(${JSON.stringify(file)}); const u = process.cpuUsage(); process.stdout.write(String(u.user + u.system));`;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      ...environment,
    },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`require of ${file} failed: ${result.stderr}`);
  return Number(result.stdout);
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const { dir, environment } = synthesizeAsset();
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(f.parentPath, f.name)).size, 0);
  const bare = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-bare-')), 'index.js');
  fs.writeFileSync(bare, 'exports.handler = async () => ({});\n');
  const bundle = path.join(dir, 'index.js');

  startCpu(bundle, environment); // warm the page cache once; not counted
  const bareCpu: number[] = [];
  const bundleCpu: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bareCpu.push(startCpu(bare, environment));
    bundleCpu.push(startCpu(bundle, environment));
  }
  const ratio = median(bundleCpu) / median(bareCpu);
  const ratios = bundleCpu.map((b, i) => b / bareCpu[i]).sort((a, b) => a - b);
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
  console.log(`Lambda start (${ROUNDS} alternating rounds, NODE_OPTIONS=${environment.NODE_OPTIONS ?? '(unset)'})`);
  console.log(`  asset: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MB unzipped`);
  console.log(
    `    ${files.map((f) => `${f.name} ${(fs.statSync(path.join(f.parentPath, f.name)).size / 1024).toFixed(0)} KB`).join(', ')}`,
  );
  console.log(`  files    ${files.length} (goal ≤ ${GOAL.files})  ${verdict(files.length <= GOAL.files)}`);
  console.log(`  size     ${(bytes / 1024 / 1024).toFixed(2)} MB (goal ≤ 2 MB)  ${verdict(bytes <= GOAL.bytes)}`);
  console.log(`  bare handler process CPU   median ${ms(median(bareCpu))}`);
  console.log(`  bundle process CPU         median ${ms(median(bundleCpu))}`);
  console.log(
    `  ratio    ${ratio.toFixed(2)}× (per-round p10 ${ratios[Math.floor(ratios.length * 0.1)].toFixed(2)}×, p90 ${ratios[Math.floor(ratios.length * 0.9)].toFixed(2)}×; goal ≤ ${GOAL.ratio}×)  ${verdict(ratio <= GOAL.ratio)}`,
  );
}

main();
