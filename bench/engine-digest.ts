/**
 * `npx tsx bench/engine-digest.ts [--roles N] [--events N] [--seed N] [--out FILE]`: diagnoses the engine
 * benchmark's generated account and events, then prints one SHA-256 over every finding (as JSON, in event order)
 * and, per cause, how many findings there were. An optimization of the engine must leave the digest unchanged: it
 * is the check that a faster engine still says the same thing, event for event. `--out` writes the findings as
 * JSON lines, so that two runs can be compared with diff when the digests differ.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { diagnoseEvent, normalizeInput, SnapshotIamFacts } from '../src/engine';
import { buildBenchEvents } from './engine-bench-events';
import { generateLargeAccount } from './generate-large-account';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      roles: { type: 'string' },
      events: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const roles = Number(values.roles ?? 2000);
  const count = Number(values.events ?? 20000);
  const seed = Number(values.seed ?? 20250514);
  const details = generateLargeAccount({ seed, roles });
  const facts = SnapshotIamFacts.fromAuthorizationDetails([
    { details: JSON.parse(JSON.stringify(details)), source: 'digest' },
  ]);
  const hash = createHash('sha256');
  const causes = new Map<string, number>();
  const out = values.out === undefined ? undefined : fs.openSync(values.out, 'w');
  for (const { record } of buildBenchEvents(details as never, count, seed)) {
    const normalized = normalizeInput(record);
    for (const event of normalized.events) {
      const finding = await diagnoseEvent(event, facts);
      const line = `${JSON.stringify(finding)}\n`;
      hash.update(line);
      if (out !== undefined) fs.writeSync(out, line);
      causes.set(finding.cause, (causes.get(finding.cause) ?? 0) + 1);
    }
  }
  if (out !== undefined) fs.closeSync(out);
  console.log(`findings digest (${roles} roles, ${count} events, seed ${seed}): ${hash.digest('hex')}`);
  console.log(
    [...causes]
      .sort()
      .map(([c, n]) => `${c} ${n}`)
      .join(', '),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
