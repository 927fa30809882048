// Whether dist/ (`pnpm --filter @aws-trpc/api build`) may run in place of the TypeScript sources.
import { readFileSync, statSync } from 'node:fs';

/**
 * The URL of dist/cli.js if the build exists and none of the sources it lists (dist/inputs.json,
 * written by scripts/build.ts) changed since it started; otherwise undefined.
 */
export function currentBuild(packageRoot = new URL('../', import.meta.url)) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('dist/inputs.json', packageRoot), 'utf8'));
  } catch {
    return undefined;
  }
  const current = manifest.inputs.every((input) => {
    const stat = statSync(new URL(input, packageRoot), { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs <= manifest.builtAt;
  });
  return current ? new URL('dist/cli.js', packageRoot) : undefined;
}
