import type { Region } from '../../core/types';
import { blockSize, type Cidr, intToIp, parseCidr } from './cidr';
import { newId, sequence } from './ids';

/**
 * The state VPCs and subnets share: the records, the default VPC every region starts with, public
 * addresses and DNS names, and what keeps a VPC or subnet from being deleted.
 */

export interface VpcRecord {
  seq: number;
  id: string;
  cidr: Cidr;
  isDefault: boolean;
  dhcpOptionsId: string;
  cidrAssociationId: string;
  tenancy: string;
}

export interface SubnetRecord {
  seq: number;
  id: string;
  vpcId: string;
  cidr: Cidr;
  zone: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  /** The next host offset to hand out; AWS reserves the first four addresses and the last. */
  nextHost: number;
  /** Host offsets below nextHost given back by terminated instances, handed out again first. */
  released: number[];
}

interface NetworkState {
  seq: ReturnType<typeof sequence>;
  vpcs: Map<string, VpcRecord>;
  subnets: Map<string, SubnetRecord>;
  defaultVpcId: string;
  nextPublicIp: number;
}

/** The default VPC and its default subnets, as every account has them (172.31.0.0/16, one /20 per zone). */
export function network(region: Region): NetworkState {
  return region.slot('ec2.network', () => {
    const seq = sequence();
    const vpc: VpcRecord = {
      seq: seq.next(),
      id: newId('vpc'),
      cidr: parseCidr('172.31.0.0/16')!,
      isDefault: true,
      dhcpOptionsId: newId('dopt'),
      cidrAssociationId: newId('vpc-cidr-assoc'),
      tenancy: 'default',
    };
    const subnets = new Map<string, SubnetRecord>();
    region.zones.forEach((zone, i) => {
      const s: SubnetRecord = {
        seq: seq.next(),
        id: newId('subnet'),
        vpcId: vpc.id,
        cidr: { base: vpc.cidr.base + i * blockSize(20), prefix: 20 },
        zone,
        defaultForAz: true,
        mapPublicIpOnLaunch: true,
        nextHost: 4,
        released: [],
      };
      subnets.set(s.id, s);
    });
    // Public addresses come from a documentation-looking block of Amazon's range (3.80.0.0/12).
    return {
      seq,
      vpcs: new Map([[vpc.id, vpc]]),
      subnets,
      defaultVpcId: vpc.id,
      nextPublicIp: 0x03500000 + 10,
    };
  });
}

export function allocatePublicIp(region: Region): string {
  const net = network(region);
  net.nextPublicIp += 1 + (net.nextPublicIp % 7);
  return intToIp(net.nextPublicIp);
}

/** EC2's DNS names: us-east-1 has its own historic domains (ec2.internal, compute-1). */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1'
    ? `${host}.compute-1.amazonaws.com`
    : `${host}.${region}.compute.amazonaws.com`;
}

/** Other families say here what keeps a VPC or subnet from being deleted (instances, groups). */
type DependentCheck = (region: Region, ref: { vpcId?: string; subnetId?: string }, now: number) => boolean;
export const dependents: DependentCheck[] = [];
export function registerNetworkDependent(check: DependentCheck): void {
  dependents.push(check);
}
