/**
 * The bundle the organization deployment's central function runs (synthesized by the real central stack from
 * lambda/organization-handler.ts, minified by esbuild), with TRUSTGAP_DEPLOYMENT=organization: STS, IAM, Organizations and SNS are the loopback emulator, DynamoDB is
 * dynalite, configured only through environment variables. Cross-account denials are diagnosed with both sides read
 * through reader roles, SCPs and RCPs from Organizations, and fixes that name whose credentials run each command.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { synthesizeOrganization } from '../lib/synth-trustgap';
import { scanAll, TOPIC_ARN } from '../pipeline/support/pipeline-harness';
import { type AwsEmulator, startAwsEmulator } from '../support/aws-emulator';
import { LOCAL_REGION, type LocalDynamo, startDynalite } from '../support/dynalite';
import {
  CENTRAL,
  deniedCrossAccount,
  exampleOrganization,
  LEGACY,
  MANAGEMENT,
  ORG_ID,
  PROD,
  READER,
  TOOLS,
} from '../support/org-fixture/example-organization';
import { CENTRAL_ACCESS_KEY, toEmulatorOptions } from '../support/org-fixture/to-emulator';

type Handler = (event: unknown, context: Context) => Promise<Record<string, number>>;

let dynamo: LocalDynamo;
let emulator: AwsEmulator;
let table: string;
let handler: Handler;
const savedEnv = { ...process.env };

function context(requestId: string): Context {
  return {
    functionName: 'TrustGap-Handler',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${CENTRAL}:function:TrustGap-Handler`,
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
}

const ci = { type: 'role', account: TOOLS, name: 'ci-runner' } as const;
const alice = { type: 'user', account: TOOLS, name: 'alice' } as const;
const role = (name: string) => `arn:aws:iam::${PROD}:role/${name}`;

/** Every message published so far, as one string (the email and chat renderings of the findings). */
const publishedText = () => JSON.stringify(emulator.published.map((m) => m.message));

beforeAll(async () => {
  const assembly = synthesizeOrganization().app.synth();
  const asset = readdirSync(assembly.directory).find((entry) => entry.startsWith('asset.'));
  if (!asset) throw new Error('no Lambda asset in the synthesized assembly');
  dynamo = await startDynalite();
  table = await dynamo.createFindingsTable('org-bundle');
  emulator = await startAwsEmulator(toEmulatorOptions(exampleOrganization()));
  Object.assign(process.env, emulator.env(), {
    TRUSTGAP_DEPLOYMENT: 'organization',
    ORGANIZATION_ID: ORG_ID,
    READER_ROLE_NAME: READER,
    ORGANIZATIONS_ACCESS: 'management-reader',
    FINDINGS_TABLE_NAME: table,
    FINDINGS_TOPIC_ARN: TOPIC_ARN,
    POWERTOOLS_SERVICE_NAME: 'trustgap',
    POWERTOOLS_METRICS_NAMESPACE: 'TrustGap',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: CENTRAL_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulated-secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
  handler = (jest.requireActual(path.join(assembly.directory, asset, 'index.js')) as { handler: Handler }).handler;
}, 180_000);

afterAll(async () => {
  process.env = savedEnv;
  await emulator?.close();
  await dynamo?.stop();
});

it('diagnoses a role caller denied by the trust side, reading the trust policy in the role account', async () => {
  const result = await handler(deniedCrossAccount(ci, role('release'), 'b-trust'), context('r1'));
  expect(result).toMatchObject({ diagnosed: 1, recorded: 1, notified: 1 });
  expect(emulator.count({ service: 'iam', action: 'GetRole', accountId: PROD })).toBe(1);
  expect(emulator.count({ service: 'iam', accountId: TOOLS })).toBeGreaterThan(0);
  expect(publishedText()).toContain('TRUST_PRINCIPAL_MISSING');
  expect(publishedText()).toContain(`# run with credentials of account ${PROD} (the role owner's account)`);
});

it("diagnoses a user denied by the caller's identity side, with the fix run in the caller account", async () => {
  await handler(deniedCrossAccount(alice, role('deploy'), 'b-identity'), context('r2'));
  expect(publishedText()).toContain('IDENTITY_NO_ALLOW');
  expect(publishedText()).toContain(`# run with credentials of account ${TOOLS} (the caller's account)`);
});

it('diagnoses an SCP on the caller account and an RCP on the role account, read from Organizations', async () => {
  await handler(deniedCrossAccount(ci, role('scp-guarded'), 'b-scp'), context('r3'));
  await handler(deniedCrossAccount(ci, role('rcp-guarded'), 'b-rcp'), context('r4'));
  const text = publishedText();
  expect(text).toContain('SCP_DENY');
  expect(text).toContain('p-scpguard01');
  expect(text).toContain('RCP_DENY');
  expect(text).toContain('p-rcpguard01');
  expect(text).toContain(`# run with credentials of account ${MANAGEMENT} (the organization management account)`);
  // The organization's policies were read once for all four events.
  expect(emulator.count({ service: 'organizations', action: 'ListPolicies' })).toBe(2);
});

it('records a denial from an account without a reader role, naming the account and the role, and acknowledges it', async () => {
  const event = deniedCrossAccount({ type: 'role', account: LEGACY, name: 'old-ci' }, role('deploy'), 'b-legacy');
  await expect(handler(event, context('r5'))).resolves.toMatchObject({ recorded: 1 });
  expect(publishedText()).toContain(`arn:aws:iam::${LEGACY}:role/${READER}`);
});

it('a storm of one cross-account denial: cold reads once, then < 0.05 AWS calls per event, one notification, redeliveries are duplicates', async () => {
  const at = (i: number) => new Date(Date.parse('2026-05-01T13:00:00Z') + i * 1000).toISOString().replace('.000', '');
  const awsCalls = () =>
    emulator.count({ service: 'sts' }) +
    emulator.count({ service: 'iam' }) +
    emulator.count({ service: 'organizations' });
  const before = emulator.published.length;
  const callsBefore = awsCalls();
  await handler(deniedCrossAccount(ci, role('deploy'), 'storm-0', at(0)), context('s0'));
  const first = awsCalls() - callsBefore;
  expect(first).toBeLessThanOrEqual(32); // ≤ 16 STS+IAM and ≤ 16 Organizations, when nothing is cached yet
  const storm = 120;
  for (let i = 1; i <= storm; i += 1) {
    await handler(deniedCrossAccount(ci, role('deploy'), `storm-${i}`, at(i)), context(`s${i}`));
  }
  const stormCalls = awsCalls() - callsBefore - first;
  expect(stormCalls / storm).toBeLessThan(0.05);
  const redelivered = await handler(deniedCrossAccount(ci, role('deploy'), 'storm-7', at(7)), context('s-again'));
  expect(redelivered).toMatchObject({ duplicates: 1 });
  expect(emulator.published.length - before).toBe(1);
  // Every storm event is counted exactly once, in the fingerprint's buckets (one item per 10 s, not per event).
  const buckets = (await scanAll(dynamo, table)).filter(
    (item) => item.type === 'bucket' && item.eventTime >= at(0) && item.eventTime <= at(storm),
  );
  expect(buckets.reduce((sum, b) => sum + Number(b.count), 0)).toBe(storm + 1);
  expect(buckets.length).toBeLessThan(storm / 5);
}, 120_000);
