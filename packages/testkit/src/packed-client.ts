/**
 * Installs the packed client into a fresh directory outside the workspace, the way a consumer gets it:
 * the tarball is unpacked into node_modules/@aws-trpc/client, and each dependency its manifest names is
 * linked from this workspace's install (offline, and the same versions the registry would give).
 * No @aws-trpc/api or @aws-trpc/shared is present: the types must come from the package itself.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/client, found the way Node finds the package (its entry is src/index.ts). */
const clientRoot = resolve(dirname(createRequire(import.meta.url).resolve('@aws-trpc/client')), '..');
/** The repository root, whose install lends the consumer TypeScript and Node's types. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Packs the client exactly as it is published: `pnpm --filter @aws-trpc/client pack`, whose `prepack`
 * builds dist/. Returns the tarball's path.
 */
export function packClient(dest: string): string {
  const output = execFileSync(
    'npx',
    ['-y', 'pnpm@10', '--filter', '@aws-trpc/client', 'pack', '--pack-destination', dest],
    { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const tarball = output
    .trim()
    .split('\n')
    .find((line) => line.endsWith('.tgz') && line.startsWith(dest));
  if (!tarball) throw new Error(`pack printed no tarball: ${output}`);
  return tarball;
}

/** A consumer directory holding `fixture` (copied) and the installed tarball; returns its path. */
export function installPacked(tarball: string, fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aws-trpc-consumer-'));
  cpSync(fixture, dir, { recursive: true });
  const target = join(dir, 'node_modules', '@aws-trpc', 'client');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const fromWorkspace = createRequire(join(clientRoot, '..', 'api', 'package.json'));
  const fromClient = createRequire(join(clientRoot, 'package.json'));
  for (const name of Object.keys(manifest.dependencies)) {
    let pkgJson: string;
    try {
      pkgJson = fromClient.resolve(`${name}/package.json`);
    } catch {
      pkgJson = fromWorkspace.resolve(`${name}/package.json`);
    }
    const link = join(dir, 'node_modules', ...name.split('/'));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dirname(pkgJson), link, 'dir');
  }
  // The TypeScript compiler the consumer runs, and Node's types for its lib.
  for (const name of ['typescript', '@types/node']) {
    const link = join(dir, 'node_modules', ...name.split('/'));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(
      dirname(createRequire(join(repoRoot, 'package.json')).resolve(`${name}/package.json`)),
      link,
      'dir',
    );
  }
  return dir;
}
