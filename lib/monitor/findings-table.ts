import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { FINDINGS_TABLE_SCHEMA, type KeyAttribute } from '../findings-table-schema';

/**
 * The findings table, built from the shared key schema so the construct and the dynalite tests can never drift.
 *
 * Encryption: the AWS managed key (aws/dynamodb). Access to findings is already gated by IAM on the table; a
 * customer managed key would add a second policy to keep in sync and a monthly key cost without narrowing who
 * can read, while the AWS managed key still records every use of the key in CloudTrail (the AWS owned default
 * does not).
 */
export function createFindingsTable(scope: Construct, id: string): dynamodb.TableV2 {
  return new dynamodb.TableV2(scope, id, {
    partitionKey: toAttribute(FINDINGS_TABLE_SCHEMA.partitionKey),
    sortKey: toAttribute(FINDINGS_TABLE_SCHEMA.sortKey),
    timeToLiveAttribute: FINDINGS_TABLE_SCHEMA.timeToLiveAttribute,
    globalSecondaryIndexes: FINDINGS_TABLE_SCHEMA.globalSecondaryIndexes.map((index) => ({
      indexName: index.indexName,
      partitionKey: toAttribute(index.partitionKey),
      sortKey: toAttribute(index.sortKey),
      // Queries on every index return whole findings; projecting ALL avoids a second GetItem per result.
      projectionType: dynamodb.ProjectionType.ALL,
    })),
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    // Findings are an audit record: destroying the stack must not destroy them.
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

function toAttribute(attribute: KeyAttribute): dynamodb.Attribute {
  const type = attribute.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER;
  return { name: attribute.name, type };
}
