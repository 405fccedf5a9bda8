/**
 * `npm run bench:lambda-start`: what the Lambda handler costs to start, measured on the asset `cdk deploy` uploads.
 *
 * Synthesizes both deployments (the single-account stack and the organization central stack, each bundling its
 * own entry point), then alternates fresh Node processes, ROUNDS times each:
 *  - bare: requires a one-line handler (`exports.handler = async () => ({})`): Node's own start-up;
 *  - each bundle: requires the synthesized index.js, NodejsFunction's bundle of lambda/handler.ts (single account)
 *    or lambda/organization-handler.ts (organization central function).
 * Both run with the function's own environment from the template (NODE_OPTIONS included, tokens replaced by
 * placeholders). Each process reports its CPU time (user + system) and wall time since process start twice: after
 * the require (the goal: median ratio bundle / bare ≤ 2), and after its first event, an EventBridge event that is
 * not a denied role assumption, which the pipeline acknowledges without calling AWS. The second figure is not a goal
 * of the issue; it is printed beside the goal so that work moved from init into the first invocation (which gets
 * less CPU on Lambda, docs/lambda-start.md) cannot pass for work removed.
 * Alternating them keeps drift on a shared machine out of the ratios; the goal line shows the worse function.
 * A third figure, not a goal, runs each process with `node:http` loaded before the require, as Lambda's Node.js
 * runtime interface client loads it (its RAPID client, for the Runtime API) before it loads the handler: there the
 * handler's own share of init does not include Node's HTTP stack.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addTrustGapStacks } from '../lib/trustgap-app-stacks';

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 25);
const GOAL = { ratio: 2, bytes: 2 * 1024 * 1024, files: 5 };

/** The organization context of the README's deployment command (the bench needs only a valid one). */
const ORGANIZATION_CONTEXT = {
  organizationId: 'o-a1b2c3d4e5',
  organizationalUnitIds: 'r-ab12',
  memberRegions: 'us-east-1',
  centralAccountId: '123456789012',
};

interface FunctionAsset {
  /** Which deployment's function: the single-account stack's, or the organization central stack's. */
  name: string;
  dir: string;
  environment: Record<string, string>;
}

/** Synthesizes the app with `context` added to cdk.json's, and returns its handler function's asset. */
function synthesizeAsset(name: string, context: Record<string, unknown>): FunctionAsset {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
  const app = new App({
    context: { ...cdkJson.context, ...context },
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-start-')),
  });
  const [stack] = addTrustGapStacks(app);
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template;
  const fn = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler',
  );
  if (!fn) throw new Error(`no handler function in the ${name} template`);
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(fn.Properties.Environment?.Variables ?? {})) {
    environment[k] = typeof v === 'string' ? v : `placeholder-${k.toLowerCase()}`;
  }
  const asset = `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`;
  return { name, dir: path.join(assembly.directory, asset), environment };
}

/** What one fresh process spent: after the require, and after its first event too. Microseconds of CPU, ms of wall. */
interface StartCost {
  requireCpu: number;
  requireWall: number;
  firstEventCpu: number;
  firstEventWall: number;
}

const MARKER = 'TRUSTGAP_START_COST ';

/** The first event: a scheduled EventBridge event, acknowledged by the pipeline without any AWS call. */
const FIRST_EVENT = {
  version: '0',
  id: 'bench-start',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111111111111',
  time: '2026-12-03T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {},
};

const CONTEXT = {
  functionName: 'TrustGap-Handler',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:TrustGap-Handler',
  awsRequestId: 'bench-start',
};

