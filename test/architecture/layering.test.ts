import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The layers of src/, lowest first. A module may import from its own layer or a lower one, never from a higher
 * one: errors ← engine ← adapters ← pipeline ← cli. The engine never sees an AWS SDK.
 */
const SRC = path.join(__dirname, '../../src');
const RANK: Record<string, number> = { errors: 0, eventbridge: 0, engine: 1, adapters: 2, pipeline: 3, cli: 4 };

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

/** Static `import … from '…'`, `export … from '…'` and `import('…')`/`require('…')` specifiers. */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)'([^']+)'/gm)) specs.push(m[1]);
  return specs;
}

function upwardImports(): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (from === 'engine' && /^@aws-sdk\/|^@smithy\//.test(spec)) violations.push(`${file} imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(SRC + path.sep)) continue;
      const to = layerOf(target);
      if (RANK[to] === undefined || RANK[from] === undefined)
        violations.push(`${file}: unranked layer ${from} → ${to}`);
      else if (RANK[to] > RANK[from]) violations.push(`${path.relative(SRC, file)} (${from}) imports ${spec} (${to})`);
    }
  }
  return violations;
}

describe('layering of src/', () => {
  it('every top-level folder of src/ has a rank', () => {
    const folders = fs
      .readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((f) => RANK[f] === undefined)).toEqual([]);
  });

  it('no module imports from a layer above its own, and the engine imports no AWS SDK', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('the check itself catches an upward import', () => {
    expect(importsOf("import { x } from '../../pipeline/errors';\nexport * from './y';")).toEqual([
      '../../pipeline/errors',
      './y',
    ]);
    const engineFile = path.join(SRC, 'engine/diagnose/example.ts');
    const target = path.resolve(path.dirname(engineFile), '../../adapters/history');
    expect(RANK[layerOf(target)]).toBeGreaterThan(RANK[layerOf(engineFile)]);
  });
});
