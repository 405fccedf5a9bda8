/**
 * The evaluator's per-context memo (policy-evaluator.ts): results and the compiled forms of transient documents
 * (a fix's candidates, NamedPolicy.transient) are kept on the request context, so they last exactly as long as it.
 * A remembered answer must be the answer evaluating afresh would give, for transient and cached documents alike,
 * and a context that cannot take the memo (frozen) must still be evaluated correctly.
 */
import { evaluatePolicy } from '../../../src/engine/eval/policy-evaluator';
import type { NamedPolicy, PolicyStatement } from '../../../src/engine/iam/policy-types';
import { ALICE, contextOf } from './request-context-fixture';

const ROLE = 'arn:aws:iam::111122223333:role/deploy';
const TAGGED: PolicyStatement = {
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Resource: 'arn:aws:iam::111122223333:role/*',
  Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } },
};

const policy = (transient: boolean): NamedPolicy => ({
  kind: 'identity',
  source: 'inline policy assume on user alice',
  name: 'assume',
  document: { Version: '2012-10-17', Statement: [TAGGED] },
  ...(transient ? { transient: true } : {}),
});

const request = (ctx: ReturnType<typeof contextOf>, action = 'sts:AssumeRole') => ({
  action,
  resourceArn: ROLE,
  caller: ALICE,
  ctx,
});

describe('the per-context memo of the policy evaluator', () => {
  it.each([false, true])('gives a transient=%s document the same answer as a fresh evaluation', (transient) => {
    const matching = contextOf({ 'aws:PrincipalTag/team': 'platform' });
    const other = contextOf({ 'aws:PrincipalTag/team': 'data' });
    const p = policy(transient);
    const first = evaluatePolicy(p, request(matching));
    expect(first.allow).toBe(true);
    // Remembered for this context: the very same result object.
    expect(evaluatePolicy(p, request(matching))).toBe(first);
    // Another context evaluates afresh and sees its own tag.
    expect(evaluatePolicy(p, request(other)).allow).toBe(false);
    expect(matching.evaluatorResults).toBeDefined();
  });

  it('keeps a transient document compiled per context, and a new document object is compiled afresh', () => {
    const ctx = contextOf({ 'aws:PrincipalTag/team': 'platform' });
    const a = policy(true);
    // A second candidate with the same text but another document object (another fix step): its own answer.
    const b: NamedPolicy = {
      ...a,
      document: { Version: '2012-10-17', Statement: [{ ...TAGGED, Resource: 'arn:aws:iam::111122223333:role/x' }] },
    };
    expect(evaluatePolicy(a, request(ctx)).allow).toBe(true);
    expect(evaluatePolicy(b, request(ctx)).allow).toBe(false);
    expect(evaluatePolicy(a, request(ctx, 'sts:TagSession')).allow).toBe(false);
  });

  it('evaluates with a frozen context, which cannot take the memo', () => {
    const ctx = Object.freeze(contextOf({ 'aws:PrincipalTag/team': 'platform' }));
    const p = policy(true);
    const first = evaluatePolicy(p, request(ctx));
    const second = evaluatePolicy(p, request(ctx));
    expect(first.allow).toBe(true);
    expect(second).toEqual(first);
    expect(ctx.evaluatorResults).toBeUndefined();
  });

  it('takes a statement shared with a stored document from its compiled form only at the same position', () => {
    const ctx = contextOf({ 'aws:PrincipalTag/team': 'platform' });
    const unnamed: PolicyStatement = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE };
    const stored: NamedPolicy = { ...policy(false), document: { Version: '2012-10-17', Statement: [unnamed] } };
    expect(evaluatePolicy(stored, request(ctx)).statements.map((s) => s.label)).toEqual(['#1']);
    // A candidate that inserts a statement before the shared one: the shared statement is now #2.
    const candidate: NamedPolicy = {
      ...stored,
      transient: true,
      document: { Version: '2012-10-17', Statement: [TAGGED, unnamed] },
    };
    const result = evaluatePolicy(candidate, request(contextOf({})));
    expect(result.statements.map((s) => s.label)).toEqual(['#1', '#2']);
    expect(result.statements.map((s) => s.applies)).toEqual([false, true]);
  });

  it("does not serve a context's results to a copy of it with another lookup", () => {
    const matching = contextOf({ 'aws:PrincipalTag/team': 'platform' });
    const p = policy(false);
    expect(evaluatePolicy(p, request(matching)).allow).toBe(true);
    const copy = { ...matching, lookup: contextOf({ 'aws:PrincipalTag/team': 'data' }).lookup };
    expect(evaluatePolicy(p, request(copy)).allow).toBe(false);
  });

  it('keeps the compiled form on a policy where serializing or spreading it never sees it', () => {
    const p = policy(false);
    const before = JSON.stringify(p);
    evaluatePolicy(p, request(contextOf({ 'aws:PrincipalTag/team': 'platform' })));
    expect(JSON.stringify(p)).toBe(before);
    expect(Object.keys(p)).toEqual(['kind', 'source', 'name', 'document']);
  });
});
