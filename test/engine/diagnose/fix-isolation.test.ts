/**
 * Fix builders edit copies: the snapshot's policy documents are shared, cached objects, so a fix that mutated them
 * would change the next diagnosis. Diagnosing every scenario twice against ONE facts instance must give identical
 * findings, and the facts' documents must be unchanged afterwards.
 */
import * as path from 'node:path';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { SnapshotIamFacts } from '../../../src/engine/iam/snapshot/snapshot-iam-facts';
import { loadScenarios, scenarioEvent } from '../../fixtures/scenarios/scenario-corpus';

const scenarios = loadScenarios(path.join(__dirname, '../../fixtures/scenarios'));

describe('fix builders never mutate the shared IAM facts', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s diagnoses identically twice', async (_name, s) => {
    const facts = SnapshotIamFacts.fromFiles(s.snapshotPaths, s.orgPath);
    const event = await scenarioEvent(s, facts);
    const roleBefore = event.role.arn ? JSON.stringify(await facts.getRole(event.role.arn)) : '';
    // The caller's facts too: their identity policies are the ones evaluated (and the evaluator keeps compiled
    // forms on them, which must stay invisible to anything that serializes or compares the facts).
    const callerArn = event.caller.type === 'AssumedRole' ? event.caller.issuerArn : event.caller.arn;
    const callerFacts = async () =>
      callerArn === undefined
        ? ''
        : JSON.stringify(
            callerArn.includes(':user/') ? await facts.getUser(callerArn) : await facts.getRole(callerArn),
          );
    const callerBefore = await callerFacts();
    const first = await diagnoseEvent(event, facts);
    const second = await diagnoseEvent(event, facts);
    expect(second).toEqual(first);
    if (event.role.arn) expect(JSON.stringify(await facts.getRole(event.role.arn))).toBe(roleBefore);
    expect(await callerFacts()).toBe(callerBefore);
  });
});
