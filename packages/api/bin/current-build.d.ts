/**
 * The URL of dist/cli.js if the build exists and is newer than every source it lists; else undefined.
 * `packageRoot` (a directory URL ending in /) defaults to packages/api.
 */
export function currentBuild(packageRoot?: URL): URL | undefined;
