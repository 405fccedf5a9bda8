/**
 * Where `trustgap diagnose` and `trustgap scan` get their IAM facts, in one place: snapshot files (`--iam-snapshot`,
 * `--org`), or, with no snapshot, the live reader the Lambda uses — IAM of the current credentials' account
 * (LiveIamFacts), or with `--organization` every account through its reader role plus Organizations for SCPs/RCPs
 * (the organization deployment's createOrganizationFacts, docs/organization-runtime.md).
 */
import * as fs from 'node:fs';
import type { STSClient } from '@aws-sdk/client-sts';
import type { DiagnosisScopeOptions } from '../adapters/live-iam';
import type { IamFacts } from '../engine/iam/iam-facts';
import { SnapshotError, SnapshotIamFacts } from '../engine/iam/snapshot/snapshot-iam-facts';
import { errorMessage, errorName } from '../errors';
import { DEFAULT_READER_ROLE_NAME, type OrganizationConfig } from '../pipeline/config';
import { CliUserError, describeFsError, oneLine } from './cli-io';
import { safeText } from './terminal-text';

export const FACTS_FLAGS = {
  'iam-snapshot': { type: 'string', multiple: true },
  org: { type: 'string' },
  organization: { type: 'boolean' },
  'reader-role-name': { type: 'string' },
  'organizations-access': { type: 'string' },
} as const;

export const FACTS_USAGE = `  --iam-snapshot FILE   IAM snapshot of an account (aws iam get-account-authorization-details); repeat per account
  --org FILE            organization file (SCPs/RCPs, OU chain; docs/snapshots.md), with --iam-snapshot
                        Without --iam-snapshot: live IAM of the account of the current AWS credentials (the other
                        account of a cross-account call is unknown), or with --organization:
  --organization        every account through its reader role, SCPs/RCPs from Organizations, as the organization
                        deployment does (credentials that may assume the reader roles: docs/organization-runtime.md)
  --reader-role-name N  the reader role in every account (default ${DEFAULT_READER_ROLE_NAME}; implies --organization)
  --organizations-access management-reader|delegated-admin
                        how Organizations is read (default management-reader: the management account's reader role)
`;

export interface FactsFlags {
  'iam-snapshot'?: string[];
  org?: string;
  organization?: boolean;
  'reader-role-name'?: string;
  'organizations-access'?: string;
}

/** Per diagnosis, as in the Lambda: a scope told which role issued the calling session. */
export interface CliFacts {
  scope(options: DiagnosisScopeOptions): IamFacts;
  /** For messages: where the facts come from. */
  readonly description: string;
  close(): void;
}

/** Fail early, with the flag and file named, on a snapshot or org file that cannot be opened at all. */
function checkReadable(flag: string, file: string): void {
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fs.accessSync(file, fs.constants.R_OK);
  } catch (err) {
    throw new CliUserError(`${flag} ${file}: ${describeFsError(err)}`);
  }
}

export function loadSnapshotFacts(snapshots: string[], org: string | undefined): SnapshotIamFacts {
  for (const file of snapshots) checkReadable('--iam-snapshot', file);
  if (org !== undefined) checkReadable('--org', org);
  try {
    return SnapshotIamFacts.fromFiles(snapshots, org);
  } catch (err) {
    if (err instanceof SnapshotError) throw new CliUserError(oneLine(err.message));
    throw err;
  }
}

/** The facts the flags ask for; live readers are only created (and STS asked who we are) when no snapshot is given. */
export async function loadFacts(flags: FactsFlags): Promise<CliFacts> {
  const snapshots = flags['iam-snapshot'] ?? [];
  const organization = flags.organization === true || flags['reader-role-name'] !== undefined;
  if (snapshots.length > 0) {
    if (organization)
      throw new CliUserError('--organization reads IAM live: drop --iam-snapshot, or drop --organization');
    const facts = loadSnapshotFacts(snapshots, flags.org);
    return { scope: () => facts, description: `snapshots of ${facts.accountIds.join(', ')}`, close() {} };
  }
  if (flags.org !== undefined)
    throw new CliUserError('--org goes with --iam-snapshot; live, use --organization to read SCPs/RCPs');
  // The AWS SDK is loaded only for live reads: `diagnose` and snapshot scans start without it.
  // Flags are checked before any call: a wrong flag is a usage error, not a credentials error after a round trip.
  const config = organization ? organizationConfig(flags) : undefined;
  const { STSClient } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const sts = new STSClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
  const caller = await whoAmI(sts);
  const partition = caller.split(':')[1] || 'aws';
  if (config) {
    const { OrganizationsClient } =
      require('@aws-sdk/client-organizations') as typeof import('@aws-sdk/client-organizations');
    const { createOrganizationFacts } =
      require('../pipeline/organization-facts') as typeof import('../pipeline/organization-facts');
    const organizations = new OrganizationsClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
    const facts = createOrganizationFacts({ config, partition, sts, organizations, region });
    return {
      scope: (options) => facts.scope(options),
      description: `live IAM through the ${config.readerRoleName} role of each account, as ${caller}`,
      close() {
        sts.destroy();
        organizations.destroy();
      },
    };
  }
  const account = caller.split(':')[4] ?? '';
  const { IAMClient } = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
  const { LiveIamFacts } = require('../adapters/live-iam') as typeof import('../adapters/live-iam');
  const iam = new IAMClient({ region, retryMode: 'adaptive', maxAttempts: 5 });
  const facts = new LiveIamFacts({ client: iam, ownAccountId: account });
  return {
    scope: (options) => facts.scope(options),
    description: `live IAM of account ${account}, as ${caller}`,
    close() {
      sts.destroy();
      iam.destroy();
    },
  };
}

function organizationConfig(flags: FactsFlags): Pick<OrganizationConfig, 'readerRoleName' | 'organizationsAccess'> {
  const readerRoleName = flags['reader-role-name'] ?? DEFAULT_READER_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/.test(readerRoleName))
    throw new CliUserError(`--reader-role-name '${safeText(readerRoleName)}' is not an IAM role name`);
  const access = flags['organizations-access'] ?? 'management-reader';
  if (access !== 'management-reader' && access !== 'delegated-admin')
    throw new CliUserError(
      `--organizations-access must be management-reader or delegated-admin, got '${safeText(access)}'`,
    );
  return { readerRoleName, organizationsAccess: access };
}

/** The ARN of the current credentials: the account whose IAM a single-account live read can see. */
async function whoAmI(sts: STSClient): Promise<string> {
  try {
    const { GetCallerIdentityCommand } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (out.Arn) return out.Arn;
    throw new Error('GetCallerIdentity returned no ARN');
  } catch (err) {
    sts.destroy();
    throw new CliUserError(
      `no --iam-snapshot, and the live IAM reader cannot tell whose credentials these are (${safeText(errorName(err))}: ${safeText(oneLine(errorMessage(err)))}); pass --iam-snapshot or configure AWS credentials`,
    );
  }
}
