import type {
  CreateSubnetCidrReservationCommandInput,
  CreateSubnetCidrReservationCommandOutput,
  DeleteSubnetCidrReservationCommandInput,
  DeleteSubnetCidrReservationCommandOutput,
  GetSubnetCidrReservationsCommandInput,
  GetSubnetCidrReservationsCommandOutput,
  SubnetCidrReservation,
  SubnetCidrReservationType,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out } from '../../core/types';
import { cidrContains, cidrsOverlap, ipv6Contains, ipv6Overlap, parseCidr, parseIpv6Cidr } from './cidr';
import {
  checkDryRun,
  cidrInvalid,
  idErrors,
  invalidParameterValue,
  missingParameter,
  subnetConflict,
} from './errors';
import { compileFilters } from './filters';
import { paginate } from './paging';
import { defineFamily, type ResourceRecord, viewOf } from './resource-family';
import { onSubnetDeleted, subnets } from './subnets';

/**
 * Subnet CIDR reservations: ranges of a subnet kept for prefix delegation (`prefix`) or for
 * addresses the caller assigns (`explicit`); they may not overlap each other.
 * https://docs.aws.amazon.com/vpc/latest/userguide/subnet-cidr-reservation.html
 */
export interface CidrReservationRecord extends ResourceRecord {
  subnetId: string;
  cidr: string;
  ipv6: boolean;
  type: SubnetCidrReservationType;
  description?: string | undefined;
}

export const cidrReservations = defineFamily<CidrReservationRecord, SubnetCidrReservation>({
  prefix: 'scr',
  resourceType: 'subnet-cidr-reservation',
  errors: idErrors({
    notFound: 'InvalidSubnetCidrReservationID.NotFound',
    malformed: 'InvalidSubnetCidrReservationID.Malformed',
    noun: 'subnetCidrReservation',
    prefix: 'scr',
  }),
  shape: (r, view) => ({
    SubnetCidrReservationId: r.id,
    SubnetId: r.subnetId,
    Cidr: r.cidr,
    ReservationType: r.type,
    OwnerId: view.region.accountId,
    Description: r.description,
    Tags: view.tags(r.id),
  }),
});

const overlaps = (a: CidrReservationRecord, cidr: string) => {
  const [x4, y4] = [parseCidr(a.cidr), parseCidr(cidr)];
  if (x4 && y4) return cidrsOverlap(x4, y4);
  const [x6, y6] = [parseIpv6Cidr(a.cidr), parseIpv6Cidr(cidr)];
  return x6 !== undefined && y6 !== undefined && ipv6Overlap(x6, y6);
};

const create: Handler<
  CreateSubnetCidrReservationCommandInput,
  Out<CreateSubnetCidrReservationCommandOutput>
> = (input, ctx) => {
  const s = subnets.get(ctx, input.SubnetId, 'SubnetId');
  if (!input.Cidr) throw missingParameter('Cidr');
  if (input.ReservationType !== 'prefix' && input.ReservationType !== 'explicit')
    throw invalidParameterValue(`Value (${input.ReservationType}) for parameter reservationType is invalid.`);
  const v4 = parseCidr(input.Cidr);
  const v6 = v4 ? undefined : parseIpv6Cidr(input.Cidr);
  if (!v4 && !v6) throw invalidParameterValue(`Value (${input.Cidr}) for parameter cidr is invalid.`);
  const inside = v4
    ? !s.ipv6Native && cidrContains(s.cidr, v4)
    : s.ipv6Blocks.some((b) => b.state === 'associated' && ipv6Contains(parseIpv6Cidr(b.cidr)!, v6!));
  if (!inside) throw cidrInvalid('InvalidSubnet.Range', input.Cidr);
  if (cidrReservations.list(ctx).some((r) => r.subnetId === s.id && overlaps(r, input.Cidr!)))
    throw subnetConflict(input.Cidr);
  const r = cidrReservations.create(ctx, input, () => ({
    subnetId: s.id,
    cidr: input.Cidr!,
    ipv6: v6 !== undefined,
    type: input.ReservationType!,
    description: input.Description,
  }));
  return { SubnetCidrReservation: cidrReservations.shape(ctx, r) };
};

const remove: Handler<
  DeleteSubnetCidrReservationCommandInput,
  Out<DeleteSubnetCidrReservationCommandOutput>
> = (input, ctx) => {
  const r = cidrReservations.delete(ctx, input, input.SubnetCidrReservationId, 'SubnetCidrReservationId');
  return { DeletedSubnetCidrReservation: cidrReservations.shape(ctx, r) };
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetSubnetCidrReservations.html */
const get: Handler<GetSubnetCidrReservationsCommandInput, Out<GetSubnetCidrReservationsCommandOutput>> = (
  input,
  ctx,
) => {
  const s = subnets.get(ctx, input.SubnetId, 'SubnetId');
  const view = viewOf(ctx);
  const keep = compileFilters<CidrReservationRecord>(
    input.Filters,
    {
      reservationType: (r) => r.type,
      'subnet-id': (r) => r.subnetId,
      'owner-id': () => ctx.region.accountId,
    },
    (r) => view.tags(r.id),
  );
  const page = paginate(
    cidrReservations.list(ctx).filter((r) => r.subnetId === s.id && keep(r)),
    input,
    { min: 5, max: 1000 },
  );
  checkDryRun(input);
  const shaped = page.items.map((r) => ({ r, x: cidrReservations.shape(ctx, r) }));
  return {
    SubnetIpv4CidrReservations: shaped.filter((x) => !x.r.ipv6).map((x) => x.x),
    SubnetIpv6CidrReservations: shaped.filter((x) => x.r.ipv6).map((x) => x.x),
    NextToken: page.nextToken,
  };
};

onSubnetDeleted((scope, s) => {
  for (const r of cidrReservations.list(scope))
    if (r.subnetId === s.id) cidrReservations.remove(scope.region, r);
});

export const subnetCidrReservationHandlers: HandlerMap = {
  CreateSubnetCidrReservation: create,
  DeleteSubnetCidrReservation: remove,
  GetSubnetCidrReservations: get,
};
