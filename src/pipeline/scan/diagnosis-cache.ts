import { createHash } from 'node:crypto';
import type { DiagnosisScopeOptions } from '../../adapters/live-iam/live-iam-facts';
import { diagnoseEvent } from '../../engine/diagnose/diagnose-event';
import type { NormalizedEvent } from '../../engine/event/types';
import type { Finding } from '../../engine/finding/types';
import type { IamFacts } from '../../engine/iam/iam-facts';

/** Facts per diagnosis, as the Lambda gets them (process-input.ts): a snapshot, or a live reader's scope. */
export interface DiagnosisFacts {
  scope(options: DiagnosisScopeOptions): IamFacts;
}

/**
 * Diagnoses each distinct call once. Two events that differ only in eventID, eventTime, sharedEventID (the
 * per-delivery identifiers) get the same diagnosis: the engine reads nothing else that differs between them. Every
 * other field (session name, tags, source IP, claims, error message) is in the key, because conditions can read
 * them. The cache is LRU-bounded, so memory is bounded by distinct problems and a fixed cap, never by events.
 */
export const DEFAULT_CACHE_ENTRIES = 20_000;

export class DiagnosisCache {
  private readonly entries = new Map<string, Finding>();
  diagnosed = 0;
  reused = 0;

  constructor(
    private readonly facts: DiagnosisFacts,
    private readonly maxEntries = DEFAULT_CACHE_ENTRIES,
  ) {}

  async diagnose(event: NormalizedEvent): Promise<Finding> {
    const key = callKey(event);
    const cached = this.entries.get(key);
    if (cached) {
      this.reused += 1;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return { ...cached, eventId: event.eventId, eventTime: event.eventTime };
    }
    const facts = this.facts.scope({
      callerRoleArn: event.caller.type === 'AssumedRole' ? event.caller.issuerArn : undefined,
    });
    const finding = await diagnoseEvent(event, facts);
    this.diagnosed += 1;
    this.entries.set(key, finding);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return finding;
  }
}

/** Everything the diagnosis can depend on: the normalized event without its per-delivery identifiers. */
export function callKey(event: NormalizedEvent): string {
  const { eventId: _id, eventTime: _time, sharedEventId: _shared, ...call } = event;
  return createHash('sha256').update(JSON.stringify(call)).digest('base64');
}
