import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FAULT_ANSWERS, type FaultRule, FaultTable } from './faults';
import {
  type Credential,
  credentialOf,
  EmulatedError,
  parseForm,
  readBody,
  type ServiceError,
  sendJson,
  sendJsonError,
  sendQueryError,
  sendQueryResult,
} from './protocol';

export type { FaultKind, FaultRule, FaultTarget } from './faults';

/** Who signed a request: every access key the emulator knows maps to one principal in one account. */
export interface EmulatedPrincipal {
  accountId: string;
  arn: string;
  userId: string;
}

export interface RequestContext {
  caller: EmulatedPrincipal;
  credential: Credential;
}

/** A service spoken in the awsQuery protocol, chosen by the credential scope's service name. */
export interface QueryService {
  readonly name: string;
  readonly xmlns: string;
  handle(action: string, form: Record<string, string>, ctx: RequestContext): unknown;
}

/** A service spoken in awsJson1_1, chosen by the X-Amz-Target prefix. */
export interface JsonService {
  readonly name: string;
  readonly targetPrefix: string;
  handle(operation: string, input: Record<string, unknown>, ctx: RequestContext): unknown;
}

export interface EmulatedCall {
  service: string;
  action: string;
  accountId: string;
  callerArn: string;
}

/**
 * One loopback HTTP server for every emulated service. It knows principals by access key, counts every call by
 * service, action and account, injects faults and latency, and holds unanswered ("hang") requests until close().
 */
export class EmulatorServer {
  readonly calls: EmulatedCall[] = [];
  private readonly principals = new Map<string, EmulatedPrincipal>();
  private readonly query = new Map<string, QueryService>();
  private readonly json = new Map<string, JsonService>();
  private readonly faults = new FaultTable();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => {
    this.serve(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  endpoint = '';

  async listen(): Promise<void> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addQueryService(service: QueryService): void {
    this.query.set(service.name, service);
  }

  addJsonService(service: JsonService): void {
    this.json.set(service.targetPrefix, service);
  }

  /** Registers an access key (static or issued by STS) for a principal. */
  addPrincipal(accessKeyId: string, principal: EmulatedPrincipal): void {
    this.principals.set(accessKeyId, principal);
  }

  principalOf(accessKeyId: string): EmulatedPrincipal | undefined {
    return this.principals.get(accessKeyId);
  }

  setFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** Removes every fault rule (service latencies set with setLatency stay). */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Latency before each answer of a service, in ms (a function, so a bench can jitter it). */
  setLatency(service: string, ms: (() => number) | undefined): void {
    this.faults.setServiceLatency(service, ms);
  }

  /** Calls so far, optionally of one service, action or account. */
  count(filter: Partial<Omit<EmulatedCall, 'callerArn'>> = {}): number {
    return this.calls.filter(
      (c) =>
        (filter.service === undefined || c.service === filter.service) &&
        (filter.action === undefined || c.action === filter.action) &&
        (filter.accountId === undefined || c.accountId === filter.accountId),
    ).length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = req.headers['x-amz-target'];
    const credential = credentialOf(req);
    if (typeof target === 'string') {
      const dot = target.lastIndexOf('.');
      const service = this.json.get(target.slice(0, dot));
      if (!service) return sendJsonError(res, { status: 400, code: 'UnknownOperationException', message: target });
      return this.dispatch(res, service.name, target.slice(dot + 1), credential, 'json', (ctx) =>
        service.handle(target.slice(dot + 1), body ? (JSON.parse(body) as Record<string, unknown>) : {}, ctx),
      );
    }
    const service = credential ? this.query.get(credential.service) : undefined;
    const xmlns = service?.xmlns ?? '';
    const form = parseForm(body);
    if (!service) {
      return sendQueryError(res, xmlns, { status: 400, code: 'InvalidAction', message: 'unknown service' });
    }
    return this.dispatch(
      res,
      service.name,
      form.Action ?? '',
      credential,
      'query',
      (ctx) => service.handle(form.Action ?? '', form, ctx),
      xmlns,
    );
  }

  private async dispatch(
    res: ServerResponse,
    service: string,
    action: string,
    credential: Credential | undefined,
    protocol: 'query' | 'json',
    run: (ctx: RequestContext) => unknown,
    xmlns = '',
  ): Promise<void> {
    const fail = (e: ServiceError) => (protocol === 'json' ? sendJsonError(res, e) : sendQueryError(res, xmlns, e));
    const caller = credential ? this.principals.get(credential.accessKeyId) : undefined;
    if (!credential || !caller) {
      return fail({
        status: 403,
        code: protocol === 'json' ? 'UnrecognizedClientException' : 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
      });
    }
    this.calls.push({ service, action, accountId: caller.accountId, callerArn: caller.arn });
    const { fault, delayMs } = this.faults.match(service, action, caller.accountId);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (fault?.kind === 'hang') return; // accepted, never answered: the socket stays open until close()
    if (fault && fault.kind !== 'latency') {
      const answer = FAULT_ANSWERS[fault.kind][protocol];
      return fail({
        status: answer.status,
        code: fault.code ?? answer.code,
        message: `emulated ${fault.kind} for ${service}:${action}`,
      });
    }
    try {
      const result = await run({ caller, credential });
      if (protocol === 'json') sendJson(res, result ?? {});
      else sendQueryResult(res, action, xmlns, result ?? {});
    } catch (error) {
      if (error instanceof EmulatedError) return fail(error);
      throw error;
    }
  }
}
