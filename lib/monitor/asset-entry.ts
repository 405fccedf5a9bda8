import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

const ENTRY_SOURCE = path.resolve(__dirname, '..', '..', 'lambda', 'asset-entry.ts');

/** The pipeline bundle's name in the asset; lambda/asset-entry.ts requires it by this literal name. */
export const RUNTIME_CHUNK = 'runtime.js';

let built: string | undefined;

/**
 * Builds the asset's index.js from lambda/asset-entry.ts (about 2 KB: the configuration check and a lazy
 * require of the pipeline) and returns its path. The bundling hooks rename NodejsFunction's own bundle to
 * runtime.js and copy this file in as index.js, so the init phase compiles this file and not the 0.6 MB pipeline.
 */
export function writeAssetEntry(): string {
  if (built && fs.existsSync(built)) return built;
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-asset-entry-')), 'index.js');
  buildSync({
    entryPoints: [ENTRY_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    external: [`./${RUNTIME_CHUNK}`],
    logLevel: 'error',
  });
  built = outfile;
  return outfile;
}

/** The afterBundling commands that turn NodejsFunction's single index.js into index.js + runtime.js. */
export function splitEntryCommands(outputDir: string): string[] {
  return [
    `mv "${outputDir}/index.js" "${outputDir}/${RUNTIME_CHUNK}"`,
    `cp "${writeAssetEntry()}" "${outputDir}/index.js"`,
  ];
}
