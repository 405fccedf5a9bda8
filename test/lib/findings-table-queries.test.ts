import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { FINDINGS_TABLE_SCHEMA } from '../../lib/findings-table-schema';
import { type LocalDynamo, startDynalite } from '../support/dynalite';

/**
 * Runs every `aws dynamodb query` command of docs/deploy.md, word for word, against a local DynamoDB (dynalite)
 * whose table is built from FINDINGS_TABLE_SCHEMA. The command line is parsed with shell quoting rules and
 * translated flag by flag to the Query API call the AWS CLI makes; an unknown flag fails the test, so the docs
 * can only use flags this translation understands.
 */

const DOCS = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');

/** Splits one shell command line into words: '…' is literal, "…" expands $VAR and honours \" \\ \$, bare words expand $VAR. */
function shellWords(line: string, variables: Record<string, string>): string[] {
  const words: string[] = [];
  let current: string | undefined;
  const append = (text: string) => {
    current = (current ?? '') + text;
  };
  const expand = (text: string) =>
    text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_match, name: string) => {
      if (!(name in variables)) throw new Error(`undefined shell variable $${name}`);
      return variables[name];
    });
  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (/\s/.test(char)) {
      if (current !== undefined) words.push(current);
      current = undefined;
      index += 1;
    } else if (char === "'") {
      const end = line.indexOf("'", index + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      append(line.slice(index + 1, end));
      index = end + 1;
    } else if (char === '"') {
      let text = '';
      index += 1;
      while (index < line.length && line[index] !== '"') {
        if (line[index] === '\\' && ['"', '\\', '$'].includes(line[index + 1])) {
          text += line[index + 1] === '$' ? '\u0000' : line[index + 1];
          index += 2;
        } else {
          text += line[index];
          index += 1;
        }
      }
      if (index >= line.length) throw new Error(`unterminated " in: ${line}`);
      append(expand(text).replace(/\u0000/g, '$'));
      index += 1;
    } else {
      let end = index;
      while (end < line.length && !/[\s'"]/.test(line[end])) end += 1;
      append(expand(line.slice(index, end)));
      index = end;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}

/** The Query request `aws dynamodb query <words>` sends (client-side flags --query/--output are display only). */
function toQueryInput(words: string[]): QueryCommandInput {
  expect(words.slice(0, 3)).toEqual(['aws', 'dynamodb', 'query']);
  const input: Partial<QueryCommandInput> = {};
  for (let index = 3; index < words.length; index += 1) {
    const flag = words[index];
    const value = () => {
      index += 1;
      return words[index];
    };
    switch (flag) {
      case '--table-name':
        input.TableName = value();
        break;
      case '--index-name':
        input.IndexName = value();
        break;
      case '--key-condition-expression':
        input.KeyConditionExpression = value();
        break;
      case '--expression-attribute-values':
        input.ExpressionAttributeValues = JSON.parse(value());
        break;
      case '--no-scan-index-forward':
        input.ScanIndexForward = false;
        break;
      case '--max-items':
        // CLI pagination: stops after N items. One page of N returns the same first N items.
        input.Limit = Number(value());
        break;
      case '--query':
      case '--output':
        value();
        break;
      default:
        throw new Error(`flag ${flag} is not understood by this test; keep docs/deploy.md to the flags above`);
    }
  }
  return input as QueryCommandInput;
}

interface DocumentedQuery {
  words: string[];
  variables: Record<string, string>;
}

/** Each `aws dynamodb query` of the docs, with the shell variables assigned above it in the same code block. */
function documentedQueries(tableName: string): DocumentedQuery[] {
  const blocks = [...DOCS.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1].replace(/\\\n\s*/g, ' '));
  const queries: DocumentedQuery[] = [];
  for (const block of blocks) {
    const variables: Record<string, string> = { TABLE: tableName };
    for (const line of block.split('\n')) {
      const assignment = /^([A-Z_]+)=([^$\s]+)$/.exec(line.trim());
      if (assignment) variables[assignment[1]] = assignment[2];
      if (line.trim().startsWith('aws dynamodb query'))
        queries.push({ words: shellWords(line.trim(), variables), variables: { ...variables } });
    }
  }
  return queries;
}

const occurrence = (eventId: string, roleArn: string, callerArn: string, cause: string, eventTime: string) => ({
  pk: `OCC#${eventId}`,
  sk: 'OCC',
  type: 'occurrence',
  eventId,
  roleArn,
  callerArn,
  cause,
  eventTime,
  eventDay: eventTime.slice(0, 10),
  summary: `${cause} for ${callerArn} → ${roleArn}`,
  [FINDINGS_TABLE_SCHEMA.timeToLiveAttribute]: Math.floor(Date.parse(eventTime) / 1000) + 90 * 86400,
});

const ADMIN = 'arn:aws:iam::111111111111:role/Admin';
const DEPLOY = 'arn:aws:iam::111111111111:role/Deploy';
const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:iam::111111111111:user/bob';
const GITHUB = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';

const SEEDED = [
  occurrence('e1', ADMIN, ALICE, 'TRUST_PRINCIPAL_MISSING', '2025-06-17T10:00:00Z'),
  occurrence('e2', ADMIN, BOB, 'TRUST_CONDITION_FAILED', '2025-06-17T11:00:00Z'),
  occurrence('e3', ADMIN, ALICE, 'IDENTITY_NO_ALLOW', '2025-05-30T09:00:00Z'),
  occurrence('e4', DEPLOY, ALICE, 'TRUST_CONDITION_FAILED', '2025-06-16T08:00:00Z'),
  occurrence('e5', DEPLOY, GITHUB, 'TOKEN_EXPIRED', '2025-06-17T12:00:00Z'),
  // Aggregates carry none of the index keys, so they never show up in an index (sparse indexes).
  {
    pk: 'FP#0f1e2d',
    sk: 'AGG',
    type: 'aggregate',
    count: 2,
    firstSeen: '2025-06-17T10:00:00Z',
    lastSeen: '2025-06-17T11:00:00Z',
  },
];

let dynamo: LocalDynamo;
let tableName: string;
beforeAll(async () => {
  dynamo = await startDynalite();
  tableName = await dynamo.createFindingsTable('docs-queries');
  for (const item of SEEDED) await dynamo.documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
});
afterAll(async () => {
  await dynamo?.stop();
});

it('the docs show one query per index, in the order of the index table', () => {
  const indexes = documentedQueries('T').map(({ words }) => toQueryInput(words).IndexName);
  expect(indexes).toEqual(FINDINGS_TABLE_SCHEMA.globalSecondaryIndexes.map((index) => index.indexName));
});

it.each([
  ['byRole', ['e2', 'e1']],
  ['byCaller', ['e1', 'e4']],
  ['byCause', ['e2', 'e4']],
  ['byDay', ['e5', 'e2', 'e1']],
])('the documented %s query returns the matching findings, newest first', async (indexName, expectedEventIds) => {
  const query = documentedQueries(tableName).find(({ words }) => toQueryInput(words).IndexName === indexName)!;
  const input = toQueryInput(query.words);
  expect(input.TableName).toBe(tableName);
  const { Items } = await dynamo.client.send(new QueryCommand(input));
  expect((Items ?? []).map((item) => item.eventId.S)).toEqual(expectedEventIds);
});

describe('shellWords', () => {
  it('follows shell quoting', () => {
    expect(shellWords(`a 'b c' "d \\"e\\" $X" f$X '$X'`, { X: 'x' })).toEqual(['a', 'b c', 'd "e" x', 'fx', '$X']);
  });

  it('refuses an undefined variable rather than expanding it to nothing', () => {
    expect(() => shellWords('"$NOPE"', {})).toThrow(/undefined shell variable/);
  });
});
