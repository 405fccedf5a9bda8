#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MonitorSettingsError } from '../lib/monitor/settings';
import { addTrustGapStacks } from '../lib/trustgap-app-stacks';

const app = new App();

try {
  addTrustGapStacks(app);
} catch (error) {
  if (!(error instanceof MonitorSettingsError)) throw error;
  // A configuration mistake: say what to fix, without a stack trace.
  console.error(error.message);
  process.exit(1);
}

// Every synth (and so every deploy) runs the AWS Solutions rules; an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
