import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { IamSender } from '../adapters/live-iam';
import { accountsForMemory, OrgIamFacts, ReaderCredentialsCache, type StsSender } from '../adapters/org-iam';
import { OrganizationsReader, type OrganizationsSender } from '../adapters/organizations';
import type { OrganizationConfig } from './config';

export interface OrganizationFactsOptions {
  /** organizationId is not needed to read (the CLI has none to give). */
  config: Partial<OrganizationConfig> & Pick<OrganizationConfig, 'readerRoleName' | 'organizationsAccess'>;
  /** From the function's ARN (aws, aws-cn, aws-us-gov). */
  partition: string;
  /** The clients' region (default: the SDK's, AWS_REGION in Lambda; the CLI passes its own). */
  region?: string;
  sts?: StsSender;
  organizations?: OrganizationsSender;
  clock?: () => number;
  iamCacheTtlMs?: number;
  /** Defaults to what a quarter of the function's memory holds (AWS_LAMBDA_FUNCTION_MEMORY_SIZE, else 1024 MB). */
  maxCachedAccounts?: number;
}

/**
 * The organization deployment's facts source: reader sessions per account (STS), one LiveIamFacts per account in a
 * memory-bounded LRU, and SCPs/RCPs from Organizations per ORGANIZATIONS_ACCESS. Clients read their endpoints from
 * the standard AWS_ENDPOINT_URL_* variables like every other client of the function.
 */
export function createOrganizationFacts(options: OrganizationFactsOptions): OrgIamFacts {
  const region = options.region;
  const sts = options.sts ?? new STSClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
  const readers = new ReaderCredentialsCache({
    sts,
    readerRoleName: options.config.readerRoleName,
    partition: options.partition,
    clock: options.clock,
  });
  const ownOrganizations =
    options.organizations ?? new OrganizationsClient({ region, retryMode: 'adaptive', maxAttempts: 4 });
  const organizations = new OrganizationsReader({
    access: options.config.organizationsAccess,
    ownClient: ownOrganizations,
    clock: options.clock,
    managementClient: async (managementAccountId, counters) => {
      const access = await readers.access(managementAccountId, counters);
      if (!access.ok) return access;
      return {
        ok: true,
        value: new OrganizationsClient({
          region,
          retryMode: 'adaptive',
          maxAttempts: 4,
          credentials: readers.providerFor(managementAccountId, () => counters),
        }),
      };
    },
  });
  const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || 1024;
  return new OrgIamFacts({
    readers,
    organizations,
    createIamClient: (credentials): IamSender =>
      new IAMClient({ region, retryMode: 'adaptive', maxAttempts: 5, credentials }),
    maxCachedAccounts: options.maxCachedAccounts ?? accountsForMemory(memoryMb),
    ttlMs: options.iamCacheTtlMs,
    clock: options.clock,
  });
}
