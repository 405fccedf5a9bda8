import { minimumOccurrenceTtlDays } from './leases';

/** Environment the stack sets on the function (lib/denied-assume-role-monitor.ts). */
export interface PipelineConfig {
  tableName: string;
  topicArn: string;
  quietWindowMs: number;
  occurrenceTtlDays: number;
  /** Set when TRUSTGAP_DEPLOYMENT=organization (the central stack); absent in the single-account stack. */
  organization?: OrganizationConfig;
}

/** The organization deployment's contract (env set by the org central stack). */
export interface OrganizationConfig {
  organizationId: string;
  readerRoleName: string;
  organizationsAccess: 'management-reader' | 'delegated-admin';
}

export const DEFAULT_QUIET_WINDOW_MINUTES = 60;
export const DEFAULT_OCCURRENCE_TTL_DAYS = 90;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set`);
  return value;
}

/** A bad configuration is a deployment bug: it fails the cold start loudly instead of guessing. */
export function readPipelineConfig(env: NodeJS.ProcessEnv = process.env): PipelineConfig {
  const organization = readOrganizationConfig(env);
  const occurrenceTtlDays = positiveNumber(env, 'OCCURRENCE_TTL_DAYS', DEFAULT_OCCURRENCE_TTL_DAYS);
  // With the DLQ retention and the longest event age (EventBridge's plus Lambda's) the stack also sets, the TTL
  // must outlive a redrive, or a redriven event would be counted twice (minimumOccurrenceTtlDays).
  if (env.DLQ_RETENTION_SECONDS !== undefined || env.MAX_EVENT_AGE_SECONDS !== undefined) {
    const minimum = minimumOccurrenceTtlDays({
      dlqRetentionSeconds: positiveNumber(env, 'DLQ_RETENTION_SECONDS', 14 * 86_400),
      maxEventAgeSeconds: positiveNumber(env, 'MAX_EVENT_AGE_SECONDS', 7 * 3_600),
    });
    if (occurrenceTtlDays < minimum)
      throw new ConfigError(
        `OCCURRENCE_TTL_DAYS=${occurrenceTtlDays} is shorter than the dead-letter queue retention plus the maximum event age allow: at least ${minimum} days`,
      );
  }
  return {
    tableName: required(env, 'FINDINGS_TABLE_NAME'),
    topicArn: required(env, 'FINDINGS_TOPIC_ARN'),
    quietWindowMs: positiveNumber(env, 'NOTIFY_QUIET_WINDOW_MINUTES', DEFAULT_QUIET_WINDOW_MINUTES) * 60_000,
    occurrenceTtlDays,
    ...(organization ? { organization } : {}),
  };
}

export const DEFAULT_READER_ROLE_NAME = 'trustgap-reader';

/** TRUSTGAP_DEPLOYMENT: `organization`, or absent / `account` for the single-account stack (exactly as before). */
export function readOrganizationConfig(env: NodeJS.ProcessEnv): OrganizationConfig | undefined {
  const deployment = env.TRUSTGAP_DEPLOYMENT ?? 'account';
  if (deployment === 'account' || deployment === '') return undefined;
  if (deployment !== 'organization')
    throw new ConfigError(`TRUSTGAP_DEPLOYMENT must be "organization" or "account", got ${JSON.stringify(deployment)}`);
  const organizationId = required(env, 'ORGANIZATION_ID');
  if (!/^o-[a-z0-9]{10,32}$/.test(organizationId))
    throw new ConfigError(`ORGANIZATION_ID must look like o-xxxxxxxxxx, got ${JSON.stringify(organizationId)}`);
  const readerRoleName = env.READER_ROLE_NAME || DEFAULT_READER_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/.test(readerRoleName))
    throw new ConfigError(`READER_ROLE_NAME is not a valid IAM role name: ${JSON.stringify(readerRoleName)}`);
  const access = env.ORGANIZATIONS_ACCESS || 'management-reader';
  if (access !== 'management-reader' && access !== 'delegated-admin')
    throw new ConfigError(
      `ORGANIZATIONS_ACCESS must be "management-reader" or "delegated-admin", got ${JSON.stringify(access)}`,
    );
  return { organizationId, readerRoleName, organizationsAccess: access };
}
