/**
 * The labelled scenario corpus (test/fixtures/scenarios/*): each directory holds IAM snapshots as
 * `aws iam get-account-authorization-details` prints them, an optional organization file, one denied CloudTrail record
 * and the expected diagnosis. The whole pipeline runs for real — snapshot adapter, event normalizer, engine — and the
 * finding must name the expected cause, policy layer and evidence, verify its fix when one can be verified, and never
 * widen access. README.md in the corpus directory says what each scenario demonstrates and which AWS rule decides it.
 */
import * as path from 'node:path';
import { findingsJsonText } from '../../src/cli/finding-json';
import { renderFinding } from '../../src/cli/render-finding';
import { CANNOT_CLEAR, STATED } from '../../src/engine/diagnose/blame';
import { diagnoseEvent } from '../../src/engine/diagnose/diagnose-event';
import { claimScope } from '../../src/engine/diagnose/fix/trust-scope';
import { externalIdSecrets } from '../../src/engine/diagnose/redact-secrets';
import { normalizeInput } from '../../src/engine/event/normalize';
import type { NormalizedEvent } from '../../src/engine/event/types';
import { CAUSES, type Finding } from '../../src/engine/finding/types';
import type { PolicyDocument, PolicyStatement } from '../../src/engine/iam/policy-types';
import { SnapshotIamFacts } from '../../src/engine/iam/snapshot/snapshot-iam-facts';
import {
  conditionKeysOf,
  EXPECTATION_FIELDS,
  type ExpectedEvidence,
  fixLayer,
  isUrlEncodedSnapshot,
  loadScenarios,
  originalDocuments,
  type Scenario,
  scenarioEvent,
  wideningViolations,
} from '../fixtures/scenarios/scenario-corpus';

const CORPUS = path.join(__dirname, '../fixtures/scenarios');
const scenarios = loadScenarios(CORPUS);

const FINDING_FIELDS = [
  'alternatives',
  'api',
  'caller',
  'cause',
  'confidence',
  'errorCode',
  'eventId',
  'eventTime',
  'evidence',
  'fix',
  'otherGaps',
  'policy',
  'role',
  'summary',
  'unknowns',
  'warnings',
];
const POLICIES = ['trust', 'identity', 'boundary', 'scp', 'rcp', 'session', 'token', 'request', 'none', 'unknown'];
const CALLER_TYPES = [
  'IAMUser',
  'AssumedRole',
  'FederatedUser',
  'AWSAccount',
  'WebIdentityUser',
  'SAMLUser',
  'AWSService',
  'Root',
];
const EVIDENCE_FIELDS = new Set(['policy', 'source', 'statement', 'conditionKey', 'operator', 'expected', 'actual']);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Partial match of one expected evidence item; condition key names are case-insensitive in IAM. */
function evidenceMatcher(e: ExpectedEvidence): unknown {
  const fields: Record<string, unknown> = { ...e };
  if (e.conditionKey !== undefined)
    fields.conditionKey = expect.stringMatching(new RegExp(`^${escapeRegExp(e.conditionKey)}$`, 'i'));
  return expect.objectContaining(fields);
}

async function diagnose(s: Scenario): Promise<{ finding: Finding; event: NormalizedEvent }> {
  const facts = SnapshotIamFacts.fromFiles(s.snapshotPaths, s.orgPath);
  if (s.errorText === undefined) {
    const normalized = normalizeInput(s.event);
    expect(normalized.skipped).toEqual([]);
    expect(normalized.events).toHaveLength(1);
  }
  const event = await scenarioEvent(s, facts);
  return { finding: await diagnoseEvent(event, facts), event };
}

