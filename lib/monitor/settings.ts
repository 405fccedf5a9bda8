import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { minimumOccurrenceTtlDays as runtimeMinimumOccurrenceTtlDays } from '../../src/pipeline/leases';

/** Every tunable of the monitor, as plain values (numbers in the units the names say). */
export interface MonitorSettings {
  readonly alertEmails: readonly string[];
  /** Subscribers of the operations topic, where the alarms go. */
  readonly opsEmails: readonly string[];
  readonly slackWorkspaceId?: string;
  readonly slackChannelId?: string;
  readonly reservedConcurrentExecutions: number;
  readonly logRetentionDays: number;
  readonly notifyQuietWindowMinutes: number;
  readonly occurrenceTtlDays: number;
  readonly maxEventAgeSeconds: number;
  readonly retryAttempts: number;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

export const MONITOR_DEFAULTS = {
  alertEmails: [] as readonly string[],
  reservedConcurrentExecutions: 5,
  logRetentionDays: RetentionDays.ONE_MONTH as number,
  notifyQuietWindowMinutes: 60,
  occurrenceTtlDays: 90,
  maxEventAgeSeconds: 3600,
  retryAttempts: 10,
  memorySize: 512,
  timeoutSeconds: 60,
} as const;

export interface IntegerLimit {
  readonly min: number;
  readonly max: number;
  /** Why the bounds are what they are, shown in the error. */
  readonly why: string;
}

export const INTEGER_LIMITS: Readonly<
  Record<
    Exclude<
      keyof MonitorSettings,
      'alertEmails' | 'opsEmails' | 'slackWorkspaceId' | 'slackChannelId' | 'logRetentionDays'
    >,
    IntegerLimit
  >
> = {
  reservedConcurrentExecutions: {
    min: 1,
    max: 100,
    why: 'it bounds concurrent IAM reads during an alert storm; 0 would disable the handler',
  },
  notifyQuietWindowMinutes: {
    min: 1,
    max: 10080,
    why: 'the handler refuses a non-positive window at cold start; at most one week',
  },
  occurrenceTtlDays: { min: 1, max: 3650, why: 'occurrences expire through DynamoDB TTL' },
  maxEventAgeSeconds: { min: 60, max: 86400, why: 'EventBridge accepts 60 to 86400 seconds' },
  retryAttempts: { min: 0, max: 185, why: 'EventBridge accepts 0 to 185 retries' },
  memorySize: { min: 128, max: 10240, why: 'Lambda accepts 128 to 10240 MB' },
  timeoutSeconds: { min: 1, max: 900, why: 'Lambda accepts 1 to 900 seconds' },
};

/** How long the dead-letter queue keeps an event that was never diagnosed (SQS allows at most 14 days). */
export const DEAD_LETTER_RETENTION_DAYS = 14;
/** How long Lambda's asynchronous queue keeps an event (throttled or retried) before the on-failure destination. */
export const ASYNC_INVOKE_MAX_EVENT_AGE_HOURS = 6;

const SECONDS_PER_DAY = 86_400;

/**
 * The shortest occurrence TTL that still remembers an event when it is redriven from the dead-letter queue: the
 * event may wait there for its whole retention, after EventBridge retried it for maxEventAge and Lambda kept it
 * for its asynchronous maximum age. An occurrence that expired before the redrive would let it count twice.
 */
export function minimumOccurrenceTtlDays(maxEventAgeSeconds: number): number {
  // One computation for the synth check and the function's own cold-start check (src/pipeline/leases.ts).
  return runtimeMinimumOccurrenceTtlDays({
    dlqRetentionSeconds: DEAD_LETTER_RETENTION_DAYS * SECONDS_PER_DAY,
    maxEventAgeSeconds: maxEventAgeSeconds + ASYNC_INVOKE_MAX_EVENT_AGE_HOURS * 3600,
  });
}

/** Retention values CloudWatch Logs accepts (the RetentionDays enum minus INFINITE, which is not a number of days). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

// Deliberately simple: it catches typos and list-splitting mistakes, SNS does the real validation on subscribe.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const SLACK_WORKSPACE_ID = /^T[A-Z0-9]{4,}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{4,}$/;

export class MonitorSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MonitorSettingsError';
  }
}

/** Checks every setting and returns them unchanged, or throws one error listing every problem found. */
export function validateMonitorSettings(settings: MonitorSettings): MonitorSettings {
  const problems: string[] = [];
  for (const [name, limit] of Object.entries(INTEGER_LIMITS) as [keyof typeof INTEGER_LIMITS, IntegerLimit][]) {
    const value = settings[name];
    if (!Number.isInteger(value) || value < limit.min || value > limit.max) {
      problems.push(`${name} must be an integer from ${limit.min} to ${limit.max} (${limit.why}); got ${value}.`);
    }
  }
  if (!LOG_RETENTION_DAYS.includes(settings.logRetentionDays)) {
    problems.push(
      `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}; got ${settings.logRetentionDays}.`,
    );
  }
  const minimumTtl = minimumOccurrenceTtlDays(settings.maxEventAgeSeconds);
  if (Number.isInteger(settings.occurrenceTtlDays) && settings.occurrenceTtlDays < minimumTtl) {
    problems.push(
      `occurrenceTtlDays must be at least ${minimumTtl} (the dead-letter queue's ${DEAD_LETTER_RETENTION_DAYS} days plus maxEventAgeSeconds ${settings.maxEventAgeSeconds} s plus Lambda's ${ASYNC_INVOKE_MAX_EVENT_AGE_HOURS} h asynchronous age, the function timeout and the lease margin, and a day to spare, so a redriven event is not counted twice); got ${settings.occurrenceTtlDays}.`,
    );
  }
  for (const key of ['alertEmails', 'opsEmails'] as const) {
    for (const email of settings[key]) {
      if (!EMAIL.test(email)) problems.push(`${key}: "${email}" is not an email address.`);
    }
    if (new Set(settings[key]).size !== settings[key].length) problems.push(`${key} lists the same address twice.`);
  }
  const { slackWorkspaceId, slackChannelId } = settings;
  if ((slackWorkspaceId === undefined) !== (slackChannelId === undefined)) {
    problems.push('slackWorkspaceId and slackChannelId must be given together (or neither).');
  }
  if (slackWorkspaceId !== undefined && !SLACK_WORKSPACE_ID.test(slackWorkspaceId)) {
    problems.push(
      `slackWorkspaceId must look like T0123ABCD (see the AWS Chatbot console); got "${slackWorkspaceId}".`,
    );
  }
  if (slackChannelId !== undefined && !SLACK_CHANNEL_ID.test(slackChannelId)) {
    problems.push(
      `slackChannelId must look like C0123ABCD or G0123ABCD (Slack channel details); got "${slackChannelId}".`,
    );
  }
  if (problems.length > 0) {
    throw new MonitorSettingsError(`Invalid trustgap monitor settings:\n  - ${problems.join('\n  - ')}`);
  }
  return settings;
}
