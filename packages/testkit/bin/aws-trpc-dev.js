#!/usr/bin/env node
// `aws-trpc` for development: the production CLI, plus `serve --emulator` (an emulator in this process).
const { register } = await import('tsx/esm/api');
register();
await import('../src/dev-cli.ts');