describe('scenario corpus', () => {
  it('has at least 40 scenarios, each with a snapshot, an event and an expectation', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    for (const s of scenarios) {
      expect({ name: s.name, snapshots: s.snapshotPaths.length > 0 }).toEqual({ name: s.name, snapshots: true });
      expect(s.name).toMatch(/^\d\d-[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('has well-formed expectations', () => {
    for (const s of scenarios) {
      const e = s.expected;
      const where = `${s.name}/expected.json`;
      expect({ where, extra: Object.keys(e).filter((k) => !EXPECTATION_FIELDS.has(k)) }).toEqual({ where, extra: [] });
      expect({ where, cause: (CAUSES as readonly string[]).includes(e.cause) }).toEqual({ where, cause: true });
      expect({ where, policy: POLICIES.includes(e.policy) }).toEqual({ where, policy: true });
      expect({ where, fixVerified: typeof e.fixVerified }).toEqual({ where, fixVerified: 'boolean' });
      expect({ where, notes: e.notes.length > 80 }).toEqual({ where, notes: true });
      for (const ev of e.evidence) {
        expect({ where, extra: Object.keys(ev).filter((k) => !EVIDENCE_FIELDS.has(k)) }).toEqual({ where, extra: [] });
        expect(POLICIES).toContain(ev.policy);
      }
    }
  });

  it('covers every cause in CAUSES', () => {
    const covered = new Set(scenarios.map((s) => s.expected.cause));
    expect(CAUSES.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('covers every caller type', () => {
    const covered = new Set(scenarios.map((s) => (s.event.userIdentity as { type: string } | undefined)?.type));
    expect(CALLER_TYPES.filter((t) => !covered.has(t))).toEqual([]);
  });

  it('stores policy documents URL-encoded, as the raw API returns them, in at least 5 scenarios', () => {
    expect(scenarios.filter((s) => s.snapshots.some(isUrlEncodedSnapshot)).length).toBeGreaterThanOrEqual(5);
  });
});

describe('fix widening check (used on every finding below)', () => {
  const original: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }],
  };
  const withStatement = (st: PolicyStatement): PolicyDocument => ({
    ...original,
    Statement: [...original.Statement, st],
  });

  it('accepts a fix that names one more principal and one more exact action', () => {
    const fix = withStatement({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
    expect(wideningViolations(fix, [original])).toEqual([]);
  });

  it('rejects a new wildcard principal, a new wildcard action and a new Allow NotAction', () => {
    expect(
      wideningViolations(withStatement({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }), [original]),
    ).toHaveLength(1);
    expect(
      wideningViolations(
        withStatement({
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root', '*'] },
          Action: 'sts:AssumeRole',
        }),
        [original],
      ),
    ).toHaveLength(1);
    expect(
      wideningViolations(
        withStatement({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:*' }),
        [original],
      ),
    ).toHaveLength(1);
    expect(
      wideningViolations(withStatement({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), [original]),
    ).toHaveLength(1);
  });

  it('accepts wildcards the original already had, and wildcards in Deny statements', () => {
    const wide: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sts:*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
        },
      ],
    };
    expect(wideningViolations(wide, [wide])).toEqual([]);
    expect(wideningViolations(withStatement({ Effect: 'Deny', Principal: '*', Action: '*' }), [original])).toEqual([]);
  });
});

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
  const e = s.expected;
  let finding: Finding;
  let event: NormalizedEvent;

  beforeAll(async () => {
    ({ finding, event } = await diagnose(s));
  });

  it('has exactly the fields of the Finding contract', () => {
    const json = JSON.parse(JSON.stringify(finding)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(json).sort()).toEqual(FINDING_FIELDS);
    expect(Object.keys(json.caller).sort()).toEqual(['accountId', 'arn', 'type']);
    expect(Object.keys(json.role).sort()).toEqual(['accountId', 'arn']);
    expect(
      Object.keys(json.fix)
        .filter((k) => k !== 'policyDocument' && k !== 'commandAccounts')
        .sort(),
    ).toEqual(['admits', 'commands', 'kind', 'summary', 'verified']);
    if (finding.fix.kind === 'caller') expect(finding.fix.admits).toEqual([]);
    // One account per command, when present (cross-account and organization-policy fixes).
    if (finding.fix.commandAccounts) expect(finding.fix.commandAccounts).toHaveLength(finding.fix.commands.length);
    for (const ev of finding.evidence) expect(Object.keys(ev).filter((k) => !EVIDENCE_FIELDS.has(k))).toEqual([]);
    // A trimmed record (no eventID/eventTime) and an error text get a derived id and no time.
    if (s.event.eventID !== undefined) expect(finding.eventId).toBe(s.event.eventID);
    else expect(finding.eventId).toMatch(/^derived-[0-9a-f]{32}$/);
    expect(finding.eventTime).toBe(s.event.eventTime ?? '');
    expect(finding.api).toBe(s.event.eventName ?? event.api);
    expect(finding.errorCode).toBe(s.event.errorCode ?? event.errorCode);
    expect(finding.caller.type).toBe((s.event.userIdentity as { type: string } | undefined)?.type ?? event.caller.type);
    expect(finding.summary.length).toBeGreaterThan(0);
  });

  it(`names cause ${e.cause} in the ${e.policy} policy`, () => {
    expect({ cause: finding.cause, policy: finding.policy }).toEqual({ cause: e.cause, policy: e.policy });
  });

  it('shows the expected evidence', () => {
    for (const item of e.evidence) expect(finding.evidence).toEqual(expect.arrayContaining([evidenceMatcher(item)]));
  });

  it('lists the expected unknowns, warnings and other gaps', () => {
    const unknownKeys = finding.unknowns.map((u) => u.key.toLowerCase());
    expect(unknownKeys).toEqual(expect.arrayContaining((e.unknowns ?? []).map((k) => k.toLowerCase())));
    expect(finding.unknowns.length).toBeGreaterThanOrEqual(e.minUnknowns ?? 0);
    expect(finding.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(e.warnings ?? []));
    expect(finding.otherGaps.map((g) => g.cause)).toEqual(expect.arrayContaining(e.otherGapCauses ?? []));
    const text = [finding.summary, finding.fix.summary, ...finding.fix.commands].join('\n');
    for (const name of e.closestRoleNames ?? []) expect(text).toContain(name);
  });

  it('reports a confidence that agrees with the unknowns it lists', () => {
    if (e.confidence) expect(finding.confidence).toBe(e.confidence);
    // A lowered confidence names what lowered it; every unknown of a high-confidence finding says it cannot clear
    // the cause (or that AWS named the side), except where the policies in view explain nothing (UNEXPLAINED).
    if (finding.cause === 'UNEXPLAINED') return;
    if (finding.confidence !== 'high') expect(finding.unknowns.length).toBeGreaterThan(0);
    const unmarked = finding.unknowns.filter((u) => u.canClearCause !== false);
    // The structured mark and the reason text agree.
    for (const u of finding.unknowns)
      expect(u.canClearCause === false).toBe(u.reason.endsWith(CANNOT_CLEAR) || u.reason.endsWith(STATED));
    if (finding.confidence === 'high') expect(unmarked).toEqual([]);
  });

  it(`reports fix.verified = ${e.fixVerified}`, () => {
    expect(finding.fix.verified).toBe(e.fixVerified);
  });

  it('never widens access and keeps the controls it must keep', () => {
    const fixDoc = finding.fix.policyDocument;
    const layer = fixLayer(finding.fix.commands, finding.policy);
    const widening = fixDoc ? wideningViolations(fixDoc, originalDocuments(s, layer, finding.role.arn)) : [];
    expect(widening).toEqual([]);
    // The kept keys live in the finding's layer; a fix document for another layer (e.g. an added identity Allow)
    // cannot drop them.
    const keys = fixDoc && layer === finding.policy ? conditionKeysOf(fixDoc) : undefined;
    const dropped = keys ? (e.fixKeepsConditionKeys ?? []).filter((k) => !keys.has(k.toLowerCase())) : [];
    expect(dropped).toEqual([]);
    const editsTrust = finding.fix.commands.some((c) => /update-assume-role-policy/.test(c));
    expect({ editsTrust }).toEqual({ editsTrust: e.fixKeepsTrustPolicy ? false : editsTrust });
  });

  it('never prints the external ID the trust policy expects (text, JSON, evidence, fixes)', () => {
    const secrets = originalDocuments(s, 'trust', finding.role.arn).flatMap(externalIdSecrets);
    const out = [findingsJsonText([finding]), renderFinding(finding, { color: false })].join('\n');
    for (const secret of secrets) expect({ leaked: out.includes(secret) }).toEqual({ leaked: false });
  });

  it("never recommends a fix that admits an identity outside its statement's scope", () => {
    const f = finding.fix;
    if (f.kind === 'caller') expect(f.admits).toEqual([]);
    if (finding.warnings.some((w) => w.code === 'OUTSIDE_TRUST_SCOPE')) {
      expect({ kind: f.kind, admits: f.admits, verified: f.verified }).toEqual({
        kind: 'caller',
        admits: [],
        verified: false,
      });
      expect(f.commands.filter((c) => /update-assume-role-policy/.test(c))).toEqual([]);
      for (const alt of finding.alternatives) expect(alt.verified).toBe(false);
    }
    // Every admitted claim value lies in the scope (repository, project, namespace, pool) some value of the
    // original trust already admits for that key.
    const trustValues = (key: string): { operator: string; values: string[] }[] =>
      originalDocuments(s, 'trust', finding.role.arn).flatMap((d) =>
        d.Statement.flatMap((st) =>
          Object.entries(st.Condition ?? {}).flatMap(([operator, block]) =>
            Object.entries(block)
              .filter(([k]) => k.toLowerCase() === key.toLowerCase())
              .map(([, v]) => ({ operator, values: ([] as unknown[]).concat(v).map(String) })),
          ),
        ),
      );
    for (const admitted of f.admits) {
      const eq = admitted.indexOf('=');
      if (eq < 0) continue;
      const key = admitted.slice(0, eq);
      const value = admitted.slice(eq + 1);
      for (const { operator, values } of trustValues(key)) {
        const scope = claimScope({ operator, key, expected: values, actual: [value], result: false });
        expect({ admitted, scope: scope?.kind }).not.toEqual({ admitted, scope: 'outside' });
      }
    }
  });
});
