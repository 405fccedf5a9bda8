/**
 * Lambda entry point, invoked asynchronously by the EventBridge rule with one "AWS API Call via CloudTrail" event
 * per failed STS role assumption: normalize → diagnose (live IAM) → record (DynamoDB) → notify (SNS).
 * This is the single-account deployment's entry; it is bundled without the organization reader, and the organization
 * central function's is lambda/organization-handler.ts (chosen by DeniedAssumeRoleMonitorProps.deployment).
 *
 * Thin wiring only; the pipeline is src/pipeline (design and guarantees: docs/pipeline.md). The runtime — SDK
 * clients, the IAM cache, Powertools logger and metrics, configuration from FINDINGS_TABLE_NAME,
 * FINDINGS_TOPIC_ARN, NOTIFY_QUIET_WINDOW_MINUTES, OCCURRENCE_TTL_DAYS — is built once per container, here at
 * cold start. Input that is not a usable denied role assumption is logged, counted and acknowledged; transient
 * AWS failures are thrown so that Lambda retries the event and finally sends it to the dead-letter queue.
 */
import type { Context } from 'aws-lambda';
import { type HandlerResult, LambdaRuntime } from '../src/pipeline/lambda-runtime';

const runtime = new LambdaRuntime();

export function handler(event: unknown, context: Context): Promise<HandlerResult> {
  return runtime.handle(event, context);
}
