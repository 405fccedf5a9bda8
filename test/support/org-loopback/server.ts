/**
 * A loopback (127.0.0.1) server speaking the real wire protocols of STS AssumeRole (query/XML), IAM (query/XML, per
 * account: the account is chosen by the SigV4 access key the request is signed with) and Organizations (JSON 1.1),
 * for the organization runtime's tests and bench. Interim: test/support/aws-emulator (branch `emulator`) is the
 * team's emulator; this one serves only what the organization reader calls.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerIam } from './iam-service';
import type { InjectedFault, LoopbackAccount, LoopbackOptions } from './model';
import { answerOrganizations } from './organizations-service';

export * from './model';

export interface OrgLoopback {
  endpoint: string;
  /** AWS_ENDPOINT_URL_* for STS, IAM and Organizations. */
  env(): Record<string, string>;
  /** Calls by `service:Api@account`. */
  readonly calls: Map<string, number>;
  count(filter?: { service?: string; api?: string; account?: string }): number;
  resetCounts(): void;
  /** The central function's own credentials. */
  readonly centralCredentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

const ACCOUNT_OF_KEY = /^(?:AKIA|ASIA)LOOP(\d{12})/;

function accessKeyOf(req: IncomingMessage): string | undefined {
  return /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'loopback' });
  res.end(body);
}

function queryXml(res: ServerResponse, action: string, xmlns: string, answer: ReturnType<typeof answerIam>): void {
  if ('error' in answer) {
    send(
      res,
      answer.status,
      'text/xml',
      `<ErrorResponse xmlns="${xmlns}"><Error><Type>Sender</Type><Code>${answer.error}</Code><Message>${answer.message}</Message></Error><RequestId>loopback</RequestId></ErrorResponse>`,
    );
    return;
  }
  send(
    res,
    200,
    'text/xml',
    `<${action}Response xmlns="${xmlns}"><${action}Result>${answer.xml}</${action}Result><ResponseMetadata><RequestId>loopback</RequestId></ResponseMetadata></${action}Response>`,
  );
}

export async function startOrgLoopback(options: LoopbackOptions): Promise<OrgLoopback> {
  const accounts = new Map<string, LoopbackAccount>(options.accounts.map((a) => [a.id, a]));
  const calls = new Map<string, number>();
  let sessions = 0;
  const central = { accessKeyId: `AKIALOOP${options.centralAccountId}`, secretAccessKey: 'loopback-secret' };

  function assumeRole(caller: string | undefined, p: URLSearchParams): ReturnType<typeof answerIam> {
    const arn = p.get('RoleArn') ?? '';
    const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
    const target = m ? accounts.get(m[1]) : undefined;
    const isReader = m?.[2] === options.readerRoleName && target !== undefined && target.reader !== false;
    if (caller !== options.centralAccountId || !isReader || !m || p.get('RoleSessionName') === null) {
      return {
        error: 'AccessDenied',
        status: 403,
        message: `User: arn:aws:sts::${caller}:assumed-role/trustgap-diagnoser/x is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      };
    }
    sessions += 1;
    const key = `ASIALOOP${m[1]}${String(sessions).padStart(8, '0')}`;
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    return {
      xml: `<Credentials><AccessKeyId>${key}</AccessKeyId><SecretAccessKey>loopback-secret</SecretAccessKey><SessionToken>token-${key}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROALOOP:${p.get('RoleSessionName')}</AssumedRoleId><Arn>arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${p.get('RoleSessionName')}</Arn></AssumedRoleUser>`,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const account = ACCOUNT_OF_KEY.exec(accessKeyOf(req) ?? '')?.[1] ?? 'anonymous';
    const target = String(req.headers['x-amz-target'] ?? '');
    const service = target.startsWith('AWSOrganizations')
      ? 'organizations'
      : body.includes('Action=AssumeRole')
        ? 'sts'
        : 'iam';
    const params = new URLSearchParams(body);
    const api = service === 'organizations' ? target.split('.')[1] : (params.get('Action') ?? '');
    const key = `${service}:${api}@${account}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    const latency = options.latencyMs?.() ?? 0;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault: InjectedFault | undefined = options.fault?.(service, api, account);
    if (service === 'organizations') {
      if (fault)
        return send(
          res,
          fault.status,
          'application/x-amz-json-1.1',
          JSON.stringify({ __type: fault.code, message: fault.message ?? fault.code }),
        );
      const answer = answerOrganizations(
        options.organization,
        account,
        options,
        api,
        JSON.parse(body || '{}') as Record<string, unknown>,
      );
      return send(res, answer.status, 'application/x-amz-json-1.1', JSON.stringify(answer.body));
    }
    const xmlns =
      service === 'sts' ? 'https://sts.amazonaws.com/doc/2011-06-15/' : 'https://iam.amazonaws.com/doc/2010-05-08/';
    if (fault)
      return queryXml(res, api, xmlns, {
        error: fault.code,
        status: fault.status,
        message: fault.message ?? fault.code,
      });
    if (service === 'sts') return queryXml(res, api, xmlns, assumeRole(account, params));
    const own = accounts.get(account);
    if (!own || (account === options.centralAccountId && !accessKeyOf(req)?.startsWith('ASIA'))) {
      return queryXml(res, api, xmlns, {
        error: 'AccessDenied',
        status: 403,
        message: `no IAM read permission for ${account}`,
      });
    }
    return queryXml(res, api, xmlns, answerIam(own, api, params));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    env: () => ({
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_IAM: endpoint,
      AWS_ENDPOINT_URL_ORGANIZATIONS: endpoint,
    }),
    calls,
    centralCredentials: central,
    count(filter = {}) {
      let n = 0;
      for (const [k, v] of calls) {
        const [svcApi, acct] = k.split('@');
        const [svc, api] = svcApi.split(':');
        if ((filter.service ?? svc) === svc && (filter.api ?? api) === api && (filter.account ?? acct) === acct) n += v;
      }
      return n;
    },
    resetCounts: () => calls.clear(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
