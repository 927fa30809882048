/**
 * Builds the publishable client into dist/package: ESM bundles for `.` and `./browser`, and .d.ts files that hold the
 * gateway's AppRouter type. @aws-trpc/api and @aws-trpc/shared are private (never published), so
 * their code is bundled and their declarations are emitted beside the client's, with the bare
 * `@aws-trpc/*` specifiers rewritten to relative paths. Then `pnpm pack` runs in dist/package.
 *
 * Usage: tsx scripts/build.ts [--pack <dir>]   (prints the tarball path with --pack)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'package');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Runtime and type dependencies of the published package: what the bundle and the .d.ts import. */
const externals = [
  '@trpc/client',
  '@trpc/server',
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-elastic-load-balancing',
  '@smithy/core',
  'zod',
];

function versionOf(name: string): string {
  const require = createRequire(join(root, '..', name === 'zod' ? 'api' : 'shared', 'package.json'));
  const local = (() => {
    try {
      return createRequire(join(root, 'package.json')).resolve(`${name}/package.json`);
    } catch {
      return require.resolve(`${name}/package.json`);
    }
  })();
  return `^${JSON.parse(readFileSync(local, 'utf8')).version}`;
}

async function bundle(): Promise<void> {
  // esbuild comes with tsx (a root devDependency); see the report for making it a direct devDependency.
  const esbuild = createRequire(createRequire(join(root, '..', '..', 'package.json')).resolve('tsx'))(
    'esbuild',
  );
  await esbuild.build({
    // Two self-contained bundles: `./browser` must not pull in what only the full client needs.
    entryPoints: { index: join(root, 'src', 'index.ts'), browser: join(root, 'src', 'browser.ts') },
    outdir: join(out, 'dist'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    external: externals.flatMap((e) => [e, `${e}/*`]),
    logLevel: 'warning',
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The module a workspace package exports at `subpath` (its package.json `exports`), e.g. `src/ec2-filters`. */
function exportedModule(pkg: string, subpath: string | undefined): string {
  const manifestOf = JSON.parse(readFileSync(join(root, '..', pkg, 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  };
  const file = manifestOf.exports[subpath ? `./${subpath}` : '.'];
  if (!file) throw new Error(`@aws-trpc/${pkg} exports no '${subpath}'`);
  return file.replace(/^\.\//, '').replace(/\.ts$/, '');
}

/** `@aws-trpc/api` → `<rel>/api/src/index.js`; relative specifiers get the `.js` NodeNext needs. */
function rewriteDeclarations(typesDir: string): void {
  for (const file of walk(typesDir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8').replace(
      /((?:from|import)\s*\(?\s*)(['"])([^'"]+)\2/g,
      (match, lead: string, _quote: string, specifier: string) => {
        let target: string | undefined;
        const own = /^@aws-trpc\/(\w+)(?:\/(.+))?$/.exec(specifier);
        if (own) target = join(typesDir, own[1] ?? '', exportedModule(own[1] ?? '', own[2]));
        else if (specifier.startsWith('.')) target = resolve(dirname(file), specifier);
        if (!target) return match;
        const path = existsSync(`${target}.d.ts`) ? target : join(target, 'index');
        let rel = relative(dirname(file), path).replaceAll('\\', '/');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return `${lead}'${rel}.js'`;
      },
    );
    writeFileSync(file, text);
  }
}

async function main(): Promise<void> {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await bundle();
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(out, 'types')], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    // Declarations are still written; the consumer fixture's type-check is the judge of what matters.
    console.warn('build: tsc reported errors (above); declarations were emitted anyway');
  }
  rewriteDeclarations(join(out, 'types'));
  const published = {
    name: manifest.name,
    version: manifest.version,
    description: 'Typed client for the aws-trpc gateway: raw procedures, boto3-style resources, typed errors',
    type: 'module',
    exports: {
      '.': { types: './types/client/src/index.d.ts', import: './dist/index.js' },
      './browser': { types: './types/client/src/browser.d.ts', import: './dist/browser.js' },
    },
    types: './types/client/src/index.d.ts',
    sideEffects: false,
    dependencies: Object.fromEntries(externals.map((name) => [name, versionOf(name)])),
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  writeFileSync(join(out, 'README.md'), readFileSync(join(root, 'README.md'), 'utf8'));

  const packIndex = process.argv.indexOf('--pack');
  if (packIndex !== -1) {
    const dest = resolve(process.argv[packIndex + 1] ?? join(root, 'dist'));
    mkdirSync(dest, { recursive: true });
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dest], {
      cwd: out,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz') && f.startsWith('aws-trpc-client-'));
    console.log(join(dest, tarball ?? ''));
  }
}

await main();
