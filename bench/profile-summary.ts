/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof, or bench:engine --profile DIR) by self time per function: the
 * functions that themselves burn the CPU, not their callers. Usage: tsx bench/profile-summary.ts FILE [TOP].
 */
import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [TOP]');
  const top = Number(topArg ?? 20);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // The first sample's delta is the time from the profile's start to sampling: Profiler.start itself, run from
    // the inspector's `dispatch` (about a second with a large heap), not work of the code being profiled.
    if (i === 0) return;
    const node = nodes.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const { functionName, url } = node.callFrame;
    const where = url.replace(/^.*?\/(src|bench|node_modules)\//, '$1/');
    const key = `${functionName || '(anonymous)'}  ${where}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    total += delta;
  });
  const idle = self.get('(idle)  ') ?? 0;
  console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled, ${(idle / 1000).toFixed(0)} ms idle`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}

main();
