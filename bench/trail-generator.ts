import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Writes a realistic CloudTrail delivery tree, AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz: background
 * management events (successful AssumeRole* records from /work/shared-style reference shapes, S3/EC2/KMS/IAM reads)
 * and ~2% denied AssumeRole* calls made from the example events (examples/events), as storms (a CI job retrying
 * thousands of times with a new session name each run) and a long tail. Deterministic for a given seed.
 * Denied cross-account calls go to the CALLER's account folder, where CloudTrail logs them.
 */
export interface TreeOptions {
  root: string;
  records: number;
  deniedRatio?: number;
  days?: number;
  /** The newest day is this one (epoch ms); default now. */
  endMs?: number;
  recordsPerFile?: number;
  seed?: number;
}

export interface TreeStats {
  files: number;
  records: number;
  denied: number;
  bytes: number;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const EXAMPLES = path.join(__dirname, '..', 'examples', 'events');

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

function uuid(n: number, salt: string): string {
  const h = createHash('sha1').update(`${salt}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function deniedTemplates(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const name of fs.readdirSync(EXAMPLES).sort()) {
    if (!name.endsWith('.json')) continue;
    const value = JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;
    const records = Array.isArray(value.Records) ? value.Records : [value.detail ?? value];
    for (const r of records as Array<Record<string, unknown>>) if (r.errorCode) out.push(r);
  }
  return out;
}

function backgroundRecord(r: () => number, account: string, region: string): Record<string, unknown> {
  const kinds = [
    ['s3.amazonaws.com', 'GetObject', false],
    ['ec2.amazonaws.com', 'DescribeInstances', true],
    ['kms.amazonaws.com', 'Decrypt', true],
    ['iam.amazonaws.com', 'GetRole', true],
    ['sts.amazonaws.com', 'AssumeRole', true],
    ['sts.amazonaws.com', 'GetCallerIdentity', true],
    ['dynamodb.amazonaws.com', 'DescribeTable', true],
  ] as const;
  const [source, name, readOnly] = kinds[Math.floor(r() * kinds.length)];
  const session = `session-${Math.floor(r() * 1e6)}`;
  const role = ['app-runtime', 'ci-deployer', 'data-pipeline', 'ops-admin'][Math.floor(r() * 4)];
  const failed = r() < 0.01 && source !== 'sts.amazonaws.com';
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE${role.toUpperCase().replace(/-/g, '')}:${session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLEKEY000001',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROAEXAMPLE${role.toUpperCase().replace(/-/g, '')}`,
          arn: `arn:aws:iam::${account}:role/${role}`,
          accountId: account,
          userName: role,
        },
        attributes: { creationDate: '2026-01-01T00:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventSource: source,
    eventName: name,
    awsRegion: region,
    sourceIPAddress: `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
    userAgent: 'aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js md/nodejs#20.11.0',
    ...(failed ? { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform this operation' } : {}),
    requestParameters:
      name === 'AssumeRole'
        ? { roleArn: `arn:aws:iam::${account}:role/${role}`, roleSessionName: session, durationSeconds: 3600 }
        : name === 'GetObject'
          ? { bucketName: 'acme-artifacts', key: `builds/${Math.floor(r() * 1e5)}.tar.gz` }
          : null,
    responseElements: null,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: source !== 's3.amazonaws.com',
    recipientAccountId: account,
    eventCategory: source === 's3.amazonaws.com' ? 'Data' : 'Management',
  };
}

/** Which denied template each denied slot uses: two storms take ~70%, the rest is a long tail. */
function pickDenied(r: () => number, templates: number): { template: number; storm: boolean } {
  const x = r();
  if (x < 0.45) return { template: 8 % templates, storm: true };
  if (x < 0.7) return { template: 0, storm: true };
  return { template: Math.floor(r() ** 2 * templates), storm: false };
}

export function generateTrailTree(options: TreeOptions): TreeStats {
  const r = rng(options.seed ?? 42);
  const templates = deniedTemplates();
  const days = options.days ?? 30;
  const perFile = options.recordsPerFile ?? 500;
  // Denied templates whose caller is another account are dropped for this folder; 1.6× makes up for them.
  const deniedRatio = (options.deniedRatio ?? 0.02) * 1.6;
  const end = options.endMs ?? Date.now();
  const dayMs = 86_400_000;
  const firstDay = Math.floor(end / dayMs) * dayMs - (days - 1) * dayMs;
  const files = ACCOUNTS.length * REGIONS.length * days;
  const perSlot = Math.ceil(options.records / files);
  const stats: TreeStats = { files: 0, records: 0, denied: 0, bytes: 0 };
  let n = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = firstDay + d * dayMs;
    const ymd = new Date(dayStart).toISOString().slice(0, 10).split('-');
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        const dir = path.join(options.root, 'AWSLogs', account, 'CloudTrail', region, ...ymd);
        fs.mkdirSync(dir, { recursive: true });
        const count = Math.min(perSlot, options.records - stats.records);
        for (let start = 0; start < count; start += perFile) {
          const batch: Array<Record<string, unknown>> = [];
          for (let i = start; i < Math.min(count, start + perFile); i++) {
            n++;
            const t = new Date(Math.min(end, dayStart + Math.floor(((i + r()) / count) * dayMs)))
              .toISOString()
              .replace(/\.\d{3}Z$/, 'Z');
            let record: Record<string, unknown>;
            if (r() < deniedRatio) {
              const pick = pickDenied(r, templates.length);
              const base = templates[pick.template];
              record = structuredClone(base);
              const caller = (record.userIdentity as { accountId?: string } | undefined)?.accountId;
              if (caller && caller !== account) continue;
              if (pick.storm) {
                const params = record.requestParameters as { roleSessionName?: string } | null;
                if (params?.roleSessionName) params.roleSessionName = `run-${n % 7}`;
              }
              stats.denied++;
            } else record = backgroundRecord(r, account, region);
            record.eventTime = t;
            record.eventID = uuid(n, 'event');
            record.requestID = uuid(n, 'request');
            record.awsRegion = region;
            if (record.sharedEventID) record.sharedEventID = uuid(n, 'shared');
            batch.push(record);
          }
          if (batch.length === 0) continue;
          const stamp = new Date(dayStart).toISOString().replace(/[-:]/g, '').slice(0, 13);
          const file = path.join(
            dir,
            `${account}_CloudTrail_${region}_${stamp}Z_${uuid(n, 'file').slice(0, 16)}.json.gz`,
          );
          const body = gzipSync(JSON.stringify({ Records: batch }));
          fs.writeFileSync(file, body);
          stats.files++;
          stats.records += batch.length;
          stats.bytes += body.length;
        }
      }
    }
  }
  return stats;
}
