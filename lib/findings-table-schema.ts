/**
 * The findings table's key schema, in one place. The CDK construct builds the TableV2 from it and the
 * integration tests create the dynalite table from it, so the two can never drift apart.
 *
 * Item types share the table (single-table design):
 *  - occurrence: one per CloudTrail eventID, pk = "OCC#<eventId>", sk = "OCC". Carries the GSI attributes below.
 *  - aggregate:  one per finding fingerprint, pk = "FP#<fingerprint>", sk = "AGG". Holds count/firstSeen/lastSeen.
 * The GSIs are sparse: only items that carry the index's partition-key attribute appear in it.
 */
export type KeyAttributeType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: KeyAttributeType;
}

export interface GlobalIndexSchema {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** What a user asks of this index. */
  purpose: string;
}

export interface FindingsTableSchema {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  timeToLiveAttribute: string;
  globalSecondaryIndexes: GlobalIndexSchema[];
}

export const FINDINGS_TABLE_SCHEMA: FindingsTableSchema = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    {
      indexName: 'byRole',
      partitionKey: { name: 'roleArn', type: 'S' },
      sortKey: { name: 'eventTime', type: 'S' },
      purpose: 'findings for one role over time',
    },
    {
      indexName: 'byCaller',
      partitionKey: { name: 'callerArn', type: 'S' },
      sortKey: { name: 'eventTime', type: 'S' },
      purpose: 'findings for one caller over time',
    },
    {
      indexName: 'byCause',
      partitionKey: { name: 'cause', type: 'S' },
      sortKey: { name: 'eventTime', type: 'S' },
      purpose: 'findings with one cause over time',
    },
    {
      indexName: 'byDay',
      partitionKey: { name: 'eventDay', type: 'S' },
      sortKey: { name: 'eventTime', type: 'S' },
      purpose: 'latest findings across the account (eventDay = YYYY-MM-DD, walked backwards from today)',
    },
  ],
};
