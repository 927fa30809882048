import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The declared package graph is the real one: every import of every workspace package is declared in
 * its package.json (production code in `dependencies`), and no package reaches into another's files
 * by a relative path. Read from the files themselves, so a new import cannot slip past.
 */

const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

function workspacePackages(): WorkspacePackage[] {
  const dirs = ['packages', 'apps'].flatMap((parent) =>
    readdirSync(join(repoRoot, parent)).map((name) => join(repoRoot, parent, name)),
  );
  dirs.push(join(repoRoot, 'bench'));
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
    }));
}

const skipped = new Set(['node_modules', 'dist', '.turbo', 'artifacts', 'results', 'fixtures']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (skipped.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const specifierPattern =
  /(?:^|[\s;])(import|export)(\s+type)?\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

interface Specifier {
  name: string;
  /** `import type` / `export type`: needed to type-check, not to run. */
  typeOnly: boolean;
}

/** Every module a file imports, statically or with a literal dynamic import. */
function imports(file: string): Specifier[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  return [...text.matchAll(specifierPattern)].map((m) => ({
    name: (m[3] ?? m[4] ?? m[5])!,
    typeOnly: m[2] !== undefined,
  }));
}

const specifiers = (file: string) => imports(file).map((s) => s.name);

/** The repository's own tooling (vitest, TypeScript, tsx, biome), which every package's tests may use. */
const rootTooling = Object.keys(
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest).devDependencies ?? {},
);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

const builtins = new Set(builtinModules);
const isBuiltin = (s: string) => s.startsWith('node:') || builtins.has(packageOf(s));

/** Production files: what a package ships or runs in production, which may import only `dependencies`. */
function isProduction(pkg: WorkspacePackage, file: string): boolean {
  const rel = relative(pkg.dir, file).split(sep);
  return rel[0] === 'src' && !/\.test\.tsx?$/.test(file);
}

const packages = workspacePackages();

describe('the workspace package graph', () => {
  it('finds every package and its imports', () => {
    expect(packages.map((p) => p.manifest.name).sort()).toEqual([
      '@aws-trpc/api',
      '@aws-trpc/bench',
      '@aws-trpc/client',
      '@aws-trpc/demo',
      '@aws-trpc/emulator',
      '@aws-trpc/shared',
      '@aws-trpc/testkit',
    ]);
    for (const pkg of packages) expect(sourceFiles(pkg.dir).length, pkg.manifest.name).toBeGreaterThan(0);
  });

  it.each(packages.map((p) => [p.manifest.name, p] as const))(
    '%s declares every package it imports (production code in dependencies)',
    (_name, pkg) => {
      const deps = new Set(Object.keys(pkg.manifest.dependencies ?? {}));
      const all = new Set([
        ...deps,
        ...rootTooling,
        ...Object.keys(pkg.manifest.devDependencies ?? {}),
        ...Object.keys(pkg.manifest.peerDependencies ?? {}),
      ]);
      // A published package bundles the private workspace packages it imports (scripts/build.ts), so
      // for it they are build-time devDependencies.
      const bundled = pkg.manifest.private
        ? new Set<string>()
        : new Set(
            Object.keys(pkg.manifest.devDependencies ?? {}).filter(
              (name) => packages.find((p) => p.manifest.name === name)?.manifest.private,
            ),
          );
      const undeclared: string[] = [];
      for (const file of sourceFiles(pkg.dir)) {
        for (const { name: specifier, typeOnly } of imports(file)) {
          if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
          const name = packageOf(specifier);
          if (name === pkg.manifest.name) continue;
          // Types are needed to build, not to run: a devDependency serves (the client's AppRouter).
          const declared = isProduction(pkg, file) && !typeOnly ? deps : all;
          if (!declared.has(name) && !bundled.has(name))
            undeclared.push(`${relative(repoRoot, file)}: ${specifier}`);
        }
      }
      expect(undeclared).toEqual([]);
    },
  );

  it('has no relative import that reaches into another package', () => {
    const roots = packages.map((p) => p.dir + sep);
    const crossing: string[] = [];
    for (const pkg of packages) {
      for (const file of sourceFiles(pkg.dir)) {
        for (const specifier of specifiers(file)) {
          if (!specifier.startsWith('.')) continue;
          const target = resolve(dirname(file), specifier);
          const owner = roots.find((root) => target.startsWith(root) || `${target}${sep}` === root);
          if (owner !== pkg.dir + sep) crossing.push(`${relative(repoRoot, file)}: ${specifier}`);
        }
      }
    }
    expect(crossing).toEqual([]);
  });

  it('keeps the gateway free of its test double, and off tRPC internals and deprecated SDK waiters', () => {
    const api = packages.find((p) => p.manifest.name === '@aws-trpc/api')!;
    expect(Object.keys(api.manifest.dependencies ?? {})).not.toContain('@aws-trpc/emulator');
    const offending: string[] = [];
    for (const pkg of packages) {
      for (const file of sourceFiles(pkg.dir).filter((f) => isProduction(pkg, f))) {
        const text = readFileSync(file, 'utf8');
        for (const specifier of specifiers(file)) {
          if (specifier.startsWith('@trpc/server/unstable-core-do-not-import'))
            offending.push(`${relative(repoRoot, file)}: ${specifier}`);
          if (pkg === api && packageOf(specifier) === '@aws-trpc/emulator')
            offending.push(`${relative(repoRoot, file)}: ${specifier}`);
        }
        // The SDK's waitForX functions are deprecated in favour of waitUntilX.
        if (/\bwaitFor[A-Z]\w*/.test(text)) offending.push(`${relative(repoRoot, file)}: waitFor…`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('pins the libraries whose internals the gateway leans on, as the SDK clients are pinned', () => {
    const pinned = ['@trpc/server', '@trpc/client', '@smithy/core', '@aws-sdk/client-ec2'];
    const loose: string[] = [];
    for (const pkg of packages) {
      for (const field of ['dependencies', 'devDependencies'] as const) {
        for (const [name, range] of Object.entries(pkg.manifest[field] ?? {})) {
          if (pinned.includes(name) && !/^\d+\.\d+\.\d+$/.test(range))
            loose.push(`${pkg.manifest.name} ${name}@${range}`);
        }
      }
    }
    expect(loose).toEqual([]);
  });
});
