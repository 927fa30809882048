import { describe, expect, it } from 'vitest';
import { compileEc2Filters, type FilterTable, UnknownFilterError } from '../src/ec2-filters';

interface Item {
  id: string;
  state: string;
  code: number;
  groups: string[];
  launched?: Date;
  tags?: { Key: string; Value: string }[];
}

const table: FilterTable<Item> = {
  'instance-id': (i) => i.id,
  'instance-state-name': (i) => i.state,
  'instance-state-code': (i) => i.code,
  'group-id': (i) => i.groups,
  'launch-time': (i) => i.launched,
};
const items: Item[] = [
  { id: 'i-1', state: 'running', code: 16, groups: ['sg-a', 'sg-b'], tags: [{ Key: 'team', Value: 'blue' }] },
  { id: 'i-2', state: 'stopped', code: 80, groups: [], tags: [{ Key: 'team', Value: 'red*' }] },
  { id: 'i-3', state: 'running', code: 16, groups: ['sg-b'], launched: new Date(Date.UTC(2026, 10, 27)) },
];
const ids = (filters: { Name: string; Values: string[] }[]) =>
  items.filter(compileEc2Filters(filters, table, (i) => i.tags)).map((i) => i.id);

describe('EC2 filter semantics (shared by the emulator and the gateway)', () => {
  it('ORs the values of one filter and ANDs the filters', () => {
    expect(ids([{ Name: 'instance-state-name', Values: ['stopped', 'running'] }])).toEqual([
      'i-1',
      'i-2',
      'i-3',
    ]);
    expect(
      ids([
        { Name: 'instance-state-name', Values: ['running'] },
        { Name: 'group-id', Values: ['sg-a'] },
      ]),
    ).toEqual(['i-1']);
    expect(ids([])).toEqual(['i-1', 'i-2', 'i-3']);
  });

  it('matches * and ? wildcards, and \\ escapes them', () => {
    expect(ids([{ Name: 'instance-state-name', Values: ['run*'] }])).toEqual(['i-1', 'i-3']);
    expect(ids([{ Name: 'instance-id', Values: ['i-?'] }])).toEqual(['i-1', 'i-2', 'i-3']);
    expect(ids([{ Name: 'tag:team', Values: ['red\\*'] }])).toEqual(['i-2']);
    expect(ids([{ Name: 'tag:team', Values: ['r.d*'] }])).toEqual([]); // regex characters are literal
  });

  it('compares numbers, lists and dates as strings', () => {
    expect(ids([{ Name: 'instance-state-code', Values: ['80'] }])).toEqual(['i-2']);
    expect(ids([{ Name: 'group-id', Values: ['sg-b'] }])).toEqual(['i-1', 'i-3']);
    expect(ids([{ Name: 'launch-time', Values: ['2026-11-27*'] }])).toEqual(['i-3']);
  });

  it('adds tag:<key>, tag-key and tag-value when the resource has tags', () => {
    expect(ids([{ Name: 'tag:team', Values: ['blue'] }])).toEqual(['i-1']);
    expect(ids([{ Name: 'tag-key', Values: ['team'] }])).toEqual(['i-1', 'i-2']);
    expect(ids([{ Name: 'tag-value', Values: ['b*'] }])).toEqual(['i-1']);
    expect(() => compileEc2Filters([{ Name: 'tag:team', Values: ['x'] }], table)).toThrow(UnknownFilterError);
  });

  it('throws UnknownFilterError naming an unknown filter, never matching silently', () => {
    expect(() => ids([{ Name: 'instance-typo', Values: ['x'] }])).toThrow(
      expect.objectContaining({ name: 'UnknownFilterError', filterName: 'instance-typo' }),
    );
    expect(() => ids([{ Name: 'constructor', Values: ['x'] }])).toThrow(UnknownFilterError);
  });
});
