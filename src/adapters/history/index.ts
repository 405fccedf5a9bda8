export { createTableInputFromSchema } from './create-table-input';
export {
  type ClaimMode,
  type ClaimRequest,
  FindingsHistory,
  type FindingsHistoryOptions,
  type NotificationClaim,
  type SharedCopyDecision,
} from './findings-history';
export {
  chooseIndex,
  type FindingsFilter,
  loadFingerprints,
  type ProblemRow,
  type QueryStats,
  queryFindings,
  queryProblems,
} from './findings-query';
export {
  dynamoFindingsSource,
  type FindingsSource,
  type FingerprintRecord,
  type IndexName,
  type IndexPage,
  type IndexPageRequest,
} from './findings-source';
export type { DocumentSender, HistoryTable } from './history-table';
export * from './items';
export { DEFAULT_FINDING_BUDGET_BYTES, truncateFindingForStorage } from './truncate';
