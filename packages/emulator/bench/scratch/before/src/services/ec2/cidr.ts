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
