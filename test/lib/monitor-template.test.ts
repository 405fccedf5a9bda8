import { Match } from 'aws-cdk-lib/assertions';
import { FINDINGS_TABLE_SCHEMA } from '../../lib/findings-table-schema';
import {
  type CfnTemplate,
  onlyResourceOfType,
  renderCfn,
  resourcesOfType,
  type SynthesizedTrustGap,
  synthesizeTrustGap,
  topicsOf,
} from './synth-trustgap';

/** Default configuration: no context at all, as after a fresh clone. */
let synthesized: SynthesizedTrustGap;
let json: CfnTemplate;
beforeAll(() => {
  synthesized = synthesizeTrustGap();
  json = synthesized.json;
});

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

describe('synthesized resources', () => {
  it('has exactly the expected resources, by type', () => {
    const counts: Record<string, number> = {};
    for (const resource of Object.values(json.Resources)) counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
    // `cdk synth` adds one AWS::CDK::Metadata resource (version reporting), which test apps leave out.
    expect(counts).toEqual({
      'AWS::CloudWatch::Alarm': 3,
      'AWS::CloudWatch::Dashboard': 1,
      'AWS::DynamoDB::GlobalTable': 1,
      'AWS::Events::Rule': 1,
      'AWS::IAM::Policy': 1,
      'AWS::IAM::Role': 1,
      'AWS::KMS::Key': 2,
      'AWS::Lambda::EventInvokeConfig': 1,
      'AWS::Lambda::Function': 1,
      'AWS::Lambda::Permission': 1,
      'AWS::Logs::LogGroup': 1,
      'AWS::SNS::Topic': 2,
      'AWS::SNS::TopicPolicy': 2,
      'AWS::SQS::Queue': 1,
      'AWS::SQS::QueuePolicy': 1,
    });
  });

  it('creates no email subscription and no Slack channel without context', () => {
    synthesized.template.resourceCountIs('AWS::SNS::Subscription', 0);
    synthesized.template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });
});

describe('EventBridge rule', () => {
  it('matches failed STS role assumptions on the default bus, in the state that receives read-only management events', () => {
    const [, rule] = onlyResourceOfType(json, 'AWS::Events::Rule');
    expect(rule.Properties!.EventBusName).toBeUndefined(); // default bus
    expect(rule.Properties!.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rule.Properties!.EventPattern).toEqual({
      source: ['aws.sts'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['sts.amazonaws.com'],
        eventName: [{ prefix: 'AssumeRole' }, 'AssumeRoot'],
        errorCode: [{ exists: true }],
      },
    });
  });

  it('targets the handler with an explicit retry policy and the dead-letter queue', () => {
    const [functionId] = onlyResourceOfType(json, 'AWS::Lambda::Function');
    const [queueId] = onlyResourceOfType(json, 'AWS::SQS::Queue');
    const [, rule] = onlyResourceOfType(json, 'AWS::Events::Rule');
    expect(rule.Properties!.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: arnOf(functionId),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: arnOf(queueId) },
      },
    ]);
  });

  it('lets only this rule invoke the handler', () => {
    const [functionId] = onlyResourceOfType(json, 'AWS::Lambda::Function');
    const [ruleId] = onlyResourceOfType(json, 'AWS::Events::Rule');
    const [, permission] = onlyResourceOfType(json, 'AWS::Lambda::Permission');
    expect(permission.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(functionId),
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf(ruleId),
    });
  });
});

describe('dead-letter queue', () => {
  it('is encrypted (SQS managed SSE) and keeps messages 14 days', () => {
    const [, queue] = onlyResourceOfType(json, 'AWS::SQS::Queue');
    expect(queue.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });

  it('denies non-TLS access and accepts messages from events.amazonaws.com for this rule only', () => {
    const [queueId] = onlyResourceOfType(json, 'AWS::SQS::Queue');
    const [ruleId] = onlyResourceOfType(json, 'AWS::Events::Rule');
    const [, policy] = onlyResourceOfType(json, 'AWS::SQS::QueuePolicy');
    expect(policy.Properties!.Queues).toEqual([ref(queueId)]);
    const statements = policy.Properties!.PolicyDocument.Statement;
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sqs:*',
      Resource: arnOf(queueId),
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: arnOf(queueId),
        Condition: { ArnEquals: { 'aws:SourceArn': arnOf(ruleId) } },
      }),
    );
  });
});

