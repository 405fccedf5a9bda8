import { INTEGER_LIMITS, LOG_RETENTION_DAYS, MONITOR_DEFAULTS, MonitorSettingsError } from './settings';

/**
 * The CDK context keys TrustGapStack reads (`cdk deploy -c key=value`, or "context" in cdk.json), with their
 * defaults. `-c` always passes strings; cdk.json may hold numbers and arrays; both are accepted.
 */
export const CONTEXT_KEYS = {
  alertEmails: { default: '(none)', meaning: 'comma-separated email addresses subscribed to the findings topic' },
  opsEmails: {
    default: '(the alertEmails)',
    meaning: 'comma-separated email addresses subscribed to the operations topic, where the alarms go',
  },
  slackWorkspaceId: { default: '(none)', meaning: 'AWS Chatbot Slack workspace ID (T…); needs slackChannelId' },
  slackChannelId: { default: '(none)', meaning: 'Slack channel ID (C… or G…); needs slackWorkspaceId' },
  reservedConcurrency: {
    default: String(MONITOR_DEFAULTS.reservedConcurrentExecutions),
    meaning: 'reserved concurrency of the handler (bounds IAM reads during a storm)',
  },
  logRetentionDays: { default: String(MONITOR_DEFAULTS.logRetentionDays), meaning: 'handler log retention in days' },
  notifyQuietWindowMinutes: {
    default: String(MONITOR_DEFAULTS.notifyQuietWindowMinutes),
    meaning: 'minutes a repeated finding is recorded without a new notification',
  },
  occurrenceTtlDays: {
    default: String(MONITOR_DEFAULTS.occurrenceTtlDays),
    meaning: 'days an occurrence stays in the findings table (DynamoDB TTL)',
  },
  maxEventAgeSeconds: {
    default: String(MONITOR_DEFAULTS.maxEventAgeSeconds),
    meaning: 'how long EventBridge retries delivering an event to the handler',
  },
  retryAttempts: {
    default: String(MONITOR_DEFAULTS.retryAttempts),
    meaning: 'how many times EventBridge retries delivering an event',
  },
} as const;

export type ContextKey = keyof typeof CONTEXT_KEYS;

/** What the context yields: only the keys that were set, in the monitor's own units. */
export interface ContextSettings {
  alertEmails?: string[];
  opsEmails?: string[];
  slackWorkspaceId?: string;
  slackChannelId?: string;
  reservedConcurrentExecutions?: number;
  logRetentionDays?: number;
  notifyQuietWindowMinutes?: number;
  occurrenceTtlDays?: number;
  maxEventAgeSeconds?: number;
  retryAttempts?: number;
}

const INTEGER_KEYS = {
  reservedConcurrency: 'reservedConcurrentExecutions',
  notifyQuietWindowMinutes: 'notifyQuietWindowMinutes',
  occurrenceTtlDays: 'occurrenceTtlDays',
  maxEventAgeSeconds: 'maxEventAgeSeconds',
  retryAttempts: 'retryAttempts',
} as const satisfies Partial<Record<ContextKey, keyof typeof INTEGER_LIMITS>>;

/**
 * Reads and checks every context key. Unset keys (undefined, or an empty string from `-c key=`) are left out so
 * the construct's defaults apply. Throws one error naming each bad key as the user typed it.
 */
export function readContextSettings(getContext: (key: ContextKey) => unknown): ContextSettings {
  const problems: string[] = [];
  const settings: ContextSettings = {};

  for (const key of ['alertEmails', 'opsEmails'] as const) {
    const emails = getContext(key);
    if (!isSet(emails)) continue;
    const list = readList(emails);
    if (list === undefined) {
      problems.push(`${key} must be a comma-separated string of email addresses; got ${JSON.stringify(emails)}.`);
    } else {
      settings[key] = list;
    }
  }

  for (const key of ['slackWorkspaceId', 'slackChannelId'] as const) {
    const value = getContext(key);
    if (!isSet(value)) continue;
    if (typeof value !== 'string') problems.push(`${key} must be a string; got ${JSON.stringify(value)}.`);
    else settings[key] = value.trim();
  }

  for (const [key, settingName] of Object.entries(INTEGER_KEYS) as [
    keyof typeof INTEGER_KEYS,
    keyof typeof INTEGER_LIMITS,
  ][]) {
    const raw = getContext(key);
    if (!isSet(raw)) continue;
    const limit = INTEGER_LIMITS[settingName];
    const value = toInteger(raw);
    if (value === undefined || value < limit.min || value > limit.max) {
      problems.push(
        `${key} must be an integer from ${limit.min} to ${limit.max} (${limit.why}); got ${JSON.stringify(raw)}.`,
      );
    } else {
      (settings as Record<string, number>)[settingName] = value;
    }
  }

  const retention = getContext('logRetentionDays');
  if (isSet(retention)) {
    const value = toInteger(retention);
    if (value === undefined || !LOG_RETENTION_DAYS.includes(value)) {
      problems.push(
        `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}; got ${JSON.stringify(retention)}.`,
      );
    } else {
      settings.logRetentionDays = value;
    }
  }

  if (problems.length > 0) {
    throw new MonitorSettingsError(`Invalid CDK context for trustgap:\n  - ${problems.join('\n  - ')}`);
  }
  return settings;
}

/** A comma-separated string (from -c) or an array of strings (from cdk.json), trimmed, empty items dropped. */
export function readList(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (list === undefined || !list.every((item) => typeof item === 'string')) return undefined;
  return list.map((item: string) => item.trim()).filter((item: string) => item !== '');
}

export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}
