/**
 * The asset's index.js: what Lambda requires at cold start. The pipeline itself (lambda/handler.ts, bundled with the
 * SDK clients and the engine) sits beside it as runtime.js and is required on the first invocation, so the init
 * phase compiles and runs only this file. Built by lib/monitor/asset-entry.ts; meaningless outside the asset, where
 * tests load lambda/handler.ts directly.
 *
 * Why, and what it costs (the deferred CPU is spent on the first event instead): docs/lambda-start.md.
 */
import type { Context } from 'aws-lambda';
import { readPipelineConfig } from '../src/pipeline/config';
import type { HandlerResult } from '../src/pipeline/lambda-runtime';

type Handler = (event: unknown, context: Context) => Promise<HandlerResult>;

// A bad environment still fails the init phase, as it did when the whole pipeline was built at module load.
readPipelineConfig();

let pipelineHandler: Handler | undefined;

export function handler(event: unknown, context: Context): Promise<HandlerResult> {
  // A literal path, marked external when this file is bundled (lib/monitor/asset-entry.ts), so esbuild leaves the
  // require to Node, which resolves it next to index.js.
  pipelineHandler ??= (require('./runtime.js') as { handler: Handler }).handler;
  return pipelineHandler(event, context);
}
