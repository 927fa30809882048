/**
 * A Node module-resolution hook for bench processes. bench/ is no workspace package, so nothing is
 * installed for it: a bare import from a bench file (`@aws-sdk/client-ec2`, `@aws-trpc/client`, …)
 * that Node cannot find from bench/ is resolved again as if imported from packages/client, which
 * depends on every package the benchmarks call. Imports from anywhere else are left alone.
 */
const benchDir = new URL('./', import.meta.url).href;
const lender = new URL('../packages/client/package.json', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromBench =
      context.parentURL?.startsWith(benchDir) && !context.parentURL.includes('/node_modules/');
    if (!fromBench || error?.code !== 'ERR_MODULE_NOT_FOUND' || specifier.startsWith('.')) throw error;
    return nextResolve(specifier, { ...context, parentURL: lender });
  }
}
