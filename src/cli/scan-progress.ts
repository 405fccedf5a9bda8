import { SingleBar } from 'cli-progress';
import type { ScanTotals } from '../pipeline/scan/scan-run';

/**
 * The scan's progress line on a terminal (cli-progress, drawn on stderr): files or pages read out of those found
 * so far, records, denied calls matched, distinct findings, rate and ETA. Nothing at all when stderr is not a TTY.
 */
export interface ScanProgress {
  update(totals: ScanTotals, batchesKnown: number): void;
  stop(): void;
}

export function scanProgress(enabled: boolean, unit: 'files' | 'pages'): ScanProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `{bar} {value}/{total} ${unit} | {records} records | {denied} denied | {findings} findings | {rate} rec/s | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
    fps: 5,
    stream: process.stderr,
  });
  const started = Date.now();
  let running = false;
  return {
    update(totals, batchesKnown) {
      const payload = {
        records: totals.records.toLocaleString('en-US'),
        denied: totals.denied.toLocaleString('en-US'),
        findings: totals.fingerprints.size,
        rate: Math.round(totals.records / Math.max(0.001, (Date.now() - started) / 1000)).toLocaleString('en-US'),
      };
      if (!running) {
        bar.start(Math.max(batchesKnown, 1), totals.batches, payload);
        running = true;
      }
      bar.setTotal(Math.max(batchesKnown, totals.batches, 1));
      bar.update(totals.batches, payload);
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
