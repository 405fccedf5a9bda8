import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { DeniedAssumeRoleMonitor } from '../../lib/denied-assume-role-monitor';
import { CONTEXT_KEYS, type ContextKey, readContextSettings } from '../../lib/monitor/context-settings';
import { LOG_RETENTION_DAYS, MONITOR_DEFAULTS, minimumOccurrenceTtlDays } from '../../lib/monitor/settings';
import { TrustGapStack } from '../../lib/trustgap-stack';
import { type CfnTemplate, onlyResourceOfType, resourcesOfType, synthesizeTrustGap, topicsOf } from './synth-trustgap';

const read = (context: Partial<Record<ContextKey, unknown>>) => readContextSettings((key) => context[key]);

describe('readContextSettings', () => {
  it('leaves every setting to the construct defaults when no key is set', () => {
    expect(read({})).toEqual({});
  });

  it('treats an empty value (-c key=) as unset', () => {
    expect(read({ alertEmails: '', reservedConcurrency: ' ', slackWorkspaceId: '' })).toEqual({});
  });

  it('parses -c strings into the monitor settings', () => {
    expect(
      read({
        alertEmails: ' secops@example.com , platform@example.com ',
        slackWorkspaceId: 'T0123ABCD',
        slackChannelId: 'C0123ABCD',
        reservedConcurrency: '3',
        logRetentionDays: '90',
        notifyQuietWindowMinutes: '5',
        occurrenceTtlDays: '30',
        maxEventAgeSeconds: '7200',
        retryAttempts: '4',
      }),
    ).toEqual({
      alertEmails: ['secops@example.com', 'platform@example.com'],
      slackWorkspaceId: 'T0123ABCD',
      slackChannelId: 'C0123ABCD',
      reservedConcurrentExecutions: 3,
      logRetentionDays: 90,
      notifyQuietWindowMinutes: 5,
      occurrenceTtlDays: 30,
      maxEventAgeSeconds: 7200,
      retryAttempts: 4,
    });
  });

  it('accepts numbers and arrays as cdk.json would hold them', () => {
    expect(read({ alertEmails: ['a@example.com'], reservedConcurrency: 10, logRetentionDays: 365 })).toEqual({
      alertEmails: ['a@example.com'],
      reservedConcurrentExecutions: 10,
      logRetentionDays: 365,
    });
  });

  it.each<[ContextKey, unknown, RegExp]>([
    ['reservedConcurrency', 'five', /reservedConcurrency must be an integer from 1 to 100 .*got "five"/],
    ['reservedConcurrency', '0', /reservedConcurrency must be an integer from 1 to 100/],
    ['reservedConcurrency', '2.5', /reservedConcurrency must be an integer/],
    ['maxEventAgeSeconds', '30', /maxEventAgeSeconds must be an integer from 60 to 86400/],
    ['retryAttempts', '186', /retryAttempts must be an integer from 0 to 185/],
    ['occurrenceTtlDays', '-1', /occurrenceTtlDays must be an integer from 1 to 3650/],
    ['notifyQuietWindowMinutes', '1e3', /notifyQuietWindowMinutes must be an integer/],
    ['notifyQuietWindowMinutes', '0', /notifyQuietWindowMinutes must be an integer from 1 to 10080/],
    ['logRetentionDays', '31', /logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90/],
    ['alertEmails', 42, /alertEmails must be a comma-separated string/],
    ['slackChannelId', 123, /slackChannelId must be a string/],
  ])('rejects %s=%p with a message naming the key', (key, value, message) => {
    expect(() => read({ [key]: value })).toThrow(message);
  });

  it('reports every bad key at once', () => {
    expect(() => read({ reservedConcurrency: 'x', retryAttempts: 'y' })).toThrow(
      /reservedConcurrency[\s\S]*retryAttempts/,
    );
  });

  it('documents a default for every key it reads', () => {
    expect(Object.keys(CONTEXT_KEYS).sort()).toEqual(
      [
        'alertEmails',
        'opsEmails',
        'slackWorkspaceId',
        'slackChannelId',
        'reservedConcurrency',
        'logRetentionDays',
        'notifyQuietWindowMinutes',
        'occurrenceTtlDays',
        'maxEventAgeSeconds',
        'retryAttempts',
      ].sort(),
    );
    expect(CONTEXT_KEYS.reservedConcurrency.default).toBe(String(MONITOR_DEFAULTS.reservedConcurrentExecutions));
  });

  it('has every key documented in docs/deploy.md with its default', () => {
    // Table cells are padded by the formatter, so compare rows with their cell padding removed.
    const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8').replace(/ *\| */g, '|');
    for (const [key, { default: defaultValue }] of Object.entries(CONTEXT_KEYS)) {
      expect({ key, documented: docs.includes(`|\`${key}\`|${defaultValue}|`) }).toEqual({ key, documented: true });
    }
  });
});

