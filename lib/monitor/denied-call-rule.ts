import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION_DAYS } from './settings';

/**
 * AssumeRole* are read-only management events. EventBridge delivers read-only CloudTrail management events only
 * to rules in this state; a plain ENABLED rule would never fire. The L2 Rule has no property for it.
 */
export const RULE_STATE_ALL_MANAGEMENT_EVENTS = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface DeniedCallRuleProps {
  readonly handler: lambda.IFunction;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  readonly deadLetterQueue: sqs.IQueue;
  /** The bus the rule listens on: the central bus of an organization deployment. @default - the default bus */
  readonly eventBus?: events.IEventBus;
}

/**
 * Every failed sts:AssumeRole*, sts:AssumeRoot call CloudTrail records. The single-account rule, the member
 * accounts' forwarding rules and the central bus rule all use this one pattern.
 */
export const DENIED_CALL_EVENT_PATTERN: events.EventPattern = {
  source: ['aws.sts'],
  detailType: ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['sts.amazonaws.com'],
    // The prefix covers AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML; AssumeRoot does not share it
    // and is listed exactly.
    eventName: events.Match.anyOf(events.Match.prefix('AssumeRole'), events.Match.exactString('AssumeRoot')),
    // Every failure code (AccessDenied, InvalidIdentityToken, ExpiredTokenException, RegionDisabledException…),
    // not only AccessDenied. Successful calls carry no errorCode key at all.
    errorCode: events.Match.exists(),
  },
};

/**
 * One dead-letter queue for everything that could not be handled: events EventBridge failed to deliver, and
 * invocations that still failed (or were throttled past their maximum age) after Lambda's asynchronous retries.
 */
export function createDeadLetterQueue(
  scope: Construct,
  id: string,
  whyNoDeadLetterQueueOfItsOwn = "This queue IS the dead-letter queue (of the EventBridge target and of the function's asynchronous invocations); a dead-letter queue for it would only move the same messages again. Its depth is alarmed.",
): sqs.Queue {
  const deadLetterQueue = new sqs.Queue(scope, id, {
    // SQS managed SSE: EventBridge can deliver to it without a KMS key-policy grant, which EventBridge does not
    // support scoping with aws:SourceArn.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(DEAD_LETTER_RETENTION_DAYS),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: whyNoDeadLetterQueueOfItsOwn,
  });
  return deadLetterQueue;
}

/**
 * The rule on the default bus (or the given bus). The L2 LambdaFunction target writes the lambda:InvokeFunction permission
 * (SourceArn = this rule) and the queue policy statement allowing events.amazonaws.com to sqs:SendMessage only
 * for this rule (aws:SourceArn condition).
 */
export function createDeniedCallRule(scope: Construct, id: string, props: DeniedCallRuleProps): events.Rule {
  const rule = new events.Rule(scope, id, {
    description: 'Every failed sts:AssumeRole*, sts:AssumeRoot call recorded by CloudTrail, for trustgap diagnosis',
    eventBus: props.eventBus,
    eventPattern: DENIED_CALL_EVENT_PATTERN,
  });
  // Also on the central custom bus: EventBridge applies the rule state to rules on default and custom buses
  // alike, and a forwarded AssumeRole* event is still a read-only management event delivered through CloudTrail.
  (rule.node.defaultChild as events.CfnRule).state = RULE_STATE_ALL_MANAGEMENT_EVENTS;

  rule.addTarget(
    new targets.LambdaFunction(props.handler, {
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      deadLetterQueue: props.deadLetterQueue,
    }),
  );
  return rule;
}
