import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { NormalizedEvent } from '../../../src/engine/event/types';

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'events');

export function fixturePath(name: string): string {
  return join(FIXTURE_DIR, name);
}

export function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as unknown;
}

/** Normalizes a single-record fixture and insists it produced exactly one event and no skips. */
export function normalizeOne(name: string): NormalizedEvent {
  const result = normalizeInput(loadFixture(name));
  expect(result.skipped).toEqual([]);
  expect(result.events).toHaveLength(1);
  return result.events[0];
}

/** User agents shared by several fixtures (kept here so expected objects stay readable). */
export const CLI_AGENT =
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1024-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#sts.assume-role';
export const BOTO_AGENT =
  'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.144';
