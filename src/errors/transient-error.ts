/**
 * How the pipeline sorts failures. The handler's contract with EventBridge depends on it:
 *  - TransientError (and anything AWS marks as throttling, 5xx or network) is thrown out of the handler, so
 *    EventBridge retries the event and, after its retry budget, parks it in the dead-letter queue;
 *  - input problems are never thrown: they are logged, counted and acknowledged, so a bad event cannot loop.
 */

/** A failure that a later attempt can plausibly get past. Thrown so the event is retried. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/**
 * Another invocation is processing the same CloudTrail event right now (EventBridge delivered it twice) and did
 * not finish while we waited. Retrying later is correct: by then the other copy has finished (→ duplicate,
 * acknowledged) or its lease has expired (→ this copy takes over).
 */
export class EventInProgressError extends TransientError {
  constructor(eventId: string) {
    super(`event ${eventId} is being processed by another invocation`);
    this.name = 'EventInProgressError';
  }
}

/**
 * Another invocation holds a live claim this event depends on (the notification of its fingerprint, or the count
 * of its cross-account call) and did not finish while we waited. Retrying later is correct: by then the claim was
 * confirmed (nothing left to do) or its lease expired (this event takes it over).
 */
export class ClaimHeldError extends TransientError {
  constructor(what: string, until: number) {
    super(`${what} is claimed by another invocation until ${new Date(until).toISOString()}`);
    this.name = 'ClaimHeldError';
  }
}
