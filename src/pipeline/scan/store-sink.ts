import { truncateFindingForStorage } from '../../adapters/history/truncate';
import type { SqliteFindingsStore } from '../../adapters/local-store/sqlite-findings-store';
import type { ScanEntry, ScanSink, SinkOutcome } from './scan-run';

/** The local store as a scan sink: one SQLite transaction per batch (file or page). */
export function storeSink(store: SqliteFindingsStore): ScanSink {
  return {
    record(entries: ScanEntry[]): Promise<SinkOutcome> {
      return Promise.resolve(
        store.record(
          entries.map((e) => ({
            occurrence: e.occurrence,
            identity: e.identity,
            latestFinding: truncateFindingForStorage(e.finding),
          })),
        ),
      );
    },
  };
}
