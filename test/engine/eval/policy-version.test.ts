/**
 * The policy language version decides whether `${…}` is a variable. IAM User Guide, "IAM JSON policy elements: Version":
 * 2012-10-17 is the current version; with 2008-10-17 or no Version element "variables such as ${aws:username} aren't
 * recognized as variables and are instead treated as literal strings in the policy".
 */
import { evaluatePolicy } from '../../../src/engine/eval/policy-evaluator';
import { recognisesPolicyVariables } from '../../../src/engine/iam/policy-document';
import type { NamedPolicy, PolicyDocument, PolicyStatement } from '../../../src/engine/iam/policy-types';
import { ALICE, contextOf } from './request-context-fixture';

const ROLE = 'arn:aws:iam::111122223333:role/workbench-alice';
const caller = ALICE;
const ctx = contextOf({ 'aws:username': 'alice', 'sts:RoleSessionName': 'alice' });

function allows(kind: NamedPolicy['kind'], version: string | undefined, statement: PolicyStatement) {
  const document: PolicyDocument = { ...(version ? { Version: version } : {}), Statement: [statement] };
  return evaluatePolicy(
    { kind, source: 'test policy', name: 'p', document },
    { action: 'sts:AssumeRole', resourceArn: ROLE, caller, ctx },
  ).allow;
}

const byResource: PolicyStatement = {
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Resource: 'arn:aws:iam::111122223333:role/workbench-${aws:username}',
};
const bySessionName: PolicyStatement = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' },
  Action: 'sts:AssumeRole',
  Condition: { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } },
};

describe('policy variables depend on "Version": "2012-10-17"', () => {
  it.each([
    ['2012-10-17', true],
    ['2008-10-17', false],
    [undefined, false],
  ])('Version %s: variables recognised = %s', (version, expected) => {
    expect(recognisesPolicyVariables(version ? { Version: version } : {})).toBe(expected);
  });

  it('resolves ${aws:username} in a Resource only under 2012-10-17', () => {
    expect(allows('identity', '2012-10-17', byResource)).toBe(true);
    expect(allows('identity', '2008-10-17', byResource)).toBe(false);
    expect(allows('identity', undefined, byResource)).toBe(false);
  });

  it('resolves ${aws:username} in a condition value only under 2012-10-17', () => {
    expect(allows('trust', '2012-10-17', bySessionName)).toBe(true);
    expect(allows('trust', undefined, bySessionName)).toBe(false);
  });

  it('in a Version-less policy the literal text still matches a request value that spells it', () => {
    const literal = contextOf({ 'sts:RoleSessionName': '${aws:username}', 'aws:username': 'alice' });
    const document: PolicyDocument = { Statement: [bySessionName] };
    const result = evaluatePolicy(
      { kind: 'trust', source: 'trust', name: 't', document },
      { action: 'sts:AssumeRole', resourceArn: ROLE, caller, ctx: literal },
    );
    expect(result.allow).toBe(true);
    expect(result.statements[0].condition.clauses[0].expected).toEqual(['${aws:username}']);
  });

  it('an unknown variable is not consulted in a Version-less policy: the literal comparison is known', () => {
    const unsure = contextOf({ 'sts:RoleSessionName': 'alice', 'aws:username': { unknown: 'not in the event' } });
    const document: PolicyDocument = { Statement: [bySessionName] };
    const result = evaluatePolicy(
      { kind: 'trust', source: 'trust', name: 't', document },
      { action: 'sts:AssumeRole', resourceArn: ROLE, caller, ctx: unsure },
    );
    expect(result.allow).toBe(false);
  });
});
