import { describe, expect, it } from 'vitest';
import { deserialize, serialize, transformer } from '../src/transformer';

describe('transformer.serializeOnce', () => {
  it('encodes a marked value once: every serialize returns the same payload', () => {
    const event = { type: 'change', instanceId: 'i-1', at: new Date(1_700_000_000_000), tags: { a: '1' } };
    expect(transformer.serializeOnce(event)).toBe(event);
    const first = serialize(event);
    expect(serialize(event)).toBe(first);
    // Marking again (every subscriber marks what it yields) keeps the cached payload.
    transformer.serializeOnce(event);
    expect(serialize(event)).toBe(first);
    const back = deserialize(JSON.parse(JSON.stringify(first))) as typeof event;
    expect(back).toEqual(event);
    expect(back.at).toBeInstanceOf(Date);
  });

  it('leaves unmarked values alone: each serialize encodes afresh, so later changes are sent', () => {
    const output = { Instances: [{ InstanceId: 'i-1', State: 'pending' }] };
    const first = serialize(output);
    expect(serialize(output)).not.toBe(first);
    (output.Instances[0] as { State: string }).State = 'running';
    expect(JSON.stringify(serialize(output))).toContain('running');
  });
});
