import { describe, expectTypeOf, it } from 'vitest';
import type { Catalog, Ec2Ops, ElbOps, ServiceName } from '../src/index';

/** The procedures the catalog (codegen) classifies as queries. */
type CatalogQueries<S extends ServiceName> = Extract<
  Catalog[S]['operations'][number],
  { kind: 'query' }
>['procedure'];
/** The procedures the ops types classify as queries. */
type OpsQueries<Ops> = { [P in keyof Ops]: Ops[P] extends { kind: 'query' } ? P : never }[keyof Ops];

describe('operation kinds', () => {
  it('agree between the ops types and the catalog, for every procedure', () => {
    expectTypeOf<OpsQueries<Ec2Ops>>().toEqualTypeOf<CatalogQueries<'ec2'>>();
    expectTypeOf<OpsQueries<ElbOps>>().toEqualTypeOf<CatalogQueries<'elb'>>();
    expectTypeOf<Ec2Ops['exportImage']['kind']>().toEqualTypeOf<'mutation'>();
    expectTypeOf<Ec2Ops['getConsoleOutput']['kind']>().toEqualTypeOf<'query'>();
  });
});
