import { type FindingsFilter, type ProblemRow, problemRow, walkOccurrences } from '../history/findings-query';
import type { FindingsSource } from '../history/findings-source';
import type { BucketItem } from '../history/items';

/**
 * What the report shows, gathered in one walk of the occurrences (newest first, through the same query code as
 * `trustgap findings`): counts by day and cause, the top roles/callers/causes, and the distinct problems with their
 * aggregates and latest findings. Memory: one counter per day×cause and per distinct role, caller, problem.
 */
export interface ReportData {
  source: string;
  generatedAt: string;
  occurrences: number;
  /** day (YYYY-MM-DD) → cause → count */
  byDay: Map<string, Map<string, number>>;
  topRoles: Array<[string, number]>;
  topCallers: Array<[string, number]>;
  topCauses: Array<[string, number]>;
  problems: ProblemRow[];
}

export const TOP_N = 10;

function bump(map: Map<string, number>, key: string | undefined, by: number): void {
  const k = key ?? '-';
  map.set(k, (map.get(k) ?? 0) + by);
}

function top(map: Map<string, number>, n = TOP_N): Array<[string, number]> {
  return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

export async function gatherReport(
  source: FindingsSource,
  filter: Omit<FindingsFilter, 'limit'>,
  nowMs: number,
): Promise<ReportData> {
  const byDay = new Map<string, Map<string, number>>();
  const roles = new Map<string, number>();
  const callers = new Map<string, number>();
  const causes = new Map<string, number>();
  const matched = new Map<string, number>();
  /** Each fingerprint's first bucket: its role, caller and cause where the aggregate has no identity yet. */
  const samples = new Map<string, BucketItem>();
  let occurrences = 0;
  await walkOccurrences(
    source,
    { ...filter, limit: Number.MAX_SAFE_INTEGER },
    nowMs,
    () => Number.MAX_SAFE_INTEGER,
    (items) => {
      // Each item is a bucket of `count` events of one fingerprint (none for a linked copy).
      for (const o of items) {
        if (o.count === 0) continue;
        occurrences += o.count;
        const day = o.eventDay ?? o.eventTime.slice(0, 10);
        let causesOfDay = byDay.get(day);
        if (!causesOfDay) {
          causesOfDay = new Map();
          byDay.set(day, causesOfDay);
        }
        bump(causesOfDay, o.cause, o.count);
        bump(roles, o.roleArn, o.count);
        bump(callers, o.callerArn, o.count);
        bump(causes, o.cause, o.count);
        bump(matched, o.fingerprint, o.count);
        if (!samples.has(o.fingerprint)) samples.set(o.fingerprint, o);
      }
    },
  );
  const problems: ProblemRow[] = [];
  for (const [fingerprint, count] of matched) {
    const sample = samples.get(fingerprint);
    if (sample) problems.push(problemRow(fingerprint, await source.loadFingerprint(fingerprint), sample, count));
  }
  problems.sort((x, y) => y.count - x.count || (x.lastSeen < y.lastSeen ? 1 : -1));
  return {
    source: source.label,
    generatedAt: new Date(nowMs).toISOString(),
    occurrences,
    byDay,
    topRoles: top(roles),
    topCallers: top(callers),
    topCauses: top(causes),
    problems,
  };
}
