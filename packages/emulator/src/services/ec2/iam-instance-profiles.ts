import { createHash } from 'node:crypto';
import type {
  AssociateIamInstanceProfileCommandInput,
  AssociateIamInstanceProfileCommandOutput,
  DescribeIamInstanceProfileAssociationsCommandInput,
  DescribeIamInstanceProfileAssociationsCommandOutput,
  DisassociateIamInstanceProfileCommandInput,
  DisassociateIamInstanceProfileCommandOutput,
  IamInstanceProfileAssociation,
  IamInstanceProfileAssociationState,
  IamInstanceProfileSpecification,
  ReplaceIamInstanceProfileAssociationCommandInput,
  ReplaceIamInstanceProfileAssociationCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import {
  idErrors,
  incorrectInstanceState,
  incorrectState,
  invalidParameterValue,
  missingParameter,
} from './errors';
import { findInstanceRecord, type InstanceRecord, onLaunch } from './instance-state';
import { resolveInstances } from './instances';
import { defineFamily, type ResourceRecord, type Scope } from './resource-family';

/**
 * IAM instance profile associations: one per instance, made by RunInstances' IamInstanceProfile or
 * AssociateIamInstanceProfile, gone with the instance. The emulator has no IAM: any well-formed
 * profile ARN or name is accepted, and a name is taken to be in the caller's account.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateIamInstanceProfile.html
 */
export interface ProfileAssociationRecord extends ResourceRecord {
  instanceId: string;
  arn: string;
  profileId: string;
  since: number;
}

export const profileAssociations = defineFamily<ProfileAssociationRecord, IamInstanceProfileAssociation>({
  prefix: 'iip-assoc',
  errors: idErrors({
    notFound: 'InvalidAssociationID.NotFound',
    malformed: 'InvalidAssociationID.Malformed',
    noun: 'association',
    prefix: 'iip-assoc',
    notFoundMessage: (ids) => `An association with ID ${ids.join(', ')} does not exist.`,
  }),
  shape: (a) => ({
    AssociationId: a.id,
    InstanceId: a.instanceId,
    IamInstanceProfile: { Arn: a.arn, Id: a.profileId },
    State: 'associated',
    Timestamp: new Date(a.since),
  }),
  filters: () => ({
    'instance-id': (a) => a.instanceId,
    state: () => 'associated',
  }),
  // An association ends with its instance.
  settle: (a, now, region) => {
    const i = findInstanceRecord(region, a.instanceId, now);
    return !!i && i.state !== 'terminated';
  },
});

const ARN = /^arn:aws[\w-]*:iam::(\d{12}):instance-profile\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,128})$/;
const NAME = /^[\w+=,.@-]{1,128}$/;

/** The profile's ARN and a stable id (IAM ids of instance profiles start with AIPA). */
export function resolveProfile(region: Region, spec: IamInstanceProfileSpecification | undefined) {
  if (!spec || (!spec.Arn && !spec.Name)) throw missingParameter('IamInstanceProfile');
  let arn: string;
  if (spec.Arn) {
    const m = ARN.exec(spec.Arn);
    if (!m)
      throw invalidParameterValue(`Value (${spec.Arn}) for parameter iamInstanceProfile.arn is invalid.`);
    if (spec.Name && spec.Name !== m[2])
      throw invalidParameterValue('The iamInstanceProfile name and ARN do not name the same profile.');
    arn = spec.Arn;
  } else {
    if (!NAME.test(spec.Name!))
      throw invalidParameterValue(`Value (${spec.Name}) for parameter iamInstanceProfile.name is invalid.`);
    arn = `arn:aws:iam::${region.accountId}:instance-profile/${spec.Name}`;
  }
  const id = `AIPA${createHash('sha1').update(arn).digest('hex').slice(0, 17).toUpperCase()}`;
  return { arn, id };
}

