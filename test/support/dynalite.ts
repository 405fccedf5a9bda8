/**
 * A real DynamoDB-protocol server for the integration tests: dynalite, in-process, in memory, on a free port,
 * with the findings table created from the same schema object the CDK stack reads.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FINDINGS_TABLE_SCHEMA } from '../../lib/findings-table-schema';
import { createTableInputFromSchema } from '../../src/adapters/history/create-table-input';

// dynalite ships no types; its default export builds an http.Server.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  /** Creates a fresh findings table (unique name) from FINDINGS_TABLE_SCHEMA and waits until it is ACTIVE. */
  createFindingsTable(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Static test credentials: dynalite does not check signatures, but the SDK needs something to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
export const LOCAL_REGION = 'us-east-1';

let tableCounter = 0;

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

  async function createFindingsTable(prefix = 'findings'): Promise<string> {
    tableCounter += 1;
    const tableName = `${prefix}-${process.pid}-${tableCounter}`;
    await client.send(new CreateTableCommand(createTableInputFromSchema(FINDINGS_TABLE_SCHEMA, tableName)));
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return tableName;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`dynalite table ${tableName} did not become ACTIVE`);
  }

  async function stop(): Promise<void> {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return { endpoint, client, documentClient, createFindingsTable, stop };
}
