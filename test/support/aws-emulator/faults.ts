/**
 * Faults and latency the emulator injects per service, API (action) and account: errors answered instead of the
 * real response (all matching requests, or the first `times`), requests accepted and never answered, and delays
 * before the answer (fixed, or a function for jitter).
 */

export type FaultKind = 'throttle' | 'access-denied' | 'server-error' | 'hang' | 'latency';

/** Which requests a rule applies to: a service, optionally one action and one account (the signer's). */
export interface FaultTarget {
  service: string;
  action?: string;
  accountId?: string;
}

export interface FaultRule extends FaultTarget {
  kind: FaultKind;
  /** Applies to the first `times` matching requests only; default: all of them. */
  times?: number;
  /** The error code to answer with; defaults to the service's usual code for the kind. */
  code?: string;
  /** For `latency`: the delay in ms, or a function returning it (jitter). */
  ms?: number | (() => number);
}

/** The status and code AWS answers for each kind, in the query (IAM, STS, SNS) and JSON 1.1 protocols. */
export const FAULT_ANSWERS: Record<
  'throttle' | 'access-denied' | 'server-error',
  { query: { status: number; code: string }; json: { status: number; code: string } }
> = {
  throttle: { query: { status: 400, code: 'Throttling' }, json: { status: 400, code: 'TooManyRequestsException' } },
  'access-denied': {
    query: { status: 403, code: 'AccessDenied' },
    json: { status: 400, code: 'AccessDeniedException' },
  },
  'server-error': { query: { status: 500, code: 'ServiceFailure' }, json: { status: 500, code: 'ServiceException' } },
};

export interface Matched {
  /** The answer that replaces the real one (an error, or hang), if any. */
  fault?: FaultRule;
  /** The delay before answering, in ms. */
  delayMs: number;
}

export class FaultTable {
  private readonly rules: FaultRule[] = [];
  private readonly serviceLatency = new Map<string, () => number>();

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules.length = 0;
  }

  setServiceLatency(service: string, ms: (() => number) | undefined): void {
    if (ms) this.serviceLatency.set(service, ms);
    else this.serviceLatency.delete(service);
  }

  /** The fault and the delay for one request, consuming one use of each rule that applies. */
  match(service: string, action: string, accountId: string): Matched {
    let delayMs = this.serviceLatency.get(service)?.() ?? 0;
    const latency = this.take((r) => r.kind === 'latency', service, action, accountId);
    if (latency) delayMs += typeof latency.ms === 'function' ? latency.ms() : (latency.ms ?? 0);
    return { fault: this.take((r) => r.kind !== 'latency', service, action, accountId), delayMs };
  }

  private take(
    kind: (r: FaultRule) => boolean,
    service: string,
    action: string,
    accountId: string,
  ): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        kind(r) &&
        r.service === service &&
        (r.action === undefined || r.action === action) &&
        (r.accountId === undefined || r.accountId === accountId) &&
        (r.times === undefined || r.times > 0),
    );
    if (rule?.times !== undefined) rule.times -= 1;
    return rule;
  }
}
