import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The one DynamoDB client method the history uses. */
export type DocumentSender = Pick<DynamoDBDocumentClient, 'send'>;

/** Where the history writes: a document client and the findings table's name. */
export interface HistoryTable {
  db: DocumentSender;
  tableName: string;
}
