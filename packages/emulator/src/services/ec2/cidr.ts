/** IPv4 arithmetic for VPC and subnet CIDR blocks. */
export interface Cidr {
  base: number;
  prefix: number;
}

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export const intToIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Parses `a.b.c.d/n` whose host bits are zero; undefined when it is not such a block. */
export function parseCidr(s: string | undefined): Cidr | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s ?? '');
  if (!m) return undefined;
  const base = ipToInt(m[1]!);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % blockSize(prefix) !== 0) return undefined;
  return { base, prefix };
}

export const blockSize = (prefix: number) => 2 ** (32 - prefix);

export const formatCidr = (c: Cidr) => `${intToIp(c.base)}/${c.prefix}`;

export const cidrContains = (outer: Cidr, inner: Cidr) =>
  inner.prefix >= outer.prefix &&
  inner.base >= outer.base &&
  inner.base < outer.base + blockSize(outer.prefix);

export const cidrsOverlap = (a: Cidr, b: Cidr) =>
  a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);

/** An IPv6 block as a 128-bit base and a prefix length. */
export interface Ipv6Cidr {
  base: bigint;
  prefix: number;
}

/** Parses `2600:1f18::/56` (`::` shorthand allowed) whose host bits are zero; undefined otherwise. */
export function parseIpv6Cidr(s: string | undefined): Ipv6Cidr | undefined {
  const m = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(s ?? '');
  if (!m) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 128) return undefined;
  const halves = m[1]!.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let base = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    base = (base << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (base & ((1n << BigInt(128 - prefix)) - 1n)) return undefined;
  return { base, prefix };
}

export const ipv6Contains = (outer: Ipv6Cidr, inner: Ipv6Cidr) =>
  inner.prefix >= outer.prefix &&
  inner.base >> BigInt(128 - outer.prefix) === outer.base >> BigInt(128 - outer.prefix);

export const ipv6Overlap = (a: Ipv6Cidr, b: Ipv6Cidr) => ipv6Contains(a, b) || ipv6Contains(b, a);
