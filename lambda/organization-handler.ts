/**
 * Lambda entry point of the organization deployment's central function (lib/organization/central-stack.ts): the
 * same pipeline as lambda/handler.ts, with the organization reader (reader-role sessions through STS, SCPs and RCPs
 * from Organizations) for every account of the organization. A separate entry rather than a branch at run time, so
 * that the single-account function's bundle carries neither the STS nor the Organizations client
 * (docs/lambda-start.md).
 */
import type { Context } from 'aws-lambda';
import { type HandlerResult, LambdaRuntime } from '../src/pipeline/lambda-runtime';
import { createOrganizationFacts } from '../src/pipeline/organization-facts';

const runtime = new LambdaRuntime({ organizationFacts: createOrganizationFacts });

export function handler(event: unknown, context: Context): Promise<HandlerResult> {
  return runtime.handle(event, context);
}
