import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { errorMessage, errorName, isAccessDenied, isTransientAwsError, TransientError } from '../../errors';
import type { IamCallCounter } from '../live-iam/iam-calls';
import type { Clock } from '../live-iam/ttl-cache';

/** Session name the central function uses on every reader role (contract: docs/organization.md). */
export const READER_SESSION_NAME = 'trustgap-diagnoser';
/** Credentials are renewed this long before they expire, so no IAM call is ever signed with a dying session. */
export const CREDENTIALS_REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** A reader role that could not be assumed is not asked again for this long (a storm must not hammer STS). */
export const DEFAULT_MISSING_READER_TTL_MS = 5 * 60 * 1000;

export type StsSender = Pick<STSClient, 'send'>;

export interface ReaderCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Either the reader role's credentials, or why the account's side cannot be read (never thrown, never retried). */
export type ReaderAccess = { ok: true; credentials: ReaderCredentials } | { ok: false; reason: string };

interface Entry {
  promise: Promise<ReaderAccess>;
  /** When the entry must be renewed; undefined while in flight. */
  renewAt?: number;
}

export interface ReaderCredentialsOptions {
  sts: StsSender;
  readerRoleName: string;
  partition?: string;
  clock?: Clock;
  missingReaderTtlMs?: number;
  /** Bound on cached accounts (one small entry each). */
  maxAccounts?: number;
}

/**
 * Assumes the reader role (`READER_ROLE_NAME`) in member accounts and caches the session per account until
 * CREDENTIALS_REFRESH_MARGIN_MS before it expires. Concurrent requests for one account share one AssumeRole.
 *  - AccessDenied (the role is missing, or does not trust trustgap-diagnoser): cached as "cannot read" with a reason
 *    naming the account and the role, for missingReaderTtlMs; the diagnosis reports that side as unknown.
 *  - Throttling / 5xx / network after the SDK's retries: TransientError, nothing cached, so EventBridge retries.
 */
export class ReaderCredentialsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly partition: string;

  constructor(private readonly options: ReaderCredentialsOptions) {
    this.clock = options.clock ?? Date.now;
    this.partition = options.partition ?? 'aws';
  }

  readerRoleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/${this.options.readerRoleName}`;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The account's reader session; `counters` count the STS call when one is made. */
  access(accountId: string, counters: readonly IamCallCounter[]): Promise<ReaderAccess> {
    const existing = this.entries.get(accountId);
    if (existing && (existing.renewAt === undefined || existing.renewAt > this.clock())) {
      // Re-inserting keeps the Map in least-recently-used order for eviction.
      this.entries.delete(accountId);
      this.entries.set(accountId, existing);
      return existing.promise;
    }
    this.entries.delete(accountId);
    const entry: Entry = { promise: this.assume(accountId, counters) };
    entry.promise.then(
      (access) => {
        if (this.entries.get(accountId) !== entry) return;
        entry.renewAt = access.ok
          ? access.credentials.expiration.getTime() - CREDENTIALS_REFRESH_MARGIN_MS
          : this.clock() + (this.options.missingReaderTtlMs ?? DEFAULT_MISSING_READER_TTL_MS);
      },
      () => {
        if (this.entries.get(accountId) === entry) this.entries.delete(accountId);
      },
    );
    this.entries.set(accountId, entry);
    const max = this.options.maxAccounts ?? 10_000;
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return entry.promise;
  }

  /** A credential provider for an SDK client bound to one account: serves the cached session, renewing it in time. */
  providerFor(accountId: string, counters: () => readonly IamCallCounter[]): () => Promise<ReaderCredentials> {
    return async () => {
      const access = await this.access(accountId, counters());
      // Callers check access() before using the client, so this only happens if the role vanished in between.
      if (!access.ok) throw new ReaderUnavailableError(access.reason);
      return access.credentials;
    };
  }

  private async assume(accountId: string, counters: readonly IamCallCounter[]): Promise<ReaderAccess> {
    const roleArn = this.readerRoleArn(accountId);
    for (const counter of counters) counter.record('sts:AssumeRole');
    try {
      const out: AssumeRoleCommandOutput = await this.options.sts.send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: READER_SESSION_NAME }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        return { ok: false, reason: `sts:AssumeRole on ${roleArn} returned no credentials` };
      }
      return {
        ok: true,
        credentials: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: new Date(c.Expiration),
        },
      };
    } catch (error) {
      if (isTransientAwsError(error)) {
        throw new TransientError(
          `sts:AssumeRole on reader role ${roleArn} failed transiently (${errorName(error)}): ${errorMessage(error)}`,
          { cause: error },
        );
      }
      if (isAccessDenied(error)) {
        return {
          ok: false,
          reason:
            `trustgap cannot read account ${accountId}: its reader role ${roleArn} is missing or does not trust ` +
            `trustgap-diagnoser (sts:AssumeRole was denied) — deploy the trustgap member StackSet to account ${accountId}`,
        };
      }
      return {
        ok: false,
        reason: `trustgap cannot read account ${accountId}: sts:AssumeRole on ${roleArn} failed: ${errorName(error)}: ${errorMessage(error)}`,
      };
    }
  }
}

/** Raised by a client's credential provider when its account's reader session is unavailable. */
export class ReaderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReaderUnavailableError';
  }
}
