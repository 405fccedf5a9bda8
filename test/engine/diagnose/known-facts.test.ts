/**
 * IamFacts.known is a shortcut, never a second answer: a diagnosis through the snapshot's known answers (no promise
 * per lookup) must equal the diagnosis through its async methods alone, and through a source that knows only some
 * answers (a live adapter's cache). Every scenario of the corpus, each lookup counted on both paths.
 */
import * as path from 'node:path';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import type { IamFacts, KnownIamFacts } from '../../../src/engine/iam/iam-facts';
import { SnapshotIamFacts } from '../../../src/engine/iam/snapshot/snapshot-iam-facts';
import { loadScenarios, scenarioEvent } from '../../fixtures/scenarios/scenario-corpus';

const scenarios = loadScenarios(path.join(__dirname, '../../fixtures/scenarios'));
let lookupsSeen = 0;

type Method = keyof KnownIamFacts;
const METHODS: Method[] = [
  'getRole',
  'getUser',
  'listRoleNames',
  'getIdentityProvider',
  'getOrganizationPolicies',
  'findPrincipalByUniqueId',
];

/** The snapshot through its async methods only, counting the lookups asked. */
function asyncOnly(facts: SnapshotIamFacts, asked: string[]): IamFacts {
  const wrapped = {} as Record<Method, (arg: string) => unknown>;
  for (const m of METHODS)
    wrapped[m] = (arg: string) => {
      asked.push(`${m} ${arg}`);
      return (facts[m] as (a: string) => unknown).call(facts, arg);
    };
  return wrapped as unknown as IamFacts;
}

/** Known answers for every other lookup asked (by the order asked), the rest through the async methods. */
function halfKnown(facts: SnapshotIamFacts, asked: string[]): IamFacts {
  let n = 0;
  const known = {} as Record<Method, (arg: string) => unknown>;
  for (const m of METHODS)
    known[m] = (arg: string) => {
      if (n++ % 2 === 1) return undefined;
      asked.push(`${m} ${arg}`);
      return (facts.known[m] as (a: string) => unknown)(arg);
    };
  return Object.assign(asyncOnly(facts, asked), { known: known as unknown as KnownIamFacts });
}

describe('IamFacts.known gives the same findings as the async lookups', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const facts = SnapshotIamFacts.fromFiles(s.snapshotPaths, s.orgPath);
    const event = await scenarioEvent(s, facts);
    const viaKnown = await diagnoseEvent(event, facts);
    const askedAsync: string[] = [];
    const viaAsync = await diagnoseEvent(event, asyncOnly(facts, askedAsync));
    const askedMixed: string[] = [];
    const viaMixed = await diagnoseEvent(event, halfKnown(facts, askedMixed));
    expect(viaAsync).toEqual(viaKnown);
    expect(viaMixed).toEqual(viaKnown);
    // Every lookup is asked exactly once on either path: a known miss falls back to the async method, never to both.
    expect([...askedMixed].sort()).toEqual([...askedAsync].sort());
    lookupsSeen += askedAsync.length;
  });

  it('the corpus exercises the lookups (not only findings settled before any lookup)', () => {
    expect(lookupsSeen).toBeGreaterThan(scenarios.length);
  });

  it('a lookup that throws on the known side rejects the diagnosis, as a rejected async lookup does', async () => {
    const s = scenarios[0];
    const facts = SnapshotIamFacts.fromFiles(s.snapshotPaths, s.orgPath);
    const event = await scenarioEvent(s, facts);
    const failing = Object.assign(asyncOnly(facts, []), {
      known: {
        ...facts.known,
        getRole: () => {
          throw new Error('role store unavailable');
        },
      },
    });
    await expect(diagnoseEvent(event, failing)).rejects.toThrow('role store unavailable');
  });
});
