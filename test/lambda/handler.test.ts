/**
 * The exact bundle `cdk deploy` uploads: synthesized by the real stack, minified by esbuild, with the compact IAM
 * catalogue shipped beside it, and loaded as the Lambda runtime loads it (configured only through environment variables).
 * The source entry point's full behaviour (diagnose → record → notify, EMF metrics) is covered by
 * test/pipeline/handler-module.test.ts with mocked SDK clients; a bundle carries its own copy of the SDK, which
 * mocks cannot reach, so here the AWS endpoints are dynalite (DynamoDB) and a closed local port (IAM, SNS).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { readFixture } from '../eventbridge/cloudtrail-envelope';
import { synthesizeTrustGap } from '../lib/synth-trustgap';
import { lambdaContext, scanAll, TOPIC_ARN } from '../pipeline/support/pipeline-harness';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalDynamo, startDynalite } from '../support/dynalite';

type Handler = (event: unknown, context: Context) => Promise<Record<string, number>>;

const CLOSED_LOCAL_PORT = 'http://127.0.0.1:9';

let dynamo: LocalDynamo;
let table: string;
let assetDir: string;
let handler: Handler;
const savedEnv = { ...process.env };

beforeAll(async () => {
  const assembly = synthesizeTrustGap().app.synth();
  const assets = readdirSync(assembly.directory).filter((entry) => entry.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  assetDir = path.join(assembly.directory, assets[0]);
  dynamo = await startDynalite();
  table = await dynamo.createFindingsTable('bundle');
  Object.assign(process.env, {
    FINDINGS_TABLE_NAME: table,
    FINDINGS_TOPIC_ARN: TOPIC_ARN,
    POWERTOOLS_SERVICE_NAME: 'trustgap',
    POWERTOOLS_METRICS_NAMESPACE: 'TrustGap',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    NOTIFY_QUIET_WINDOW_MINUTES: '60',
    OCCURRENCE_TTL_DAYS: '90',
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_IAM: CLOSED_LOCAL_PORT,
    AWS_ENDPOINT_URL_SNS: CLOSED_LOCAL_PORT,
    AWS_MAX_ATTEMPTS: '1',
  });
  handler = (jest.requireActual(path.join(assetDir, 'index.js')) as { handler: Handler }).handler;
}, 180_000);

afterAll(async () => {
  process.env = savedEnv;
  await dynamo?.stop();
});

it('is lean: the bundle and the compact IAM catalogue, at most 5 files and 2 MB unzipped, no source map', () => {
  const files = readdirSync(assetDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(files.map((f) => f.name).sort()).toEqual(['iam-catalogue.json', 'index.js']);
  const bytes = files.reduce((sum, f) => sum + statSync(path.join(f.parentPath, f.name)).size, 0);
  expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  const catalogue = JSON.parse(readFileSync(path.join(assetDir, 'iam-catalogue.json'), 'utf8'));
  expect(catalogue.services.sts.actions).toContain('AssumeRole');
  expect(catalogue.services.sts.conditionKeys).toContain('sts:ExternalId');
  expect(catalogue.globalConditionKeys).toContain('aws:PrincipalOrgID');
});

it('carries no organization reader: no STS or Organizations client, and TRUSTGAP_DEPLOYMENT=organization fails its cold start', () => {
  const bundle = readFileSync(path.join(assetDir, 'index.js'), 'utf8');
  // The services' protocol names, which every client's schemas carry (the organization bundle has both).
  expect(bundle).not.toContain('AWSSecurityTokenServiceV20110615');
  expect(bundle).not.toContain('AWSOrganizationsV20161128');
  expect(bundle).toContain('DynamoDB_20120810');
  const start = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(assetDir, 'index.js'))})`], {
    env: {
      ...process.env,
      TRUSTGAP_DEPLOYMENT: 'organization',
      ORGANIZATION_ID: 'o-abcdef1234',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  expect(start.status).not.toBe(0);
  expect(start.stderr).toContain('lambda/organization-handler.ts');
});

it('acknowledges an event that is not a denied role assumption, without touching AWS', async () => {
  const scheduled = {
    version: '0',
    id: 'x',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '111111111111',
    time: '2025-06-17T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {},
  };
  await expect(handler(scheduled, lambdaContext('bundle-1'))).resolves.toMatchObject({
    skipped: 1,
    diagnosed: 0,
    recorded: 0,
  });
});

it('acknowledges a malformed CloudTrail event (never a retry loop)', async () => {
  const malformed = {
    'detail-type': 'AWS API Call via CloudTrail',
    detail: { eventName: null, errorCode: 'AccessDenied', userIdentity: null },
  };
  await expect(handler(malformed, lambdaContext('bundle-2'))).resolves.toMatchObject({ skipped: 1, recorded: 0 });
});

it('throws when IAM cannot be reached, so EventBridge/Lambda retry, and writes nothing before the diagnosis', async () => {
  const denied = readFixture('28-eventbridge-envelope-assumerole.json');
  const error = await handler(denied, lambdaContext('bundle-3')).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  // The pipeline classifies a refused connection as transient and rethrows it; anything else would be a wiring bug.
  expect(error).toBeInstanceOf(Error);
  expect(`${error?.name} ${error?.message}`).toMatch(/ECONNREFUSED|Transient|connect/i);
  expect(await scanAll(dynamo, table)).toEqual([]);
});
