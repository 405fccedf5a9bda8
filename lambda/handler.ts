/**
 * Lambda entry point, invoked asynchronously by the EventBridge rule with one "AWS API Call via CloudTrail" event
 * per failed STS role assumption.
 *
 * At this stage it only normalizes the event and logs the result as one structured record; the diagnosis, the
 * findings table and the topic are wired in by the delivery pipeline. It never throws on an event it cannot use:
 * retrying would not make it usable, and the skip reason is in the log.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { normalizeInput } from '../src/engine/event/normalize';

const logger = new Logger();

export interface HandlerSummary {
  normalized: number;
  skipped: number;
}

export async function handler(event: unknown, context: Context): Promise<HandlerSummary> {
  logger.addContext(context);
  const { events, skipped } = normalizeInput(event);
  const record = { stage: 'normalized', events, skipped };
  if (events.length > 0) {
    logger.info('Denied role assumption received (diagnosis not wired yet)', record);
  } else {
    logger.warn('Event did not contain a denied role assumption', record);
  }
  return { normalized: events.length, skipped: skipped.length };
}
