/**
 * A loopback emulator of CloudTrail's LookupEvents, on the real wire protocol (awsJson1_1: POST /, X-Amz-Target
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents, JSON in and out), 127.0.0.1 only.
 * It pages (MaxResults ≤ 50, opaque NextToken bound to the request's window), filters by one LookupAttribute and by
 * StartTime/EndTime, returns newest first, and throttles like the API: more than `ratePerSecond` requests within a
 * second → 400 ThrottlingException. `failAfter` makes it fail every request after N pages (an interrupted scan).
 *
 * The handler is a plain (target, body) → response function so it can be mounted as one service module of the
 * shared loopback AWS emulator (test/support/aws-emulator/) as well as served alone by startCloudTrail().
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const LOOKUP_EVENTS_TARGET = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';

export interface StoredEvent {
  record: Record<string, unknown>;
}

export interface CloudTrailState {
  events: Array<Record<string, unknown>>;
  ratePerSecond: number;
  /** Fail (500) every request after this many successful pages; undefined: never. */
  failAfter?: number;
  pagesServed: number;
  throttled: number;
  /** Every request's NextToken (undefined for first pages), in order. */
  tokens: Array<string | undefined>;
  recent: number[];
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

function error(status: number, type: string, message: string): JsonResponse {
  return { status, body: { __type: type, message } };
}

export function cloudTrailHandler(state: CloudTrailState, target: string, body: Record<string, unknown>): JsonResponse {
  // The SDK sends the short form; the service model names the long one. Both reach the same operation.
  if (target !== LOOKUP_EVENTS_TARGET && target !== 'CloudTrail_20131101.LookupEvents')
    return error(400, 'UnknownOperationException', `unknown operation ${target}`);
  const now = Date.now();
  state.recent = state.recent.filter((t) => now - t < 1000);
  if (state.recent.length >= state.ratePerSecond) {
    state.throttled += 1;
    return error(400, 'ThrottlingException', 'Rate exceeded');
  }
  state.recent.push(now);
  if (state.failAfter !== undefined && state.pagesServed >= state.failAfter)
    return error(500, 'InternalFailure', 'emulated outage');
  const start = typeof body.StartTime === 'number' ? body.StartTime * 1000 : 0;
  const end = typeof body.EndTime === 'number' ? body.EndTime * 1000 : Number.MAX_SAFE_INTEGER;
  const max = Math.min(50, typeof body.MaxResults === 'number' ? body.MaxResults : 50);
  const attributes = (body.LookupAttributes as Array<{ AttributeKey: string; AttributeValue: string }>) ?? [];
  if (attributes.length > 1) return error(400, 'InvalidLookupAttributesException', 'only one lookup attribute');
  const token = typeof body.NextToken === 'string' ? body.NextToken : undefined;
  state.tokens.push(token);
  let offset = 0;
  if (token) {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString()) as { o: number; s: number; e: number };
    if (decoded.s !== start || decoded.e !== end) return error(400, 'InvalidNextTokenException', 'token mismatch');
    offset = decoded.o;
  }
  const matching = state.events
    .filter((r) => {
      const t = Date.parse(String(r.eventTime));
      if (t < start || t > end) return false;
      const a = attributes[0];
      if (!a) return true;
      if (a.AttributeKey === 'EventSource') return r.eventSource === a.AttributeValue;
      if (a.AttributeKey === 'EventName') return r.eventName === a.AttributeValue;
      return true;
    })
    .sort((x, y) => Date.parse(String(y.eventTime)) - Date.parse(String(x.eventTime)));
  const page = matching.slice(offset, offset + max);
  state.pagesServed += 1;
  const next =
    offset + max < matching.length
      ? Buffer.from(JSON.stringify({ o: offset + max, s: start, e: end })).toString('base64')
      : undefined;
  return {
    status: 200,
    body: {
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
    },
  };
}

export interface LocalCloudTrail {
  endpoint: string;
  state: CloudTrailState;
  stop(): Promise<void>;
}

export async function startCloudTrail(
  events: Array<Record<string, unknown>>,
  ratePerSecond = 2,
): Promise<LocalCloudTrail> {
  const state: CloudTrailState = { events, ratePerSecond, pagesServed: 0, throttled: 0, tokens: [], recent: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      const out = cloudTrailHandler(state, String(req.headers['x-amz-target'] ?? ''), body);
      res.writeHead(out.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': `req-${state.pagesServed}`,
      });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
