import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { FindingsTableSchema } from '../../../lib/findings-table-schema';

/**
 * Maps the shared findings-table key schema (lib/findings-table-schema.ts, also read by the CDK construct) to a
 * DynamoDB CreateTable request. The integration tests and the pipeline bench create their dynalite table through
 * this, so their table can never drift from the deployed one. On-demand billing, like the stack; all GSIs project
 * ALL attributes because `trustgap findings` prints the occurrence items straight from the index.
 */
export function createTableInputFromSchema(schema: FindingsTableSchema, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const declare = (name: string, type: 'S' | 'N'): void => {
    const known = attributes.get(name);
    if (known !== undefined && known !== type) {
      throw new Error(`findings table schema declares attribute ${name} as both ${known} and ${type}`);
    }
    attributes.set(name, type);
  };
  declare(schema.partitionKey.name, schema.partitionKey.type);
  declare(schema.sortKey.name, schema.sortKey.type);
  for (const index of schema.globalSecondaryIndexes) {
    declare(index.partitionKey.name, index.partitionKey.type);
    declare(index.sortKey.name, index.sortKey.type);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: schema.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: schema.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: schema.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
