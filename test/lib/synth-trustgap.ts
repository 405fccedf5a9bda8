import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addTrustGapStacks } from '../../lib/trustgap-app-stacks';
import { TrustGapStack } from '../../lib/trustgap-stack';

export interface SynthesizedTrustGap {
  readonly app: App;
  readonly stack: TrustGapStack;
  readonly template: Template;
  /** The synthesized CloudFormation template as plain JSON. */
  readonly json: CfnTemplate;
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
  Mappings?: Record<string, Record<string, Record<string, string>>>;
}

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Synthesizes the real TrustGapStack (esbuild bundling included) with the feature flags of cdk.json plus the
 * given context, exactly as `npx cdk synth -c key=value` would. Slow-ish (a bundle per call): call it once per
 * test file, in beforeAll.
 */
export function synthesizeTrustGap(context: Record<string, unknown> = {}): SynthesizedTrustGap {
  const cdkJson = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, ...context } });
  const stack = new TrustGapStack(app, 'TrustGapTest');
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as CfnTemplate };
}

export function resourcesOfType(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}

export function onlyResourceOfType(json: CfnTemplate, type: string): [string, CfnResource] {
  const found = resourcesOfType(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/**
 * Renders a CloudFormation value as a readable string: Ref X → <X>, GetAtt X.Y → <X.Y>, Fn::Join joined, Fn::Sub
 * kept as written. Literal strings are unchanged.
 */
export function renderCfn(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, any>;
    if ('Ref' in object) return `<${object.Ref}>`;
    if ('Fn::GetAtt' in object) return `<${object['Fn::GetAtt'].join('.')}>`;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(renderCfn).join(separator);
    }
    if ('Fn::Sub' in object) return String(object['Fn::Sub']);
    if ('Fn::FindInMap' in object) return `<FindInMap ${object['Fn::FindInMap'].map(renderCfn).join(' ')}>`;
  }
  return JSON.stringify(value);
}

export interface RenderedStatement {
  sid?: string;
  effect: string;
  actions: string[];
  resources: string[];
  condition?: unknown;
  principal?: unknown;
}

export function renderStatements(policyDocument: { Statement: any[] }): RenderedStatement[] {
  return policyDocument.Statement.map((statement) => ({
    sid: statement.Sid,
    effect: statement.Effect,
    actions: toArray(statement.Action).map(String).sort(),
    resources: toArray(statement.Resource).map(renderCfn).sort(),
    condition: statement.Condition,
    principal: statement.Principal,
  }));
}

function toArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement that applies to a role: its inline policies plus every AWS::IAM::Policy attached to it. */
export function statementsOfRole(json: CfnTemplate, roleLogicalId: string): RenderedStatement[] {
  const role = json.Resources[roleLogicalId];
  const inline = (role.Properties?.Policies ?? []).flatMap((policy: any) => renderStatements(policy.PolicyDocument));
  const attached = resourcesOfType(json, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.Roles ?? []).some((ref: any) => ref.Ref === roleLogicalId))
    .flatMap(([, policy]) => renderStatements(policy.Properties!.PolicyDocument));
  return [...inline, ...attached];
}

/** The findings topic and the operations topic (alarms), told apart by their display names. */
export function topicsOf(json: CfnTemplate): {
  findings: string;
  ops: string;
  findingsKey: string;
  opsKey: string;
} {
  const byName = (displayName: string): [string, string] => {
    const [id, topic] = resourcesOfType(json, 'AWS::SNS::Topic').find(
      ([, candidate]) => candidate.Properties?.DisplayName === displayName,
    ) ?? [undefined, undefined];
    if (id === undefined || topic === undefined) throw new Error(`no topic named "${displayName}"`);
    return [id, topic.Properties!.KmsMasterKeyId['Fn::GetAtt'][0]];
  };
  const [findings, findingsKey] = byName('trustgap denied role assumption findings');
  const [ops, opsKey] = byName('trustgap operations alarms');
  return { findings, ops, findingsKey, opsKey };
}

/** The context of an organization deployment, as in the README's command. */
export const ORGANIZATION_CONTEXT = {
  organizationId: 'o-a1b2c3d4e5',
  organizationalUnitIds: 'r-ab12,ou-ab12-11111111',
  memberRegions: 'eu-west-1,us-east-1',
  centralAccountId: '123456789012',
} as const;

export interface SynthesizedOrganization {
  readonly app: App;
  readonly central: Stack;
  readonly management: Stack;
  readonly centralJson: CfnTemplate;
  readonly managementJson: CfnTemplate;
  /** The StackSet's TemplateBody, parsed. */
  readonly memberJson: CfnTemplate;
}

/** Synthesizes the organization stacks (one handler bundle): call once per test file, in beforeAll. */
export function synthesizeOrganization(
  context: Record<string, unknown> = ORGANIZATION_CONTEXT,
): SynthesizedOrganization {
  const cdkJson = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, ...context } });
  const [central, management] = addTrustGapStacks(app);
  const centralJson = Template.fromStack(central).toJSON() as CfnTemplate;
  const [, stackSet] = onlyResourceOfType(centralJson, 'AWS::CloudFormation::StackSet');
  return {
    app,
    central,
    management,
    centralJson,
    managementJson: Template.fromStack(management).toJSON() as CfnTemplate,
    memberJson: JSON.parse(stackSet.Properties!.TemplateBody) as CfnTemplate,
  };
}
