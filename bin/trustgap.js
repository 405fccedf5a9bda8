#!/usr/bin/env node
// Entry point for `npx trustgap`. The CLI is TypeScript; tsx compiles it on the fly so that a fresh
// clone works right after `npm ci`, with no build step.
require('tsx/cjs');
require('./trustgap-cli.ts');