describe('handler function', () => {
  it('runs the bundled handler on Node 24, ARM64, with bounded concurrency and JSON logs in its own log group', () => {
    const [roleId] = onlyResourceOfType(json, 'AWS::IAM::Role');
    const [logGroupId] = onlyResourceOfType(json, 'AWS::Logs::LogGroup');
    const [, fn] = onlyResourceOfType(json, 'AWS::Lambda::Function');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 60,
      ReservedConcurrentExecutions: 5,
      Role: arnOf(roleId),
      LoggingConfig: {
        LogFormat: 'JSON',
        LogGroup: ref(logGroupId),
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
      },
    });
    expect(fn.Properties!.Code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  });

  it('gets the table, topic and pipeline settings through environment variables', () => {
    const [tableId] = onlyResourceOfType(json, 'AWS::DynamoDB::GlobalTable');
    const topicId = topicsOf(json).findings;
    const [, fn] = onlyResourceOfType(json, 'AWS::Lambda::Function');
    // No TRUSTGAP_DEPLOYMENT: the single-account deployment ("account") is the runtime's default.
    expect(fn.Properties!.Environment.Variables).toEqual({
      FINDINGS_TABLE_NAME: ref(tableId),
      FINDINGS_TOPIC_ARN: ref(topicId),
      POWERTOOLS_SERVICE_NAME: 'trustgap',
      POWERTOOLS_METRICS_NAMESPACE: 'TrustGap',
      NOTIFY_QUIET_WINDOW_MINUTES: '60',
      OCCURRENCE_TTL_DAYS: '90',
      DLQ_RETENTION_SECONDS: '1209600',
      MAX_EVENT_AGE_SECONDS: '25200',
    });
  });

  it('keeps its logs for the configured retention', () => {
    const [, logGroup] = onlyResourceOfType(json, 'AWS::Logs::LogGroup');
    expect(logGroup.Properties).toEqual({ RetentionInDays: 30 });
  });

  it('sends invocations that still fail after two async retries, or waited over six hours, to the dead-letter queue', () => {
    const [functionId] = onlyResourceOfType(json, 'AWS::Lambda::Function');
    const [queueId] = onlyResourceOfType(json, 'AWS::SQS::Queue');
    const [, config] = onlyResourceOfType(json, 'AWS::Lambda::EventInvokeConfig');
    expect(config.Properties).toEqual({
      FunctionName: ref(functionId),
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
    });
  });
});

