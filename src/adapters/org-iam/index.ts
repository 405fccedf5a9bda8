export { AccountLru, accountsForMemory } from './account-lru';
export { OrgIamFacts, type OrgIamFactsOptions, OrgIamScope } from './org-iam-facts';
export {
  READER_SESSION_NAME,
  type ReaderAccess,
  type ReaderCredentials,
  ReaderCredentialsCache,
  type StsSender,
} from './reader-credentials';
