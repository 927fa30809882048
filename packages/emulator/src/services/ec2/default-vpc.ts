import { blockSize, parseCidr } from './cidr';
import { attach, internetGateways } from './internet-gateways';
import { network } from './network-state';
import { registerRegionSeed, scopeAt } from './resource-family';
import { addDefaultRoute } from './route-tables';
import { addDefaultSubnet } from './subnets';
import { addDefaultVpc } from './vpcs';

/**
 * The default VPC every account has in every region: 172.31.0.0/16 with one default /20 subnet per
 * zone that maps public addresses on launch. Creating it runs the same hooks as CreateVpc and
 * CreateSubnet, so it gets its main route table, default network ACL and default security group the
 * way any VPC does; the internet gateway is attached and the main table routes 0.0.0.0/0 to it.
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html#default-vpc-components
 */
registerRegionSeed((region) => {
  const scope = scopeAt(region, 0);
  const cidr = parseCidr('172.31.0.0/16')!;
  const vpc = addDefaultVpc(scope, cidr);
  network(region).defaultVpcId = vpc.id;
  const igw = internetGateways.add(region, { id: internetGateways.newId(), vpcId: undefined });
  attach(igw, vpc);
  addDefaultRoute(region, vpc.id, igw.id);
  region.zones.forEach((zone, i) => {
    addDefaultSubnet(scope, {
      vpcId: vpc.id,
      cidr: { base: cidr.base + i * blockSize(20), prefix: 20 },
      zone,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
    });
  });
});
