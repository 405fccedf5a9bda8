#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MonitorSettingsError } from '../lib/monitor/settings';
import { TrustGapStack } from '../lib/trustgap-stack';

const app = new App();

// Environment-agnostic on purpose: synth needs no credentials, and `cdk deploy` targets the account and region
// of the caller's credentials (AWS_REGION / the profile), once per region whose STS endpoint is used.
const stackName: string = app.node.tryGetContext('stackName') ?? 'TrustGap';
try {
  new TrustGapStack(app, stackName);
} catch (error) {
  if (!(error instanceof MonitorSettingsError)) throw error;
  // A configuration mistake: say what to fix, without a stack trace.
  console.error(error.message);
  process.exit(1);
}

// Every synth (and so every deploy) runs the AWS Solutions rules; an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
