import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryTable } from './history-table';
import { aggregateKey, type FingerprintIdentity, findingKey } from './items';

export interface FingerprintDescription {
  identity: FingerprintIdentity;
  firstSeen: string;
  summary: string;
  severity: string;
  expiresAt: number;
}

/**
 * Gives a fingerprint's aggregate what `trustgap findings --problems` and the report show (identity, summary,
 * severity, a first-seen fallback) when no notification claim has set them: `trustgap scan --table` counts without
 * notifying. Only absent attributes are set, and none of the notification state is touched, so the live monitor's
 * first notification of the fingerprint is still due (its claim requires no lastNotifiedAt). Idempotent.
 */
export async function describeFingerprint(
  table: HistoryTable,
  fingerprint: string,
  description: FingerprintDescription,
): Promise<void> {
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: aggregateKey(fingerprint),
      UpdateExpression:
        'SET #type = :agg, fingerprint = :fp, #identity = if_not_exists(#identity, :identity), ' +
        'firstSeen = if_not_exists(firstSeen, :first), #summary = if_not_exists(#summary, :summary), ' +
        'severity = if_not_exists(severity, :severity), expiresAt = if_not_exists(expiresAt, :exp)',
      ExpressionAttributeNames: { '#type': 'type', '#identity': 'identity', '#summary': 'summary' },
      ExpressionAttributeValues: {
        ':agg': 'aggregate',
        ':fp': fingerprint,
        ':identity': description.identity,
        ':first': description.firstSeen,
        ':summary': description.summary,
        ':severity': description.severity,
        ':exp': description.expiresAt,
      },
    }),
  );
}

/** The eventTime of the event whose finding is stored as the fingerprint's latest (undefined: none stored). */
export async function latestFindingEventTime(table: HistoryTable, fingerprint: string): Promise<string | undefined> {
  const out = await table.db.send(
    new GetCommand({
      TableName: table.tableName,
      Key: findingKey(fingerprint),
      ProjectionExpression: 'findingEventTime',
      ConsistentRead: true,
    }),
  );
  return out.Item?.findingEventTime as string | undefined;
}
