/**
 * Builds what `pnpm --filter @aws-trpc/client pack` publishes (it runs as `prepack`), into dist/:
 * - `index.js` and `browser.js`: ESM bundles (esbuild). @aws-trpc/api and @aws-trpc/shared are
 *   private, so their code is bundled; the package's `dependencies` stay imports.
 * - `index.d.ts` and `browser.d.ts`: declarations bundled from tsc's output (rollup-plugin-dts), so they
 *   hold only the types the client's API reaches (the gateway's AppRouter among them). An import of
 *   any package that is not one of the `dependencies` (pino, prom-client, node:http: the gateway's
 *   server side) fails the build rather than shipping declarations that fail without skipLibCheck.
 *
 * Usage: tsx scripts/build.ts
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
/** tsc's per-file declarations, the input of the declaration bundle; removed afterwards. */
const typesDir = join(out, '.types');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** What the bundles and declarations may import: the published package's dependencies, nothing else. */
const externals = Object.keys(manifest.dependencies);
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isExternal = (specifier: string) => externals.includes(packageOf(specifier));

async function bundle(): Promise<void> {
  const esbuild = createRequire(join(root, 'package.json'))('esbuild') as typeof import('esbuild');
  await esbuild.build({
    // Two self-contained bundles: `./browser` must not pull in what only the full client needs.
    entryPoints: { index: join(root, 'src', 'index.ts'), browser: join(root, 'src', 'browser.ts') },
    outdir: out,
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

/** `@aws-trpc/api` → `<rel>/api/src/index`, so the declaration bundler follows it into the package. */
function rewriteDeclarations(): void {
  for (const file of walk(typesDir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8').replace(
      /((?:from|import)\s*\(?\s*)(['"])(@aws-trpc\/(\w+)(?:\/([^'"]+))?)\2/g,
      (_match, lead: string, _quote: string, _specifier: string, pkg: string, subpath?: string) => {
        const target = join(typesDir, pkg, exportedModule(pkg, subpath));
        let rel = relative(dirname(file), target).replaceAll('\\', '/');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return `${lead}'${rel}'`;
      },
    );
    writeFileSync(file, text);
  }
}

async function bundleDeclarations(): Promise<void> {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', typesDir], {
    cwd: root,
    stdio: 'inherit',
  });
  rewriteDeclarations();
  const leaked = new Set<string>();
  // One bundle per entry, each self-contained: a chunk shared between them would hold types that
  // neither entry exports, which a consumer's declaration emit cannot name (TS2742).
  for (const entry of ['index', 'browser']) {
    const build = await rollup({
      input: join(typesDir, 'client', 'src', `${entry}.d.ts`),
      // Bare specifiers stay imports; what is left of them after tree-shaking is checked below.
      external: (id) => !(id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')),
      plugins: [dts({ respectExternal: true })],
      onwarn: (warning) => {
        throw new Error(`declaration bundle: ${warning.message}`);
      },
    });
    const { output } = await build.write({ file: join(out, `${entry}.d.ts`), format: 'es' });
    for (const chunk of output) {
      if (chunk.type !== 'chunk') continue;
      for (const id of [...chunk.imports, ...chunk.dynamicImports]) if (!isExternal(id)) leaked.add(id);
    }
    await build.close();
  }
  if (leaked.size > 0) {
    throw new Error(
      `the client's declarations import ${[...leaked].join(', ')}, which the published package does not ` +
        'depend on (server-only types leaked through the router type)',
    );
  }
}

rmSync(out, { recursive: true, force: true });
await bundle();
await bundleDeclarations();
rmSync(typesDir, { recursive: true, force: true });
if (!existsSync(join(out, 'index.d.ts'))) throw new Error('build: no dist/index.d.ts');
