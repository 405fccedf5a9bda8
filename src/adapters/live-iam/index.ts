export { IamCallCounter, type IamSender } from './iam-calls';
export {
  createIamClient,
  DEFAULT_IAM_CACHE_TTL_MS,
  DEFAULT_POLICY_VERSION_TTL_MS,
  type DiagnosisScopeOptions,
  LiveIamFacts,
  type LiveIamFactsOptions,
  LiveIamScope,
} from './live-iam-facts';
