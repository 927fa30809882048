#!/usr/bin/env node
// Runs the build (dist/cli.js) under plain Node when it is current: loading the sources through tsx
// costs ~60 MB of RSS at start (issue 8). A fresh clone has no build and an edited tree a stale one:
// then tsx loads the TypeScript sources, as before.
import { currentBuild } from './current-build.js';

const build = currentBuild();
if (build) {
  await import(build.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/bin.ts');
}
