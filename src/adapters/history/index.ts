export {
  FindingsHistory,
  LeaseLostError,
  type FindingsHistoryOptions,
  type Lease,
  type OccurrenceClaim,
} from './findings-history';
export { LAST_SEEN_TOLERANCE_MS, type CountInput } from './aggregate-writes';
export type { NotificationClaim } from './notification-claims';
export type { DocumentSender, HistoryTable } from './history-table';
export { createTableInputFromSchema } from './create-table-input';
export {
  queryFindings,
  loadFingerprints,
  chooseIndex,
  type FindingsFilter,
  type QueryStats,
  type IndexName,
} from './findings-query';
export { truncateFindingForStorage, DEFAULT_FINDING_BUDGET_BYTES } from './truncate';
export * from './items';