describe('settings checked by the construct itself', () => {
  const monitorWith = (props: ConstructorParameters<typeof DeniedAssumeRoleMonitor>[2]) => () =>
    new DeniedAssumeRoleMonitor(new Stack(new App(), 'S'), 'Monitor', props);

  it.each<[string, ConstructorParameters<typeof DeniedAssumeRoleMonitor>[2], RegExp]>([
    [
      'a malformed email',
      { alertEmails: ['secops@example.com;platform@example.com'] },
      /alertEmails: "secops@example.com;platform@example.com" is not an email address/,
    ],
    ['a duplicated email', { alertEmails: ['a@example.com', 'a@example.com'] }, /same address twice/],
    ['a Slack workspace without channel', { slackWorkspaceId: 'T0123ABCD' }, /must be given together/],
    [
      'a Slack channel that is not an ID',
      { slackWorkspaceId: 'T0123ABCD', slackChannelId: '#security' },
      /slackChannelId must look like C0123ABCD/,
    ],
    [
      'a Slack workspace that is not an ID',
      { slackWorkspaceId: 'acme', slackChannelId: 'C0123ABCD' },
      /slackWorkspaceId must look like T0123ABCD/,
    ],
    [
      'zero reserved concurrency',
      { reservedConcurrentExecutions: 0 },
      /reservedConcurrentExecutions must be an integer from 1 to 100/,
    ],
    [
      'a 30-second max event age',
      { maxEventAge: Duration.seconds(30) },
      /maxEventAgeSeconds must be an integer from 60 to 86400/,
    ],
    ['an out-of-range timeout', { timeout: Duration.minutes(20) }, /timeoutSeconds must be an integer from 1 to 900/],
    ['a malformed ops email', { opsEmails: ['oncall'] }, /opsEmails: "oncall" is not an email address/],
    [
      'an occurrence TTL shorter than the dead-letter retention plus the event ages',
      { occurrenceTtlDays: 14 },
      /^Invalid trustgap monitor settings:\n {2}- occurrenceTtlDays must be at least 16 \(the dead-letter queue's 14 days plus maxEventAgeSeconds 3600 s plus Lambda's 6 h asynchronous age, the function timeout and the lease margin, and a day to spare, so a redriven event is not counted twice\); got 14\.$/,
    ],
    [
      'an occurrence TTL that a longer EventBridge retry age makes too short',
      { occurrenceTtlDays: 15, maxEventAge: Duration.hours(24) },
      /occurrenceTtlDays must be at least 17 .*got 15\./,
    ],
  ])('rejects %s before synthesizing anything', (_name, props, message) => {
    expect(monitorWith(props)).toThrow(message);
  });

  it('computes the minimum occurrence TTL from the dead-letter retention and both event ages', () => {
    expect(minimumOccurrenceTtlDays(MONITOR_DEFAULTS.maxEventAgeSeconds)).toBe(16);
    expect(minimumOccurrenceTtlDays(86_400)).toBe(17);
    expect(MONITOR_DEFAULTS.occurrenceTtlDays).toBeGreaterThanOrEqual(minimumOccurrenceTtlDays(86_400));
  });

  it('accepts every log retention CloudWatch Logs offers', () => {
    expect(LOG_RETENTION_DAYS).toContain(1);
    expect(LOG_RETENTION_DAYS).toContain(3653);
    expect(LOG_RETENTION_DAYS).not.toContain(9999);
  });
});

