import type { NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import { fingerprintOf, fingerprintParts } from '../pipeline/fingerprint';

/**
 * Findings of the same problem, grouped for the text output: a CI job retrying a denied call 37 times is one problem
 * shown once with "×37", not 37 screens. "The same problem" is the pipeline's fingerprint (src/pipeline/fingerprint.ts:
 * caller identity, role, cause, failing condition key), so the CLI and the alerts agree on what counts as one.
 * JSON output is not grouped: it keeps one entry per event.
 */
export interface FindingGroup {
  fingerprint: string;
  /** The first occurrence in input order; it stands for the group. */
  finding: Finding;
  event: NormalizedEvent;
  count: number;
  /** Earliest and latest eventTime of the group ('' when no occurrence has one). */
  firstSeen: string;
  lastSeen: string;
}

export function groupFindings(results: ReadonlyArray<{ finding: Finding; event: NormalizedEvent }>): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const { finding, event } of results) {
    const fingerprint = fingerprintOf(fingerprintParts(event, finding));
    const group = groups.get(fingerprint);
    if (!group) {
      groups.set(fingerprint, {
        fingerprint,
        finding,
        event,
        count: 1,
        firstSeen: finding.eventTime,
        lastSeen: finding.eventTime,
      });
      continue;
    }
    group.count++;
    const time = finding.eventTime;
    // ISO-8601 UTC times (as CloudTrail writes them) order as strings.
    if (time !== '' && (group.firstSeen === '' || time < group.firstSeen)) group.firstSeen = time;
    if (time !== '' && (group.lastSeen === '' || time > group.lastSeen)) group.lastSeen = time;
  }
  return [...groups.values()];
}

/** "×37, first 2026-05-01T12:00:00Z, last 2026-05-01T12:41:07Z" for a group of more than one. */
export function occurrenceText(group: Pick<FindingGroup, 'count' | 'firstSeen' | 'lastSeen'>): string {
  const times =
    group.firstSeen === ''
      ? ''
      : group.firstSeen === group.lastSeen
        ? `, all at ${group.firstSeen}`
        : `, first ${group.firstSeen}, last ${group.lastSeen}`;
  return `×${group.count}${times}`;
}
