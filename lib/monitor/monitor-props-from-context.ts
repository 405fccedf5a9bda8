import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { DeniedAssumeRoleMonitorProps } from '../denied-assume-role-monitor';
import type { ContextSettings } from './context-settings';

/**
 * The monitor props that CDK context decides, in one place: the single-account stack and the organization's
 * central stack configure the same construct from the same keys, so a new key reaches both or neither.
 */
export function monitorPropsFromContext(context: ContextSettings): DeniedAssumeRoleMonitorProps {
  return {
    alertEmails: context.alertEmails,
    opsEmails: context.opsEmails,
    slackWorkspaceId: context.slackWorkspaceId,
    slackChannelId: context.slackChannelId,
    reservedConcurrentExecutions: context.reservedConcurrentExecutions,
    logRetention: context.logRetentionDays as RetentionDays | undefined,
    notifyQuietWindowMinutes: context.notifyQuietWindowMinutes,
    occurrenceTtlDays: context.occurrenceTtlDays,
    maxEventAge: context.maxEventAgeSeconds === undefined ? undefined : Duration.seconds(context.maxEventAgeSeconds),
    retryAttempts: context.retryAttempts,
  };
}
