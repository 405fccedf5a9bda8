import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { FINDINGS_METRIC } from '../../lib/monitor/findings-metric';
import { errorMessage, errorName, isTransientAwsError } from '../errors';
import type { InvocationReport } from './process-input';

/**
 * Logs and metrics for one invocation (Powertools, EMF). Metrics, all in the TrustGap namespace with the
 * `service` dimension Powertools adds:
 *  - Findings{cause}: one per newly recorded occurrence (not duplicates); the stack's dashboard graphs it;
 *  - IamCalls: IAM API calls made for one diagnosis (0 when the cache answered), one data point per diagnosis;
 *  - Notifications, Duplicates, LinkedCopies: what happened after recording;
 *  - Skipped (not a failed role assumption) and Malformed (not a usable record): acknowledged inputs.
 */
export function reportInvocation(report: InvocationReport, logger: Logger, metrics: Metrics): void {
  for (const skip of report.skipped) {
    logger.warn(
      skip.kind === 'irrelevant'
        ? 'Input is not a denied role assumption; acknowledged'
        : 'Malformed input; acknowledged',
      { skipped: skip },
    );
    metrics.addMetric(skip.kind === 'irrelevant' ? 'Skipped' : 'Malformed', MetricUnit.Count, 1);
  }
  for (const event of report.events) {
    const { finding, outcome } = event;
    const summary = {
      eventId: event.eventId,
      cause: finding.cause,
      fingerprint: outcome.fingerprint,
      status: outcome.status,
      count: outcome.count,
      notification: outcome.notification,
      iamCalls: event.iamCalls,
      iamCallsByApi: event.iamCallsByApi,
      diagnosisMs: event.diagnosisMs,
    };
    if (outcome.status === 'duplicate') logger.info('Duplicate delivery; already recorded', summary);
    else logger.info('Denied role assumption diagnosed', { ...summary, finding });

    metrics.addMetric('IamCalls', MetricUnit.Count, event.iamCalls);
    if (outcome.status === 'recorded') {
      const single = metrics.singleMetric();
      single.addDimension('cause', finding.cause);
      single.addMetric(FINDINGS_METRIC.metricName, MetricUnit.Count, 1);
    }
    if (outcome.notification === 'sent') metrics.addMetric('Notifications', MetricUnit.Count, 1);
    if (outcome.status === 'duplicate') metrics.addMetric('Duplicates', MetricUnit.Count, 1);
    if (outcome.status === 'linked-copy') metrics.addMetric('LinkedCopies', MetricUnit.Count, 1);
  }
}

/** One structured error line; transient ones are expected under throttling and say they will be retried. */
export function reportFailure(error: unknown, logger: Logger, metrics: Metrics): void {
  const transient = isTransientAwsError(error);
  logger.error(
    transient
      ? 'Transient failure; the event will be retried'
      : 'Processing failed; the event will be retried, then dead-lettered',
    {
      errorName: errorName(error),
      errorMessage: errorMessage(error),
      transient,
      error: error instanceof Error ? error : undefined,
    },
  );
  metrics.addMetric(transient ? 'TransientFailures' : 'Failures', MetricUnit.Count, 1);
}
