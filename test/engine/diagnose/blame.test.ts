/**
 * Unknowns never move the blame, and confidence agrees with the unknowns listed (src/engine/diagnose/blame.ts).
 * The corpus shows the same rules end to end (scenarios 63-66); these cases pin each rule on its own.
 */
import {
  assignBlame,
  CANNOT_CLEAR,
  markCannotClear,
  markStated,
  STATED,
  whatWouldChangeIt,
} from '../../../src/engine/diagnose/blame';
import type { GapCandidate } from '../../../src/engine/diagnose/gap-types';
import { parseStatedReason } from '../../../src/engine/event/aws-stated-reason';
import type { Unknown } from '../../../src/engine/finding/types';

const orgId: Unknown = { key: 'aws:PrincipalOrgID', reason: "the caller account's organization is not known" };
const scps: Unknown = { key: 'SCPs for caller account 444455556666', reason: 'no organization file was loaded' };

const trustUnknown: GapCandidate = {
  cause: 'TRUST_CONDITION_FAILED',
  policy: 'trust',
  action: 'sts:AssumeRole',
  summary: 'depends on aws:PrincipalOrgID',
  evidence: [],
  certainty: 'possible',
  unknowns: [orgId],
  target: { kind: 'trust-statement', index: 0 },
};
const identityGap: GapCandidate = {
  cause: 'IDENTITY_NO_ALLOW',
  policy: 'identity',
  action: 'sts:AssumeRole',
  summary: 'no identity Allow',
  evidence: [],
  certainty: 'definite',
  unknowns: [],
  target: { kind: 'identity-allow' },
};
const boundaryDeny: GapCandidate = {
  cause: 'BOUNDARY_EXPLICIT_DENY',
  policy: 'boundary',
  action: 'sts:AssumeRole',
  summary: 'a boundary Deny applies if aws:ResourceOrgID held',
  evidence: [],
  certainty: 'possible',
  unknowns: [{ key: 'aws:ResourceOrgID', reason: 'not known' }],
  target: { kind: 'deny-statement', layer: 'boundary', policySource: 'b', index: 1 },
};

const own = (g: GapCandidate) => g.unknowns;
const all = (g: GapCandidate) => [...g.unknowns, orgId, scps];
const definiteFirst = (...gaps: GapCandidate[]) =>
  [...gaps].sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'definite' ? -1 : 1));

describe('assignBlame', () => {
  it('an unknown trust condition beside a proven identity gap: the cause stays IDENTITY_NO_ALLOW, high', () => {
    const blame = assignBlame(definiteFirst(trustUnknown, identityGap), undefined, own, all);
    expect(blame.primary.cause).toBe('IDENTITY_NO_ALLOW');
    expect(blame.confidence).toBe('high');
    // Listed, and each says it cannot clear the cause: the confidence agrees with the list.
    expect(blame.unknowns.map((u) => u.key)).toEqual(['aws:PrincipalOrgID', scps.key]);
    for (const u of blame.unknowns) expect(u.reason.endsWith(CANNOT_CLEAR)).toBe(true);
    for (const u of blame.unknowns) expect(u.canClearCause).toBe(false);
    expect(whatWouldChangeIt(blame)).toBe('');
  });

  it('an unknown trust condition alone: the cause is on the trust side, low, the unknown listed as is', () => {
    const blame = assignBlame([trustUnknown], undefined, own, all);
    expect(blame.primary.cause).toBe('TRUST_CONDITION_FAILED');
    expect(blame.confidence).toBe('low');
    expect(blame.unknowns).toContainEqual(orgId);
    expect(whatWouldChangeIt(blame)).toContain('if aws:PrincipalOrgID did hold');
  });

  it('a proven cause with an unknown of its own is medium, and that unknown is not marked', () => {
    const withOwn: GapCandidate = { ...identityGap, unknowns: [{ key: 'managed policy X', reason: 'not readable' }] };
    const blame = assignBlame([withOwn], undefined, own, all);
    expect(blame.confidence).toBe('medium');
    expect(blame.unknowns[0]).toEqual({ key: 'managed policy X', reason: 'not readable' });
    expect(blame.unknowns[1].reason.endsWith(CANNOT_CLEAR)).toBe(true);
    expect(blame.unknowns[1].canClearCause).toBe(false);
  });

  it('no unknowns at all: a proven cause is high', () => {
    expect(assignBlame([identityGap], undefined, own, own).confidence).toBe('high');
  });

  it('AWS names the boundary: its possible Deny becomes the cause, ahead of a proven gap elsewhere, at high', () => {
    const stated = parseStatedReason(
      'User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::2:role/r with an explicit deny in a permissions boundary',
    );
    const blame = assignBlame(definiteFirst(boundaryDeny, identityGap), stated, own, all);
    expect(blame.primary.cause).toBe('BOUNDARY_EXPLICIT_DENY');
    expect(blame.statedByAws).toBe(true);
    expect(blame.confidence).toBe('high');
    expect(blame.unknowns[0].reason.endsWith(STATED)).toBe(true);
    expect(blame.unknowns[0].canClearCause).toBe(false);
  });

  it('AWS names a missing allow, not a deny: a Deny gap on that side does not match it', () => {
    const stated = parseStatedReason(
      'User: u is not authorized to perform: sts:AssumeRole on resource: r because no permissions boundary allows the sts:AssumeRole action',
    );
    const blame = assignBlame([boundaryDeny], stated, own, all);
    expect(blame.statedByAws).toBe(false);
    expect(blame.confidence).toBe('low');
  });
});

describe('marking unknowns copies them as a spread would', () => {
  const spreadCopy = (u: Unknown, why: string): Unknown => ({
    ...u,
    reason: `${u.reason}; ${why}`,
    canClearCause: false,
  });
  const shapes = (): Unknown[] => [
    { key: 'SCPs for caller account 111122223333', reason: 'no organization file was loaded' },
    { reason: 'reason first', key: 'k' } as Unknown,
    { key: 'k', reason: 'r', extra: 1 } as unknown as Unknown,
    { key: 'k', reason: 'r', canClearCause: undefined } as unknown as Unknown,
    Object.assign({ key: 'k', reason: 'r' }, { [Symbol('s')]: 1 }) as Unknown,
    { key: 'k' } as Unknown,
  ];

  it('gives the same properties in the same order, for the plain shape and any other', () => {
    for (const [mark, why] of [
      [(u: Unknown) => markCannotClear([u])[0], CANNOT_CLEAR],
      [markStated, STATED],
    ] as const) {
      for (const u of shapes()) {
        const out = mark(u);
        const expected = spreadCopy(u, why);
        expect(Reflect.ownKeys(out)).toEqual(Reflect.ownKeys(expected));
        expect(out).toEqual(expected);
        expect(out).not.toBe(u);
      }
    }
  });

  it('reads key and reason as the spread does (reason twice)', () => {
    const reads: string[] = [];
    const u = {} as Unknown;
    const reading = (name: string) => () => {
      reads.push(name);
      return name[0];
    };
    Object.defineProperty(u, 'key', { enumerable: true, get: reading('key') });
    Object.defineProperty(u, 'reason', { enumerable: true, get: reading('reason') });
    markStated(u);
    const viaMark = reads.splice(0);
    spreadCopy(u, STATED);
    expect(viaMark).toEqual(reads);
  });
});
