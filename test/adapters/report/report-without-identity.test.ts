import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { queryProblems } from '../../../src/adapters/history/findings-query';
import type { FindingsSource } from '../../../src/adapters/history/findings-source';
import { SqliteFindingsStore, type StoredOccurrence } from '../../../src/adapters/local-store/sqlite-findings-store';
import { gatherReport } from '../../../src/adapters/report/report-data';

/**
 * A Lambda that stops between saving the finding and claiming the notification leaves an aggregate without its
 * identity (the claim writes it). The report must still list the problem, with the role, caller and cause of its
 * events, instead of failing. The store is real; only its aggregate is read back without the identity.
 */
test('a problem whose aggregate has no identity yet, or no aggregate at all, is reported from its events', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-report-'));
  const store = SqliteFindingsStore.open(path.join(dir, 'findings.db'));
  try {
    const identity = {
      caller: 'arn:aws:iam::111111111111:user/ci',
      role: 'arn:aws:iam::222222222222:role/deploy',
      cause: 'IDENTITY_NO_ALLOW',
      conditionKey: '',
    };
    const occurrence = {
      eventId: 'e1',
      eventTime: '2026-12-01T10:00:00Z',
      eventDay: '2026-12-01',
      roleArn: identity.role,
      callerArn: identity.caller,
      cause: identity.cause,
      fingerprint: 'fp-1',
      summary: 'no identity-based policy allows sts:AssumeRole',
      severity: 'medium',
      expiresAt: 1_900_000_000,
    } as unknown as StoredOccurrence;
    store.record([{ occurrence, identity, latestFinding: { eventId: 'e1' } }]);
    const withoutIdentity: FindingsSource = {
      label: store.label,
      queryIndexPage: (request) => store.queryIndexPage(request),
      loadFingerprint: async (fingerprint) => {
        const record = await store.loadFingerprint(fingerprint);
        const { identity: _dropped, ...aggregate } = record.aggregate ?? ({} as never);
        return { ...record, aggregate: aggregate as never };
      },
    };
    const now = Date.parse('2026-12-02T00:00:00Z');
    const report = await gatherReport(withoutIdentity, {}, now);
    expect(report.problems).toEqual([
      expect.objectContaining({
        fingerprint: 'fp-1',
        count: 1,
        cause: identity.cause,
        role: identity.role,
        caller: identity.caller,
      }),
    ]);

    // No aggregate at all (only the counted buckets): the report and `findings --problems` still list the problem,
    // the same row from the same code, its summary and severity taken from the bucket.
    const noAggregate: FindingsSource = {
      ...withoutIdentity,
      loadFingerprint: async (fingerprint) => ({ ...(await store.loadFingerprint(fingerprint)), aggregate: undefined }),
    };
    const [reported] = (await gatherReport(noAggregate, {}, now)).problems;
    const [listed] = (await queryProblems(noAggregate, { limit: 10 }, now)).problems;
    expect(reported).toMatchObject({
      fingerprint: 'fp-1',
      count: 1,
      cause: identity.cause,
      role: identity.role,
      summary: occurrence.summary,
      severity: 'medium',
      firstSeen: '2026-12-01T10:00:00Z',
    });
    expect(listed).toEqual(reported);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
