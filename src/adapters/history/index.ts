export { type CountInput, LAST_SEEN_TOLERANCE_MS } from './aggregate-writes';
export { createTableInputFromSchema } from './create-table-input';
export {
  FindingsHistory,
  type FindingsHistoryOptions,
  type Lease,
  LeaseLostError,
  type OccurrenceClaim,
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
export type { NotificationClaim } from './notification-claims';
export { DEFAULT_FINDING_BUDGET_BYTES, truncateFindingForStorage } from './truncate';
