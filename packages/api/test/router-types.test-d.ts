import { describe, expectTypeOf, it } from 'vitest';
import type { GatewayContext } from '../src/core/context';
import type { t } from '../src/core/trpc';
import type { AppRouter, GatewayRootTypes } from '../src/router';

type Server = (typeof t)['_config']['$types'];

describe("AppRouter's root types", () => {
  it("are t's, with the context left opaque for clients", () => {
    expectTypeOf<Omit<GatewayRootTypes, 'ctx'>>().toEqualTypeOf<Omit<Server, 'ctx'>>();
    expectTypeOf<AppRouter['_def']['_config']['$types']>().toEqualTypeOf<GatewayRootTypes>();
    // The server's context still fits where the router's is asked for (createHTTPHandler's createContext).
    expectTypeOf<GatewayContext>().toExtend<GatewayRootTypes['ctx']>();
  });
});
