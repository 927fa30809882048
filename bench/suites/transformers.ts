/**
 * Measures the wire cost of the transformer candidates on a 500-instance DescribeInstances output:
 * serialize + JSON.stringify (server) and JSON.parse + deserialize (client), as tRPC does it.
 * Run: `cd packages/api && npx tsx test/helpers/measure-transformers.ts`. Results go to docs/ARCHITECTURE.md.
 */

import { transformer as handRolled } from '@aws-trpc/shared';
import { describeInstancesOutput } from '@aws-trpc/testkit';
import * as devalue from 'devalue';
import superjson from 'superjson';

superjson.registerCustom<Uint8Array, string>(
  {
    isApplicable: (v): v is Uint8Array => v instanceof Uint8Array,
    serialize: (v) => Buffer.from(v).toString('base64'),
    deserialize: (v) => new Uint8Array(Buffer.from(v, 'base64')),
  },
  'Uint8Array',
);

const candidates = {
  'hand-rolled (src/transformer.ts)': handRolled,
  'superjson (+ Uint8Array rule)': {
    serialize: (v: unknown) => superjson.serialize(v),
    deserialize: (v: unknown) => superjson.deserialize(v as never),
  },
  'none (plain JSON, loses types)': { serialize: (v: unknown) => v, deserialize: (v: unknown) => v },
  devalue: {
    serialize: (v: unknown) => devalue.stringify(v),
    deserialize: (v: unknown) => devalue.parse(v as string),
  },
};

const value = describeInstancesOutput(500);
const rounds = 40;
for (const [name, tr] of Object.entries(candidates)) {
  for (let i = 0; i < 5; i++) tr.deserialize(JSON.parse(JSON.stringify(tr.serialize(value)))); // warm up
  let out = 0;
  let inn = 0;
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const body = JSON.stringify(tr.serialize(value));
    const t1 = performance.now();
    const back = tr.deserialize(JSON.parse(body)) as typeof value;
    const t2 = performance.now();
    out += t1 - t0;
    inn += t2 - t1;
    bytes = body.length;
    if (!name.startsWith('none') && !(back.Reservations?.[0]?.Instances?.[499]?.LaunchTime instanceof Date))
      throw new Error(`${name} lost a Date`);
  }
  console.log(
    `${name.padEnd(34)} server ${(out / rounds).toFixed(2)} ms  client ${(inn / rounds).toFixed(2)} ms  body ${(bytes / 1024).toFixed(0)} KiB`,
  );
}
