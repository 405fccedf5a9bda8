export {
  LiveIamFacts,
  LiveIamScope,
  createIamClient,
  DEFAULT_IAM_CACHE_TTL_MS,
  DEFAULT_POLICY_VERSION_TTL_MS,
  type DiagnosisScopeOptions,
  type LiveIamFactsOptions,
} from './live-iam-facts';
export { IamCallCounter, type IamSender } from './iam-calls';