const associationOf = (scope: Scope, instanceId: string) =>
  profileAssociations.where(scope, (a) => a.instanceId === instanceId).next().value as
    | ProfileAssociationRecord
    | undefined;

function associate(scope: Scope, rec: InstanceRecord, profile: { arn: string; id: string }) {
  rec.iamProfile = profile;
  return profileAssociations.add(scope.region, {
    id: profileAssociations.newId(),
    instanceId: rec.id,
    arn: profile.arn,
    profileId: profile.id,
    since: scope.clock.now(),
  });
}

function drop(scope: Scope, a: ProfileAssociationRecord) {
  profileAssociations.remove(scope.region, a);
  const i = findInstanceRecord(scope.region, a.instanceId, scope.clock.now());
  if (i) i.iamProfile = undefined;
}

const withState = (a: IamInstanceProfileAssociation, State: IamInstanceProfileAssociationState) => ({
  ...a,
  State,
});

onLaunch((scope, launch) => {
  if (!launch.input.IamInstanceProfile) return undefined;
  const profile = resolveProfile(scope.region, launch.input.IamInstanceProfile);
  return (rec) => void associate(scope, rec, profile);
});

const associateIamInstanceProfile: Handler<
  AssociateIamInstanceProfileCommandInput,
  Out<AssociateIamInstanceProfileCommandOutput>
> = (input, ctx) => {
  const [rec] = resolveInstances(
    ctx.region,
    input.InstanceId ? [input.InstanceId] : undefined,
    ctx.clock.now(),
  );
  const profile = resolveProfile(ctx.region, input.IamInstanceProfile);
  const r = rec!;
  if (r.state !== 'running' && r.state !== 'stopped' && r.state !== 'pending')
    throw incorrectInstanceState(`The instance '${r.id}' is not in a valid state for this operation.`);
  const existing = associationOf(ctx, r.id);
  if (existing) throw incorrectState(`There is an existing association for instance ${r.id}`);
  const a = associate(ctx, r, profile);
  return { IamInstanceProfileAssociation: withState(profileAssociations.shape(ctx, a), 'associating') };
};

const disassociateIamInstanceProfile: Handler<
  DisassociateIamInstanceProfileCommandInput,
  Out<DisassociateIamInstanceProfileCommandOutput>
> = (input, ctx) => {
  const a = profileAssociations.get(ctx, input.AssociationId, 'AssociationId');
  const shape = profileAssociations.shape(ctx, a);
  drop(ctx, a);
  return { IamInstanceProfileAssociation: withState(shape, 'disassociating') };
};

/** Swaps the profile of an association without a window with none; the association gets a new id. */
const replaceIamInstanceProfileAssociation: Handler<
  ReplaceIamInstanceProfileAssociationCommandInput,
  Out<ReplaceIamInstanceProfileAssociationCommandOutput>
> = (input, ctx) => {
  const a = profileAssociations.get(ctx, input.AssociationId, 'AssociationId');
  const profile = resolveProfile(ctx.region, input.IamInstanceProfile);
  const inst = findInstanceRecord(ctx.region, a.instanceId, ctx.clock.now())!;
  drop(ctx, a);
  const next = associate(ctx, inst, profile);
  return { IamInstanceProfileAssociation: withState(profileAssociations.shape(ctx, next), 'associating') };
};

export const iamInstanceProfileHandlers: HandlerMap = {
  AssociateIamInstanceProfile: associateIamInstanceProfile,
  DisassociateIamInstanceProfile: disassociateIamInstanceProfile,
  ReplaceIamInstanceProfileAssociation: replaceIamInstanceProfileAssociation,
  DescribeIamInstanceProfileAssociations: profileAssociations.describeHandler(
    (i: DescribeIamInstanceProfileAssociationsCommandInput) => i.AssociationIds,
    'IamInstanceProfileAssociations',
  ) satisfies Handler<
    DescribeIamInstanceProfileAssociationsCommandInput,
    Out<DescribeIamInstanceProfileAssociationsCommandOutput>
  >,
};
