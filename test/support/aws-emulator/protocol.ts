import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The wire formats the AWS SDK v3 clients speak to the emulated services:
 *  - awsQuery (IAM, STS, SNS): a form-encoded POST `Action=…&Version=…&Param=…`, answered with
 *    `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>`, errors as
 *    `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`;
 *  - awsJson1_1 (Organizations, CloudTrail): a JSON POST with `X-Amz-Target: Prefix.Operation`, answered with JSON,
 *    errors as `{"__type": "Code", "message": "…"}` with the status code.
 * Every request must carry a SigV4 Authorization header; its credential scope names the access key, the region and
 * the service, which is how one port serves every service and every account.
 */

export interface Credential {
  accessKeyId: string;
  region: string;
  service: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/iam/aws4_request, SignedHeaders=…, Signature=…`. */
export function credentialOf(req: IncomingMessage): Credential | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  const start = header.indexOf('Credential=');
  if (start === -1 || !header.includes('Signature=')) return undefined;
  const end = header.indexOf(',', start);
  const parts = header.slice(start + 'Credential='.length, end === -1 ? undefined : end).split('/');
  if (parts.length !== 5) return undefined;
  return { accessKeyId: parts[0], region: parts[2], service: parts[3] };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** Query-protocol maps: `Prefix.entry.N.Name` / `Prefix.entry.N.Value.<field>` → { Name: { field: value } }. */
export function formMap(form: Record<string, string>, prefix: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (let n = 1; form[`${prefix}.entry.${n}.Name`] !== undefined; n++) {
    const value: Record<string, string> = {};
    const head = `${prefix}.entry.${n}.Value.`;
    for (const [k, v] of Object.entries(form)) if (k.startsWith(head)) value[k.slice(head.length)] = v;
    out[form[`${prefix}.entry.${n}.Name`]] = value;
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A value as query-protocol XML: objects become elements, lists `<member>` children. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

let requestCounter = 0;
export function requestId(): string {
  requestCounter += 1;
  return `emulated-${process.pid}-${requestCounter}`;
}

export function sendQueryResult(res: ServerResponse, action: string, xmlns: string, result: unknown): void {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${xmlns}">` +
    `<${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
  res.end(body);
}

export interface ServiceError {
  status: number;
  code: string;
  message: string;
}

export function sendQueryError(res: ServerResponse, xmlns: string, error: ServiceError): void {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId()}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId() });
  res.end(body);
}

export function sendJson(res: ServerResponse, result: unknown): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() });
  res.end(JSON.stringify(result));
}

export function sendJsonError(res: ServerResponse, error: ServiceError): void {
  res.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': requestId(),
    'x-amzn-errortype': error.code,
  });
  res.end(JSON.stringify({ __type: error.code, message: error.message }));
}

/** An error a service handler throws to answer with that status, code and message. */
export class EmulatedError extends Error implements ServiceError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
