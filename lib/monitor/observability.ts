import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FINDINGS_METRIC } from './findings-metric';

export interface MonitorAlarms {
  /** The handler threw (after the event reached it): a finding may be missing. */
  readonly handlerErrors: cloudwatch.Alarm;
  /** Invocations were refused by the reserved concurrency: an alert storm is being queued and slowed down. */
  readonly handlerThrottles: cloudwatch.Alarm;
  /** Something ended in the dead-letter queue: an event was never diagnosed. */
  readonly deadLetters: cloudwatch.Alarm;
}

export interface ObservabilityProps {
  readonly handler: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the alarms notify: the operations topic. */
  readonly alarmTopic: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms that page through the operations topic, and one dashboard. Missing data is "not breaching": the function
 * publishes no Errors/Throttles datapoints while the account is quiet, and quiet is the normal state.
 */
export function createAlarms(scope: Construct, props: ObservabilityProps): MonitorAlarms {
  const alarmAction = new cloudwatchActions.SnsAction(props.alarmTopic);
  const alarm = (id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm => {
    const created = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    created.addAlarmAction(alarmAction);
    return created;
  };
  return {
    handlerErrors: alarm(
      'HandlerErrorsAlarm',
      props.handler.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      'trustgap handler failed on at least one denied role assumption; after retries the event goes to the dead-letter queue.',
    ),
    handlerThrottles: alarm(
      'HandlerThrottlesAlarm',
      props.handler.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      'trustgap handler was throttled by its reserved concurrency: a burst of denials is being queued. Events older than the maximum event age go to the dead-letter queue.',
    ),
    deadLetters: alarm(
      'DeadLetterQueueDepthAlarm',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      'Denied role assumptions that trustgap could not deliver or diagnose are waiting in the dead-letter queue.',
    ),
  };
}

export function createDashboard(
  scope: Construct,
  id: string,
  props: ObservabilityProps,
  alarms: MonitorAlarms,
): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, id, {
    defaultInterval: Duration.days(7),
  });
  const findingsByCause = new cloudwatch.MathExpression({
    expression: `SEARCH('{${FINDINGS_METRIC.namespace},${FINDINGS_METRIC.dimensions.join(',')}} MetricName="${FINDINGS_METRIC.metricName}"', 'Sum', ${PERIOD.toSeconds()})`,
    // A CloudWatch dynamic label: one series per cause, named by the cause.
    label: "${PROP('Dim.cause')}",
    period: PERIOD,
  });
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Findings by cause',
      left: [findingsByCause],
      stacked: true,
      width: 24,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Invocations',
      left: [props.handler.metricInvocations({ period: PERIOD, statistic: cloudwatch.Stats.SUM })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Errors and throttles',
      left: [
        props.handler.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        props.handler.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Duration',
      left: [
        props.handler.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(50) }),
        props.handler.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(99) }),
        props.handler.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      ],
      width: 8,
    }),
  );
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({
      title: 'Alarms',
      alarms: [alarms.handlerErrors, alarms.handlerThrottles, alarms.deadLetters],
      width: 24,
    }),
  );
  return dashboard;
}