describe('findings topic, operations topic and their keys', () => {
  it('encrypts each topic with its own customer managed key that rotates', () => {
    const topics = topicsOf(json);
    expect(topics.findingsKey).not.toBe(topics.opsKey);
    for (const keyId of [topics.findingsKey, topics.opsKey]) {
      expect(json.Resources[keyId].Properties!.EnableKeyRotation).toBe(true);
    }
  });

  const serviceStatements = (keyId: string) =>
    (json.Resources[keyId].Properties!.KeyPolicy.Statement as any[]).filter(
      (statement) => statement.Principal.Service !== undefined,
    );

  it("lets CloudWatch alarms of this account use the operations topic's key, and no service use the findings key", () => {
    const topics = topicsOf(json);
    expect(serviceStatements(topics.opsKey)).toEqual([
      {
        Sid: 'AllowCloudWatchAlarmsToPublishToThisTopic',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
      },
    ]);
    expect(serviceStatements(topics.findingsKey)).toEqual([]);
    // The only other statement is CDK's account-root statement that delegates key access to IAM policies.
    for (const keyId of [topics.findingsKey, topics.opsKey]) {
      const others = (json.Resources[keyId].Properties!.KeyPolicy.Statement as any[]).filter(
        (statement) => statement.Principal.Service === undefined,
      );
      expect(others).toHaveLength(1);
      expect(renderCfn(others[0].Principal.AWS)).toBe('arn:<AWS::Partition>:iam::<AWS::AccountId>:root');
    }
  });

  const policyOf = (topicId: string) => {
    const policies = resourcesOfType(json, 'AWS::SNS::TopicPolicy').filter(([, policy]) =>
      (policy.Properties!.Topics as any[]).some((topic) => topic.Ref === topicId),
    );
    expect(policies).toHaveLength(1);
    return policies[0][1].Properties!.PolicyDocument.Statement as any[];
  };

  it.each(['findings', 'ops'] as const)('the %s topic refuses publishing without TLS', (which) => {
    const topicId = topicsOf(json)[which];
    expect(policyOf(topicId)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: ref(topicId),
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it("lets only this account's alarms publish to the operations topic as a service, and nobody to the findings topic", () => {
    const topics = topicsOf(json);
    expect(policyOf(topics.findings).filter((statement) => statement.Effect === 'Allow')).toEqual([]);
    const statements = policyOf(topics.ops);
    expect(statements).toHaveLength(2);
    const alarms = statements.find((statement) => statement.Effect === 'Allow');
    expect(alarms).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: ref(topics.ops),
    });
    expect(alarms.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ref('AWS::AccountId') });
    expect(renderCfn(alarms.Condition.ArnLike['aws:SourceArn'])).toBe(
      'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
    );
  });
});

