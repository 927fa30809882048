/**
 * Builds the CLI into dist/: `aws-trpc serve` then starts under plain Node instead of tsx, which
 * costs ~60 MB of RSS at start (issue 8). npm dependencies stay external (resolved from
 * node_modules at run time); the private workspace packages are TypeScript sources, so they are
 * bundled in. Code splitting keeps `cli.js` small: the gateway, and the SDKs it imports, load only
 * when `serve` starts, as with `import('./gateway')` under tsx.
 *
 * dist/inputs.json lists the sources the bundle was built from; bin/aws-trpc.js uses the bundle
 * only while none of them is newer, so an edited tree never runs a stale build.
 *
 * Usage: tsx scripts/build.ts [--outdir <dir>]   (default dist; tests build elsewhere)
 */
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const out = resolve(root, values.outdir);

/** `@aws-trpc/shared` and `@aws-trpc/emulator` point at .ts sources: bundle them, unlike npm packages. */
const bundleWorkspace: esbuild.Plugin = {
  name: 'bundle-workspace',
  setup(build) {
    build.onResolve({ filter: /^@aws-trpc\// }, (args) => ({
      path: createRequire(join(args.resolveDir, 'noop.js')).resolve(args.path),
    }));
  },
};

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const startedAt = Date.now();
  const result = await esbuild.build({
    entryPoints: { cli: join(root, 'src', 'cli', 'bin.ts') },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [bundleWorkspace],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => relative(root, resolve(process.cwd(), input)))
    .filter((input) => !input.includes('node_modules'))
    .sort();
  writeFileSync(join(out, 'inputs.json'), `${JSON.stringify({ builtAt: startedAt, inputs }, null, 1)}\n`);
  process.stdout.write(
    `built ${relative(process.cwd(), join(out, 'cli.js'))} from ${inputs.length} sources\n`,
  );
}

await main();
