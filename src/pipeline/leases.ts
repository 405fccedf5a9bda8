/**
 * Lease and retention arithmetic of the exactly-once design (docs/pipeline.md, "Exactly once").
 *
 * A claim (the notification of a fingerprint, the count of a cross-account call) is held until the claiming
 * invocation's deadline plus LEASE_MARGIN_MS; only then may another container take it over. Both ends of that
 * comparison are read from different machines' clocks, so the margin must exceed the worst clock difference
 * between two Lambda execution environments. Lambda runs on EC2 (Firecracker microVMs), whose clocks the Amazon
 * Time Sync Service disciplines (EC2 User Guide, "Precision clock and time synchronization on your EC2 instance":
 * satellite-connected and atomic reference clocks in each Region; leap seconds are smeared, so a smeared and an
 * unsmeared clock can differ by up to a second during a smear). AWS publishes no bound for a Lambda container's
 * clock; the only hard limit is SigV4's 5-minute signature window, far too wide for a lease. The audit of issue 9
 * showed a container 8 s ahead: 30 s covers that more than three times over. A longer margin only delays a
 * takeover after a crash, and Lambda's own retries of a failed event come a minute or more later anyway.
 */
export const LEASE_MARGIN_MS = 30_000;

/** Lambda's function timeout for the handler (lib/denied-assume-role-monitor.ts). */
export const FUNCTION_TIMEOUT_SECONDS = 60;

export interface RetentionInputs {
  /** How long the dead-letter queue keeps a failed event (SQS MessageRetentionPeriod), in seconds. */
  dlqRetentionSeconds: number;
  /** The asynchronous invocation's maximum event age (Lambda MaximumEventAgeInSeconds), in seconds. */
  maxEventAgeSeconds: number;
}

/**
 * The shortest occurrence (bucket) TTL, in whole days, that keeps exactly-once counting across a DLQ redrive. A
 * bucket's `ids` are what make a second delivery of an eventID a duplicate; if the bucket expired first, a redriven
 * event would be counted again. The longest an event can take from its first counted attempt to its last possible
 * attempt is: Lambda keeps retrying it for up to the maximum event age, then the DLQ holds it for its retention,
 * then a redrive runs it (once more, plus its own timeout); on top, the lease margin. DynamoDB deletes expired
 * items only eventually, which can only make them live longer, never shorter. Rounded up to whole days, plus one
 * day so that the check is not an exact-to-the-second race.
 */
export function minimumOccurrenceTtlDays(inputs: RetentionInputs): number {
  const seconds =
    inputs.maxEventAgeSeconds + inputs.dlqRetentionSeconds + FUNCTION_TIMEOUT_SECONDS + LEASE_MARGIN_MS / 1000;
  return Math.ceil(seconds / 86_400) + 1;
}
