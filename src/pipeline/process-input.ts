import type { IamCallCounter } from '../adapters/live-iam/iam-calls';
import type { DiagnosisScopeOptions } from '../adapters/live-iam/live-iam-facts';
import { normalizeInput } from '../engine/event/normalize';
import type { NormalizedEvent, SkippedRecord } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import type { IamFacts } from '../engine/iam/iam-facts';
import { type Attempt, type RecordAndNotifyDeps, type RecordOutcome, recordAndNotify } from './record-and-notify';

/** Where each diagnosis gets its IAM facts: a per-diagnosis scope that counts its IAM calls (LiveIamFacts). */
export interface FactsSource {
  scope(options: DiagnosisScopeOptions): IamFacts & { readonly calls: IamCallCounter };
}

export type Diagnose = (event: NormalizedEvent, facts: IamFacts) => Promise<Finding>;

export interface PipelineDeps extends RecordAndNotifyDeps {
  facts: FactsSource;
  diagnose: Diagnose;
}

/** irrelevant: a well-formed record that is not a failed role assumption. malformed: not a usable record at all. */
export type SkipKind = 'irrelevant' | 'malformed';

export interface SkipReport extends SkippedRecord {
  kind: SkipKind;
}

export interface EventReport {
  eventId: string;
  finding: Finding;
  iamCalls: number;
  iamCallsByApi: Record<string, number>;
  diagnosisMs: number;
  outcome: RecordOutcome;
}

/** Filled in as the invocation progresses, so the handler can report what was done even when a later step throws. */
export interface InvocationReport {
  skipped: SkipReport[];
  events: EventReport[];
}

const IRRELEVANT_REASONS = [
  /^not an STS call/,
  /^not a role assumption/,
  /^successful call/,
  /^EventBridge event detail-type/,
];

export function skipKind(reason: string): SkipKind {
  return IRRELEVANT_REASONS.some((pattern) => pattern.test(reason)) ? 'irrelevant' : 'malformed';
}

export function newInvocationReport(): InvocationReport {
  return { skipped: [], events: [] };
}

/**
 * normalize → diagnose → record → notify, for every denied role assumption in one Lambda input (an EventBridge
 * event carries one). Input that cannot be used is reported in `report.skipped` and never thrown: retrying would
 * not make it usable. Errors from diagnosing or recording a usable event are thrown (transient AWS errors so that
 * the event is retried; anything else so that it ends in the dead-letter queue with an alarm, not silently lost).
 */
export async function processInput(
  deps: PipelineDeps,
  input: unknown,
  attempt: Attempt,
  report: InvocationReport = newInvocationReport(),
): Promise<InvocationReport> {
  const { events, skipped } = normalizeInput(input);
  for (const record of skipped) report.skipped.push({ ...record, kind: skipKind(record.reason) });
  if (events.length === 0 && skipped.length === 0) {
    report.skipped.push({ index: 0, reason: 'input contains no CloudTrail record', kind: 'malformed' });
  }

  for (const event of events) {
    const facts = deps.facts.scope({
      callerRoleArn: event.caller.type === 'AssumedRole' ? event.caller.issuerArn : undefined,
    });
    const started = Date.now();
    const finding = await deps.diagnose(event, facts);
    const diagnosisMs = Date.now() - started;
    const outcome = await recordAndNotify(deps, event, finding, attempt);
    report.events.push({
      eventId: event.eventId,
      finding,
      iamCalls: facts.calls.total,
      iamCallsByApi: { ...facts.calls.byApi },
      diagnosisMs,
      outcome,
    });
  }
  return report;
}
