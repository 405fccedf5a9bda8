/**
 * The evaluator's shortcut for identity-side policies none of whose statements is for the action
 * (compiled-document.ts): it must give exactly what matching every statement gives, and must never skip a policy
 * whose matching would spend work budget (a hostile Action list must still exhaust it).
 */
import { compileDocument, mayMatchAction } from '../../../src/engine/eval/compiled-document';
import { evaluatePolicy } from '../../../src/engine/eval/policy-evaluator';
import { WorkBudgetExceeded } from '../../../src/engine/eval/work-budget';
import type { NamedPolicy, PolicyStatement } from '../../../src/engine/iam/policy-types';
import { ALICE, contextOf } from './request-context-fixture';

const ROLE = 'arn:aws:iam::111122223333:role/deploy';
const caller = ALICE;

const servicesOf = (...statements: PolicyStatement[]) => compileDocument(statements).actionServices;
const allow = (Action: string | string[]): PolicyStatement => ({ Effect: 'Allow', Action, Resource: '*' });

function evaluate(kind: NamedPolicy['kind'], statements: PolicyStatement[], action = 'sts:AssumeRole') {
  return evaluatePolicy(
    { kind, source: 'test policy', name: 'p', document: { Version: '2012-10-17', Statement: statements } },
    { action, resourceArn: ROLE, caller, ctx: contextOf({}) },
  );
}

describe('action services of a compiled document', () => {
  it('lists the service prefix of every plain and prefix* Action pattern, lower-cased', () => {
    expect(servicesOf(allow(['EC2:RunInstances', 's3:Get*']), allow('ec2:Describe*'))).toEqual(['ec2:', 's3:']);
    expect(servicesOf({ Effect: 'Allow', Resource: '*' })).toEqual([]);
  });

  it('gives up on patterns whose service is not literal, on NotAction, and on STS-like actions', () => {
    expect(servicesOf(allow('*'))).toBeUndefined();
    expect(servicesOf(allow('s3*'))).toBeUndefined();
    expect(servicesOf(allow('*:GetObject'))).toBeUndefined();
    expect(servicesOf(allow('ec2:*Instance?'))).toBeUndefined();
    expect(servicesOf(allow('RunInstances'))).toBeUndefined();
    expect(servicesOf({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })).toBeUndefined();
    expect(servicesOf(allow('sts:TagSession'))).toBeUndefined();
    expect(servicesOf(allow('stss:AssumeRole'))).toBeUndefined();
  });

  it('rules out only actions of other services', () => {
    const doc = compileDocument([allow(['ec2:RunInstances', 'iam:Pass*'])]);
    expect(mayMatchAction(doc, 'sts:assumerole')).toBe(false);
    expect(mayMatchAction(doc, 'iam:passrole')).toBe(true);
    expect(mayMatchAction(doc, 'ec2:describeinstances')).toBe(true);
    expect(mayMatchAction(compileDocument([allow('*')]), 'sts:assumerole')).toBe(true);
  });
});

describe('identity policies for other services', () => {
  it('give what matching every statement gives: nothing applies', () => {
    const statements = [allow(['ec2:RunInstances', 's3:Get*']), { ...allow('kms:Decrypt'), Effect: 'Deny' }];
    expect(evaluate('identity', statements)).toMatchObject({ statements: [], allow: false, deny: false });
    // A pattern with a wildcard service is matched statement by statement, with the same answer.
    expect(evaluate('identity', [...statements, allow('e*:Describe*')])).toMatchObject({
      statements: [],
      allow: false,
      deny: false,
    });
  });

  it('are still evaluated when a statement is for the action, and trust policies always are', () => {
    expect(evaluate('identity', [allow('ec2:RunInstances'), allow('STS:AssumeRole')]).allow).toBe(true);
    expect(evaluate('boundary', [allow('iam:Pass*')], 'iam:PassRole').allow).toBe(true);
    const trust: PolicyStatement = { Effect: 'Allow', Principal: { AWS: caller.principalArn as string } };
    expect(evaluate('trust', [trust]).statements).toHaveLength(1);
  });

  it('still spend the work budget of matching costly Action patterns, and exhaust it', () => {
    // Each scans the whole action before failing, ~19 steps apiece: 20,000 of them are over the 250,000-step budget.
    const costly = Array.from({ length: 20_000 }, (_, i) => `*s*s*s*s*s*s*z${i}`);
    expect(() => evaluate('identity', [allow(costly)])).toThrow(WorkBudgetExceeded);
  });
});