describe('findings table', () => {
  it('uses the shared key schema, on-demand billing and the TTL attribute', () => {
    const [, table] = onlyResourceOfType(json, 'AWS::DynamoDB::GlobalTable');
    const properties = table.Properties!;
    expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(properties.KeySchema).toEqual([
      { AttributeName: FINDINGS_TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: FINDINGS_TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(properties.TimeToLiveSpecification).toEqual({
      AttributeName: FINDINGS_TABLE_SCHEMA.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('has exactly the global secondary indexes of FINDINGS_TABLE_SCHEMA, with correctly typed attributes', () => {
    const [, table] = onlyResourceOfType(json, 'AWS::DynamoDB::GlobalTable');
    const properties = table.Properties!;
    expect(properties.GlobalSecondaryIndexes).toEqual(
      FINDINGS_TABLE_SCHEMA.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const expectedAttributes = new Map<string, string>();
    for (const key of [
      FINDINGS_TABLE_SCHEMA.partitionKey,
      FINDINGS_TABLE_SCHEMA.sortKey,
      ...FINDINGS_TABLE_SCHEMA.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ]) {
      expectedAttributes.set(key.name, key.type);
    }
    expect(new Map(properties.AttributeDefinitions.map((a: any) => [a.AttributeName, a.AttributeType]))).toEqual(
      expectedAttributes,
    );
  });

  it('is protected: point-in-time recovery, deletion protection, retained on stack deletion, encrypted with KMS', () => {
    const [, table] = onlyResourceOfType(json, 'AWS::DynamoDB::GlobalTable');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties!.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties!.Replicas).toEqual([
      expect.objectContaining({
        Region: ref('AWS::Region'),
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    ]);
  });
});

describe('alarms', () => {
  const alarmOn = (namespace: string, metricName: string) => {
    const matches = Object.values(json.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::CloudWatch::Alarm' &&
        resource.Properties!.Namespace === namespace &&
        resource.Properties!.MetricName === metricName,
    );
    expect(matches).toHaveLength(1);
    return matches[0].Properties!;
  };

  it.each([
    ['AWS/Lambda', 'Errors', 'Sum'],
    ['AWS/Lambda', 'Throttles', 'Sum'],
    ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum'],
  ])(
    '%s %s > 0 notifies the operations topic (not the findings topic) and treats missing data as not breaching',
    (namespace, metricName, statistic) => {
      const topicId = topicsOf(json).ops;
      const alarm = alarmOn(namespace, metricName);
      expect(alarm).toMatchObject({
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        Period: 300,
        Statistic: statistic,
        TreatMissingData: 'notBreaching',
        AlarmActions: [ref(topicId)],
      });
    },
  );

  it('watches the handler and the dead-letter queue', () => {
    const [functionId] = onlyResourceOfType(json, 'AWS::Lambda::Function');
    const [queueId] = onlyResourceOfType(json, 'AWS::SQS::Queue');
    expect(alarmOn('AWS/Lambda', 'Errors').Dimensions).toEqual([{ Name: 'FunctionName', Value: ref(functionId) }]);
    expect(alarmOn('AWS/Lambda', 'Throttles').Dimensions).toEqual([{ Name: 'FunctionName', Value: ref(functionId) }]);
    expect(alarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible').Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } },
    ]);
  });
});

describe('dashboard', () => {
  const widgets = (): any[] => {
    const [, dashboard] = onlyResourceOfType(json, 'AWS::CloudWatch::Dashboard');
    // The body is a Fn::Join of literal JSON and tokens; rendering tokens as <...> strings keeps it parseable.
    return JSON.parse(renderCfn(dashboard.Properties!.DashboardBody)).widgets;
  };

  it('graphs findings by cause with a SEARCH over the TrustGap Findings metric', () => {
    const findings = widgets().find((widget) => widget.properties.title === 'Findings by cause');
    expect(findings.properties.metrics).toEqual([
      [
        {
          expression: `SEARCH('{TrustGap,cause,service} MetricName="Findings"', 'Sum', 300)`,
          label: "${PROP('Dim.cause')}",
        },
      ],
    ]);
  });

  it('graphs the handler invocations, errors and duration', () => {
    const titles = widgets().map((widget) => widget.properties.title);
    expect(titles).toEqual(['Findings by cause', 'Invocations', 'Errors and throttles', 'Duration', 'Alarms']);
    const metricNames = (title: string) =>
      widgets()
        .find((widget) => widget.properties.title === title)
        .properties.metrics.map((metric: unknown[]) => metric.slice(0, 2).join(' '));
    expect(metricNames('Invocations')).toEqual(['AWS/Lambda Invocations']);
    expect(metricNames('Errors and throttles')).toEqual(['AWS/Lambda Errors', 'AWS/Lambda Throttles']);
    expect(metricNames('Duration')).toEqual(['AWS/Lambda Duration', 'AWS/Lambda Duration', 'AWS/Lambda Duration']);
  });
});

describe('outputs', () => {
  it('gives the topic ARNs, the table name and a partition-aware dashboard URL', () => {
    const topicId = topicsOf(json).findings;
    expect(json.Outputs!.OpsTopicArn.Value).toEqual(ref(topicsOf(json).ops));
    const [tableId] = onlyResourceOfType(json, 'AWS::DynamoDB::GlobalTable');
    const [dashboardId] = onlyResourceOfType(json, 'AWS::CloudWatch::Dashboard');
    expect(json.Outputs!.FindingsTopicArn.Value).toEqual(ref(topicId));
    expect(json.Outputs!.FindingsTableName.Value).toEqual(ref(tableId));
    const url = json.Outputs!.DashboardUrl.Value as any;
    const [mappingName] = Object.keys(json.Mappings!);
    expect(renderCfn(url)).toBe(
      `https://<FindInMap ${mappingName} <AWS::Partition> host>/cloudwatch/home?region=<AWS::Region>#dashboards/dashboard/<${dashboardId}>`,
    );
    expect(json.Mappings![mappingName]).toEqual({
      aws: { host: 'console.aws.amazon.com' },
      'aws-cn': { host: 'console.amazonaws.cn' },
      'aws-us-gov': { host: 'console.amazonaws-us-gov.com' },
    });
  });

  it('synthesizes an environment-agnostic stack (no account or region baked in)', () => {
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      Code: { S3Bucket: { 'Fn::Sub': Match.stringLikeRegexp('\\$\\{AWS::AccountId\\}-\\$\\{AWS::Region\\}') } },
    });
  });
});
