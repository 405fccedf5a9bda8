import { EmulatedError } from './protocol';
import type { JsonService, RequestContext } from './server';

/**
 * CloudTrail's LookupEvents in awsJson1_1 (X-Amz-Target `CloudTrail_20131101.LookupEvents`, as the SDK sends it, or
 * the service model's long form `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`). It pages
 * (MaxResults ≤ 50, an opaque NextToken bound to the request's window), filters by one LookupAttribute and by
 * StartTime/EndTime, answers newest first, and throttles like the API: more than `ratePerSecond` requests within a
 * second → 400 ThrottlingException (CloudTrail's own code, not the emulator's generic throttle fault). `failAfter`
 * fails every request after N pages with a 500 (an interrupted scan). The events are one account-region's history:
 * every caller sees the same list.
 */
export const LOOKUP_EVENTS_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';

export interface CloudTrailOptions {
  events?: Array<Record<string, unknown>>;
  /** LookupEvents' limit per account and region (default 2, as documented). */
  ratePerSecond?: number;
}

export class EmulatedCloudTrail implements JsonService {
  readonly name = 'cloudtrail';
  readonly targetPrefix = 'CloudTrail_20131101';
  events: Array<Record<string, unknown>>;
  ratePerSecond: number;
  /** Fail (500) every request after this many successful pages; undefined: never. */
  failAfter?: number;
  pagesServed = 0;
  throttled = 0;
  /** Every request's NextToken (undefined for first pages), in order. */
  readonly tokens: Array<string | undefined> = [];
  private recent: number[] = [];

  constructor(options: CloudTrailOptions = {}) {
    this.events = options.events ?? [];
    this.ratePerSecond = options.ratePerSecond ?? 2;
  }

  /** The same module under the long target prefix of the service model. */
  longForm(): JsonService {
    return {
      name: this.name,
      targetPrefix: LOOKUP_EVENTS_TARGET.slice(0, LOOKUP_EVENTS_TARGET.lastIndexOf('.')),
      handle: (operation, input, ctx) => this.handle(operation, input, ctx),
    };
  }

  handle(operation: string, body: Record<string, unknown>, _ctx: RequestContext): unknown {
    if (operation !== 'LookupEvents')
      throw new EmulatedError(400, 'UnknownOperationException', `CloudTrail operation ${operation} is not emulated`);
    const now = Date.now();
    this.recent = this.recent.filter((t) => now - t < 1000);
    if (this.recent.length >= this.ratePerSecond) {
      this.throttled += 1;
      throw new EmulatedError(400, 'ThrottlingException', 'Rate exceeded');
    }
    this.recent.push(now);
    if (this.failAfter !== undefined && this.pagesServed >= this.failAfter)
      throw new EmulatedError(500, 'InternalFailure', 'emulated outage');
    const start = typeof body.StartTime === 'number' ? body.StartTime * 1000 : 0;
    const end = typeof body.EndTime === 'number' ? body.EndTime * 1000 : Number.MAX_SAFE_INTEGER;
    const max = Math.min(50, typeof body.MaxResults === 'number' ? body.MaxResults : 50);
    const attributes = (body.LookupAttributes as Array<{ AttributeKey: string; AttributeValue: string }>) ?? [];
    if (attributes.length > 1)
      throw new EmulatedError(400, 'InvalidLookupAttributesException', 'only one lookup attribute');
    const token = typeof body.NextToken === 'string' ? body.NextToken : undefined;
    this.tokens.push(token);
    let offset = 0;
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString()) as { o: number; s: number; e: number };
      if (decoded.s !== start || decoded.e !== end)
        throw new EmulatedError(400, 'InvalidNextTokenException', 'token mismatch');
      offset = decoded.o;
    }
    const a = attributes[0];
    const matching = this.events
      .filter((r) => {
        const t = Date.parse(String(r.eventTime));
        if (t < start || t > end) return false;
        if (a?.AttributeKey === 'EventSource') return r.eventSource === a.AttributeValue;
        if (a?.AttributeKey === 'EventName') return r.eventName === a.AttributeValue;
        return true;
      })
      .sort((x, y) => Date.parse(String(y.eventTime)) - Date.parse(String(x.eventTime)));
    const page = matching.slice(offset, offset + max);
    this.pagesServed += 1;
    const next =
      offset + max < matching.length
        ? Buffer.from(JSON.stringify({ o: offset + max, s: start, e: end })).toString('base64')
        : undefined;
    return {
      Events: page.map((r) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        ReadOnly: 'true',
        EventTime: Date.parse(String(r.eventTime)) / 1000,
        EventSource: r.eventSource,
        Username: (r.userIdentity as { userName?: string } | undefined)?.userName,
        Resources: [],
        CloudTrailEvent: JSON.stringify(r),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }
}
