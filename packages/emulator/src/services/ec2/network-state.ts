import type { Region } from '../../core/types';
import { intToIp } from './cidr';
import { seedRegion } from './resource-family';

/**
 * What the network families share beyond their records: which VPC is the region's default (empty
 * once deleted), the public addresses handed out, and EC2's DNS names.
 */
interface NetworkState {
  defaultVpcId: string;
  nextPublicIp: number;
}

export function network(region: Region): NetworkState {
  seedRegion(region);
  // Public addresses come from a documentation-looking block of Amazon's range (3.80.0.0/12).
  return region.slot<NetworkState>('ec2.network', () => ({
    defaultVpcId: '',
    nextPublicIp: 0x03500000 + 10,
  }));
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

/** The domain name a region's default DHCP options hand out. */
export const regionDomainName = (region: string) =>
  region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
