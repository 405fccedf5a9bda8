export { AccountLru, ASSUMED_BYTES_PER_CACHED_ACCOUNT, accountsForMemory } from './account-lru';
export { OrgIamFacts, type OrgIamFactsOptions, OrgIamScope } from './org-iam-facts';
export {
  READER_SESSION_NAME,
  type ReaderAccess,
  type ReaderCredentials,
  ReaderCredentialsCache,
  type StsSender,
} from './reader-credentials';