/** A fresh process that requires `file`, then invokes its handler once; its figures come back on a marked line. */
function startCost(file: string, environment: Record<string, string>, preloadHttp = false): StartCost {
  const script = `
    const { performance } = require('node:perf_hooks');
    const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
    ${preloadHttp ? "require('node:http');" : ''}
    const { handler } = require(${JSON.stringify(file)});
    const requireCpu = cpu(), requireWall = performance.now();
    const context = { ...${JSON.stringify(CONTEXT)}, getRemainingTimeInMillis: () => 60000 };
    Promise.resolve(handler(${JSON.stringify(FIRST_EVENT)}, context)).then(() => {
      const cost = { requireCpu, requireWall, firstEventCpu: cpu(), firstEventWall: performance.now() };
      process.stdout.write('\\n${MARKER}' + JSON.stringify(cost) + '\\n');
    });`;
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
  const line = result.stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (result.status !== 0 || !line) throw new Error(`start of ${file} failed: ${result.stderr}`);
  return JSON.parse(line.slice(MARKER.length)) as StartCost;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const ms = (value: number) => `${value.toFixed(1)} ms`;
const medianOf = (costs: StartCost[], key: keyof StartCost) => median(costs.map((c) => c[key]));

/** Median ratio bundle / bare of one figure, and the spread of the per-round ratios. */
function ratioOf(bundled: StartCost[], bare: StartCost[], key: 'requireCpu' | 'firstEventCpu') {
  const ratios = bundled.map((b, i) => b[key] / bare[i][key]).sort((a, b) => a - b);
  const p = (q: number) => ratios[Math.floor(ratios.length * q)].toFixed(2);
  return { median: medianOf(bundled, key) / medianOf(bare, key), spread: `per-round p10 ${p(0.1)}×, p90 ${p(0.9)}×` };
}

function printAsset(fn: FunctionAsset): void {
  const files = fs.readdirSync(fn.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const size = (f: fs.Dirent) => fs.statSync(path.join(f.parentPath, f.name)).size;
  const bytes = files.reduce((sum, f) => sum + size(f), 0);
  console.log(`  ${fn.name} asset: ${files.map((f) => `${f.name} ${(size(f) / 1024).toFixed(0)} KB`).join(', ')}`);
  console.log(`    files    ${files.length} (goal ≤ ${GOAL.files})  ${verdict(files.length <= GOAL.files)}`);
  console.log(`    size     ${(bytes / 1024 / 1024).toFixed(2)} MB (goal ≤ 2 MB)  ${verdict(bytes <= GOAL.bytes)}`);
}

function printRow(label: string, costs: StartCost[], key: 'requireCpu' | 'firstEventCpu'): void {
  const wall = key === 'requireCpu' ? 'requireWall' : 'firstEventWall';
  console.log(
    `    ${label.padEnd(34)} ${ms(medianOf(costs, key) / 1000).padStart(10)}  ${ms(medianOf(costs, wall)).padStart(12)}`,
  );
}

function main(): void {
  // Both deployments' functions: each bundles its own entry point (lib/denied-assume-role-monitor.ts, `deployment`).
  const functions = [
    synthesizeAsset('single-account', {}),
    synthesizeAsset('organization central', ORGANIZATION_CONTEXT),
  ];
  const bareFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-bare-')), 'index.js');
  fs.writeFileSync(bareFile, 'exports.handler = async () => ({});\n');
  const bundles = functions.map((fn) => path.join(fn.dir, 'index.js'));

  // Warm the page cache once; not counted.
  for (const [i, fn] of functions.entries()) startCost(bundles[i], fn.environment);
  const bare: StartCost[] = [];
  const bundled: StartCost[][] = functions.map(() => []);
  const bareAfterHttp: StartCost[] = [];
  const bundledAfterHttp: StartCost[][] = functions.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(startCost(bareFile, functions[0].environment));
    // The two bundles swap places every round, so neither always runs right after the bare handler.
    const order = round % 2 ? [...functions.keys()].reverse() : [...functions.keys()];
    for (const i of order) bundled[i].push(startCost(bundles[i], functions[i].environment));
    bareAfterHttp.push(startCost(bareFile, functions[0].environment, true));
    for (const i of order) bundledAfterHttp[i].push(startCost(bundles[i], functions[i].environment, true));
  }
  const requireRatios = bundled.map((costs) => ratioOf(costs, bare, 'requireCpu'));
  const firstEventRatios = bundled.map((costs) => ratioOf(costs, bare, 'firstEventCpu'));
  const afterHttpRatios = bundledAfterHttp.map((costs) => ratioOf(costs, bareAfterHttp, 'requireCpu'));
  const nodeOptions = [...new Set(functions.map((fn) => fn.environment.NODE_OPTIONS ?? '(unset)'))].join(' / ');
  console.log(`Lambda start (${ROUNDS} alternating rounds, NODE_OPTIONS=${nodeOptions}, load ${loadAverage()})`);
  for (const fn of functions) printAsset(fn);
  for (const [title, key] of [
    ['require (the goal)', 'requireCpu'],
    ['require + first event (not a goal: what a cold start really costs)', 'firstEventCpu'],
  ] as const) {
    console.log(`  ${title}`);
    console.log(`    ${''.padEnd(34)} ${'CPU median'.padStart(10)}  ${'wall median'.padStart(12)}`);
    printRow('bare handler', bare, key);
    functions.forEach((fn, i) => {
      printRow(fn.name, bundled[i], key);
      const ratio = (key === 'requireCpu' ? requireRatios : firstEventRatios)[i];
      console.log(`      ratio ${ratio.median.toFixed(2)}× (${ratio.spread})`);
    });
  }
  console.log("  require with node:http loaded first, as the Lambda runtime's interface client does (not a goal)");
  console.log(`    ${''.padEnd(34)} ${'CPU median'.padStart(10)}  ${'wall median'.padStart(12)}`);
  printRow('bare handler', bareAfterHttp, 'requireCpu');
  functions.forEach((fn, i) => {
    printRow(fn.name, bundledAfterHttp[i], 'requireCpu');
    console.log(`      ratio ${afterHttpRatios[i].median.toFixed(2)}× (${afterHttpRatios[i].spread})`);
  });
  // The goal holds only if it holds for both functions: the line shows the worse one.
  const worst = requireRatios.reduce((w, r, i) => (r.median > requireRatios[w].median ? i : w), 0);
  const worstFirst = Math.max(...firstEventRatios.map((r) => r.median));
  console.log(
    `  goal     require ≤ ${GOAL.ratio}× the bare handler, both functions: worse is ${functions[worst].name} ` +
      `${requireRatios[worst].median.toFixed(2)}×  ${verdict(requireRatios.every((r) => r.median <= GOAL.ratio))}` +
      `  (require + first event, worse: ${worstFirst.toFixed(2)}×)`,
  );
}

/** The 1-minute load average: other sessions share this machine's cores, so each run says how busy it was. */
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

main();
