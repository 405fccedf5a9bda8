/**
 * tsx bench/generate-trail-tree.ts DIR [RECORDS] — writes the generated AWSLogs/ tree (trail-generator.ts) under
 * DIR and prints its stats as JSON. bench:scan runs it as a child process so the scan it measures starts in a
 * process that never held the generator's heap (that garbage once made one scan of the same tree 3 s, the next 6 s).
 */
import { generateTrailTree } from './trail-generator';

const [root, records] = process.argv.slice(2);
if (!root) {
  console.error('usage: tsx bench/generate-trail-tree.ts DIR [RECORDS]');
  process.exit(2);
}
console.log(JSON.stringify(generateTrailTree({ root, records: Number(records ?? 200_000) })));
