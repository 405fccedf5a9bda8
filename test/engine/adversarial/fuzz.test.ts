/**
 * Fuzzing in the normal test run (issue 9 point 2): a fixed seed and a few thousand mutated real records through
 * the normalizer and the full diagnosis against the fixture snapshots. The property is in test/support/fuzz-records.ts;
 * `npm run fuzz` runs the same property with more cases and prints the figures.
 */
import { DIAGNOSIS_GOAL_MS, runFuzz } from '../../support/fuzz-records';

const CI_CASES = 3000;
const CI_SEED = 20260902;

test(`${CI_CASES} mutated records: each diagnosed or skipped with a reason, nothing throws, no prototype polluted`, async () => {
  const stats = await runFuzz(CI_CASES, CI_SEED);
  expect(stats.cases).toBe(CI_CASES);
  expect(stats.diagnosed + stats.skipped).toBeGreaterThanOrEqual(CI_CASES);
  expect(stats.diagnosed).toBeGreaterThan(CI_CASES / 4);
  // The per-diagnosis goal, on CPU time: on a loaded CI machine wall-clock includes waiting for a core.
  expect(stats.worstCpuMs).toBeLessThan(DIAGNOSIS_GOAL_MS);
}, 120_000);
