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
  type IndexName,
  loadFingerprints,
  type QueryStats,
  queryFindings,
} from './findings-query';
export type { DocumentSender, HistoryTable } from './history-table';
export * from './items';
export { DEFAULT_FINDING_BUDGET_BYTES, truncateFindingForStorage } from './truncate';
