/**
 * A loopback emulator of the AWS services trustgap calls, speaking their real wire protocols so that tests run
 * the real SDK clients (pointed here through `AWS_ENDPOINT_URL_<SERVICE>` or a client `endpoint`) instead of
 * stubbing them: IAM, STS and SNS in awsQuery, Organizations and CloudTrail (LookupEvents) in awsJson1_1. One port serves every service and every
 * account; the account of a request is the one its signing access key belongs to. More services plug in as one
 * module each (a QueryService or JsonService added to `emulator.server`).
 */
import { type CloudTrailOptions, EmulatedCloudTrail } from './cloudtrail';
import { EmulatedIam, type IamAccountFixture, loadIamAccount } from './iam';
import { EmulatedOrganizations, type OrganizationDescription } from './organizations';
import { type EmulatedCall, type EmulatedPrincipal, EmulatorServer, type FaultRule } from './server';
import { EmulatedSns, type PublishedMessage } from './sns';
import { type AssumeRule, EmulatedSts } from './sts';

export type {
  EmulatedCall,
  EmulatedPrincipal,
  FaultKind,
  FaultRule,
  FaultTarget,
  JsonService,
  QueryService,
} from './server';
export type { CloudTrailOptions, IamAccountFixture, OrganizationDescription, PublishedMessage };
export { EmulatedCloudTrail, loadIamAccount };

export interface EmulatorOptions {
  /** IAM fixtures, one per account (test/fixtures/iam-api/account-<id>.json shape). */
  iamAccounts?: IamAccountFixture[];
  /** Static access keys and who they sign as. */
  principals?: Record<string, EmulatedPrincipal>;
  /** Who may assume which role; default: anyone, as long as the role exists. */
  assumeRule?: AssumeRule;
  organization?: OrganizationDescription;
  /** Accounts that may read the organization's tree and policies; default: its management account. */
  organizationReaders?: string[];
  /** CloudTrail event history served by LookupEvents (one account-region's events). */
  cloudTrail?: CloudTrailOptions;
  clock?: () => number;
}

export interface AwsEmulator {
  readonly endpoint: string;
  readonly server: EmulatorServer;
  readonly iam: EmulatedIam;
  readonly sns: EmulatedSns;
  readonly organizations?: EmulatedOrganizations;
  /** LookupEvents: its events, rate, failAfter, and what it served (pages, throttled requests, tokens). */
  readonly cloudTrail: EmulatedCloudTrail;
  /** Every call answered or faulted so far, in order (service, action, account, caller). */
  readonly calls: EmulatedCall[];
  /** Messages published to SNS so far. */
  readonly published: PublishedMessage[];
  /** `AWS_ENDPOINT_URL_*` for every emulated service. */
  env(): Record<string, string>;
  setFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Latency before every answer of a service, in ms: a function, so it can be jittered; undefined removes it. */
  setLatency(service: string, ms: (() => number) | undefined): void;
  count(filter?: { service?: string; action?: string; accountId?: string }): number;
  resetCalls(): void;
  close(): Promise<void>;
}

/** Credentials for a principal registered with `principals` (the secret is never checked). */
export function credentialsFor(accessKeyId: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId, secretAccessKey: 'emulated-secret' };
}

export async function startAwsEmulator(options: EmulatorOptions = {}): Promise<AwsEmulator> {
  const server = new EmulatorServer();
  const iam = new EmulatedIam();
  for (const fixture of options.iamAccounts ?? []) iam.addAccount(fixture);
  for (const [key, principal] of Object.entries(options.principals ?? {})) server.addPrincipal(key, principal);
  const sns = new EmulatedSns();
  server.addQueryService(iam);
  server.addQueryService(sns);
  server.addQueryService(new EmulatedSts(server, iam, options.assumeRule ?? (() => true), options.clock));
  const organizations = options.organization
    ? new EmulatedOrganizations(options.organization, options.organizationReaders)
    : undefined;
  if (organizations) server.addJsonService(organizations);
  const cloudTrail = new EmulatedCloudTrail(options.cloudTrail);
  server.addJsonService(cloudTrail);
  server.addJsonService(cloudTrail.longForm());
  await server.listen();
  return {
    endpoint: server.endpoint,
    server,
    iam,
    sns,
    organizations,
    cloudTrail,
    calls: server.calls,
    published: sns.published,
    env: () => ({
      AWS_ENDPOINT_URL_IAM: server.endpoint,
      AWS_ENDPOINT_URL_STS: server.endpoint,
      AWS_ENDPOINT_URL_SNS: server.endpoint,
      AWS_ENDPOINT_URL_ORGANIZATIONS: server.endpoint,
      AWS_ENDPOINT_URL_CLOUDTRAIL: server.endpoint,
    }),
    setFault: (rule) => server.setFault(rule),
    clearFaults: () => server.clearFaults(),
    setLatency: (service, ms) => server.setLatency(service, ms),
    count: (filter) => server.count(filter),
    resetCalls: () => server.resetCalls(),
    close: () => server.close(),
  };
}