describe('TrustGapStack', () => {
  it('fails synthesis with a clear message on a bad context value', () => {
    const app = new App({ context: { reservedConcurrency: 'lots' } });
    expect(() => new TrustGapStack(app, 'Bad')).toThrow(
      /Invalid CDK context for trustgap:\n {2}- reservedConcurrency must be an integer/,
    );
  });

  describe('with every context key set', () => {
    let json: CfnTemplate;
    beforeAll(() => {
      json = synthesizeTrustGap({
        alertEmails: 'secops@example.com,platform@example.com',
        opsEmails: 'oncall@example.com',
        slackWorkspaceId: 'T0123ABCD',
        slackChannelId: 'C0123ABCD',
        reservedConcurrency: '3',
        logRetentionDays: '90',
        notifyQuietWindowMinutes: '15',
        occurrenceTtlDays: '30',
        maxEventAgeSeconds: '7200',
        retryAttempts: '4',
      }).json;
    });

    it('subscribes each alert email to the findings topic and each ops email to the operations topic', () => {
      const { findings, ops } = topicsOf(json);
      const subscriptions = resourcesOfType(json, 'AWS::SNS::Subscription').map(
        ([, subscription]) => subscription.Properties,
      );
      expect(subscriptions).toEqual([
        { Protocol: 'email', Endpoint: 'secops@example.com', TopicArn: { Ref: findings } },
        { Protocol: 'email', Endpoint: 'platform@example.com', TopicArn: { Ref: findings } },
        { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: ops } },
      ]);
    });

    it('relays the findings topic to the Slack channel, with a read-only guardrail and a role without permissions', () => {
      const topicId = topicsOf(json).findings;
      const [, channel] = onlyResourceOfType(json, 'AWS::Chatbot::SlackChannelConfiguration');
      expect(channel.Properties!.ConfigurationName).toEqual({
        'Fn::Join': ['', ['TrustGapTest-', { Ref: 'AWS::Region' }, '-findings']],
      });
      expect(channel.Properties).toMatchObject({
        SlackWorkspaceId: 'T0123ABCD',
        SlackChannelId: 'C0123ABCD',
        SnsTopicArns: [{ Ref: topicId }],
      });
      expect(JSON.stringify(channel.Properties!.GuardrailPolicies)).toContain(
        ':iam::aws:policy/CloudWatchReadOnlyAccess',
      );
      expect(JSON.stringify(channel.Properties!.GuardrailPolicies)).not.toContain('AdministratorAccess');
      const chatbotRoles = resourcesOfType(json, 'AWS::IAM::Role').filter(
        ([, role]) =>
          role.Properties!.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'chatbot.amazonaws.com',
      );
      expect(chatbotRoles).toHaveLength(1);
      expect(chatbotRoles[0][1].Properties!.Policies).toBeUndefined();
      expect(chatbotRoles[0][1].Properties!.ManagedPolicyArns).toBeUndefined();
    });

    it('applies the numeric settings to the function, its logs and the rule target', () => {
      const [, fn] = onlyResourceOfType(json, 'AWS::Lambda::Function');
      expect(fn.Properties!.ReservedConcurrentExecutions).toBe(3);
      expect(fn.Properties!.Environment.Variables).toMatchObject({
        NOTIFY_QUIET_WINDOW_MINUTES: '15',
        OCCURRENCE_TTL_DAYS: '30',
      });
      expect(onlyResourceOfType(json, 'AWS::Logs::LogGroup')[1].Properties!.RetentionInDays).toBe(90);
      expect(onlyResourceOfType(json, 'AWS::Events::Rule')[1].Properties!.Targets[0].RetryPolicy).toEqual({
        MaximumRetryAttempts: 4,
        MaximumEventAgeInSeconds: 7200,
      });
    });
  });
});
