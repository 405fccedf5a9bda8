import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { normalizeInput } from '../../src/engine/event/normalize';
import { readFixture } from '../eventbridge/cloudtrail-envelope';
import { synthesizeTrustGap } from '../lib/synth-trustgap';

type Handler = (event: unknown, context: Context) => Promise<{ normalized: number; skipped: number }>;

const context = {
  functionName: 'TrustGap-MonitorHandler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:TrustGap-MonitorHandler',
  memoryLimitInMB: '512',
  awsRequestId: '5f3e2c1a-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/TrustGap-MonitorHandler',
  logStreamName: '2025/06/17/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;

/**
 * Runs `invoke` and returns the JSON log lines the Powertools logger wrote meanwhile (INFO to stdout, WARN and
 * ERROR to stderr, as in the Lambda runtime).
 */
async function captureLogs<T>(invoke: () => Promise<T>): Promise<{ result: T; logs: any[] }> {
  const lines: string[] = [];
  const capture = (chunk: any) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    const result = await invoke();
    return { result, logs: lines.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line)) };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const deniedEvent = readFixture('28-eventbridge-envelope-assumerole.json');
const scheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111111111111',
  time: '2025-06-17T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:111111111111:rule/my-schedule'],
  detail: {},
};

function describeHandler(name: string, loadHandler: () => Handler): void {
  describe(name, () => {
    let handler: Handler;
    beforeAll(() => {
      process.env.POWERTOOLS_SERVICE_NAME = 'trustgap';
      handler = loadHandler();
    });

    it('logs the normalized denied call as one structured INFO record and diagnoses nothing', async () => {
      const { result, logs } = await captureLogs(() => handler(deniedEvent, context));
      expect(result).toEqual({ normalized: 1, skipped: 0 });
      expect(logs).toHaveLength(1);
      const [record] = logs;
      expect(record).toMatchObject({ level: 'INFO', service: 'trustgap', stage: 'normalized', function_request_id: context.awsRequestId });
      expect(record.events).toEqual(JSON.parse(JSON.stringify(normalizeInput(deniedEvent).events)));
      expect(record.events[0]).toMatchObject({
        api: 'AssumeRole',
        errorCode: 'AccessDenied',
        role: { arn: 'arn:aws:iam::111111111111:role/Admin' },
        caller: { type: 'AssumedRole' },
      });
      expect(record.skipped).toEqual([]);
      for (const diagnosisField of ['cause', 'finding', 'findings', 'fix', 'evidence']) expect(record).not.toHaveProperty(diagnosisField);
    });

    it('logs a WARN record with the skip reason, and does not throw, for an event that is not a denied assumption', async () => {
      const { result, logs } = await captureLogs(() => handler(scheduledEvent, context));
      expect(result).toEqual({ normalized: 0, skipped: 1 });
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ level: 'WARN', stage: 'normalized', events: [] });
      expect(logs[0].skipped).toEqual(JSON.parse(JSON.stringify(normalizeInput(scheduledEvent).skipped)));
      expect(typeof logs[0].skipped[0].reason).toBe('string');
    });
  });
}

describeHandler('lambda/handler.ts (source)', () => jest.requireActual('../../lambda/handler').handler as Handler);

/** The exact bundle `cdk deploy` uploads: synthesized, minified by esbuild, loaded as the Lambda runtime would. */
describeHandler('the bundled asset from the synthesized stack', () => {
  const { app } = synthesizeTrustGap();
  const assembly = app.synth();
  const assetDirectories = readdirSync(assembly.directory).filter((entry) => entry.startsWith('asset.'));
  expect(assetDirectories).toHaveLength(1);
  const bundle = path.join(assembly.directory, assetDirectories[0], 'index.js');
  return jest.requireActual(bundle).handler as Handler;
});
