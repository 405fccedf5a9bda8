import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  createDeadLetterQueue,
  DENIED_CALL_EVENT_PATTERN,
  RULE_STATE_ALL_MANAGEMENT_EVENTS,
} from '../monitor/denied-call-rule';

export interface ForwardingRuleProps {
  /** The central bus (in another account and possibly another region). */
  readonly centralBusArn: string;
}

export interface ForwardingRule {
  readonly rule: events.Rule;
  /** The role EventBridge uses to put the events on the central bus: events:PutEvents on that bus only. */
  readonly role: iam.Role;
  /**
   * Where EventBridge puts an event it could not put on the central bus after its retries (24 hours, 185 attempts):
   * a central bus policy or region that refuses it. Without it such events would be dropped without a trace.
   */
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The member account's rule on its default bus: the single-account rule's pattern and state (AssumeRole* are
 * read-only management events, which a plain ENABLED rule never receives), targeting the central bus. A target
 * bus in another account that grants access through aws:PrincipalOrgID needs a role (EventBridge API reference,
 * Rule.RoleArn), and this one may do nothing but put events on that bus.
 */
export function createForwardingRule(scope: Construct, id: string, props: ForwardingRuleProps): ForwardingRule {
  const role = new iam.Role(scope, `${id}Role`, {
    description: 'trustgap forwarder: puts denied role assumption events on the central trustgap bus, nothing else',
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    inlinePolicies: {
      PutEventsOnTheCentralBus: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.centralBusArn] })],
      }),
    },
  });
  const rule = new events.Rule(scope, id, {
    description: 'Forwards every failed sts:AssumeRole*, sts:AssumeRoot call to the central trustgap bus',
    eventPattern: DENIED_CALL_EVENT_PATTERN,
  });
  (rule.node.defaultChild as events.CfnRule).state = RULE_STATE_ALL_MANAGEMENT_EVENTS;
  // An empty queue costs nothing; a CloudWatch alarm in every account and region would (and could not notify the
  // central account's topic), so its depth is checked as docs/deploy.md says, and the queue keeps events 14 days.
  const deadLetterQueue = createDeadLetterQueue(
    scope,
    `${id}DeadLetterQueue`,
    'This queue IS the dead-letter queue of the forwarding rule; a dead-letter queue for it would only move the same messages again.',
  );
  // The role already holds the one permission the target needs; a grant helper would only add a second policy.
  // The target writes the queue policy: events.amazonaws.com may send to it for this rule only (aws:SourceArn).
  rule.addTarget(
    new targets.EventBus(events.EventBus.fromEventBusArn(scope, `${id}CentralBus`, props.centralBusArn), {
      role: iam.Role.fromRoleArn(scope, `${id}RoleRef`, role.roleArn, { mutable: false }),
      deadLetterQueue,
    }),
  );
  return { rule, role, deadLetterQueue };
}
