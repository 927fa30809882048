import { AwsError } from '../../core/errors';

/**
 * EC2's error codes with the messages AWS writes
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 * Handlers throw these; the protocol layer writes the `<Response><Errors>` envelope.
 */

const quoteList = (ids: readonly string[]) => ids.join(', ');

/** The id errors of a resource family (see resource-family.ts). */
export interface IdErrors {
  malformed(id: string): AwsError;
  notFound(ids: readonly string[]): AwsError;
  /** DependencyViolation while something still depends on the resource. */
  inUse(id: string): AwsError;
}

/**
 * A family's id errors. EC2 spells the two codes differently (`InvalidRouteTableID.NotFound` but
 * `InvalidRouteTableId.Malformed`), so both are given as the reference lists them; `noun` is the
 * word AWS uses in messages (`The routeTable ID 'rtb-…' does not exist`).
 */
export function idErrors(o: {
  notFound: string;
  malformed: string;
  noun: string;
  prefix: string;
  notFoundMessage?: (ids: readonly string[]) => string;
}): IdErrors {
  const message =
    o.notFoundMessage ??
    ((ids: readonly string[]) =>
      ids.length === 1
        ? `The ${o.noun} ID '${ids[0]}' does not exist`
        : `The ${o.noun} IDs '${quoteList(ids)}' do not exist`);
  return {
    malformed: (id) => malformedId(o.malformed, id, o.prefix),
    notFound: (ids) => new AwsError(o.notFound, message(ids)),
    inUse: (id) => dependencyViolation(`The ${o.noun} '${id}' has dependencies and cannot be deleted.`),
  };
}

export const dryRunOperation = () =>
  new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);

/** Throws DryRunOperation when the flag is set; call it after validating, before mutating. */
export function checkDryRun(input: { DryRun?: boolean | undefined }): void {
  if (input.DryRun) throw dryRunOperation();
}

export const missingParameter = (name: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}`);

export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValue', message);

export const invalidParameterCombination = (message: string) =>
  new AwsError('InvalidParameterCombination', message);

export const invalidFilter = (name: string) => invalidParameterValue(`The filter '${name}' is invalid`);

export const invalidPaginationToken = (token: string) =>
  new AwsError('InvalidPaginationToken', `Invalid pagination token: ${token}`);

export const invalidMaxResults = (value: number, min: number, max: number) =>
  invalidParameterValue(
    `Value ( ${value} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
  );

/** `Invalid id: "x"` is how EC2 words every *.Malformed error. */
export const malformedId = (code: string, id: string, prefix: string) =>
  new AwsError(code, `Invalid id: "${id}" (expecting "${prefix}-...")`);

export const instanceNotFound = (ids: readonly string[]) =>
  new AwsError(
    'InvalidInstanceID.NotFound',
    ids.length === 1
      ? `The instance ID '${ids[0]}' does not exist`
      : `The instance IDs '${quoteList(ids)}' do not exist`,
  );

export const instanceMalformed = (id: string) => malformedId('InvalidInstanceID.Malformed', id, 'i');

export const incorrectInstanceState = (message: string) => new AwsError('IncorrectInstanceState', message);

export const operationNotPermitted = (message: string) => new AwsError('OperationNotPermitted', message);

export const idempotentParameterMismatch = (token: string) =>
  new AwsError(
    'IdempotentParameterMismatch',
    `Arguments on this idempotent request are inconsistent with arguments used in previous request(s) with client token '${token}'.`,
  );

export const amiNotFound = (ids: readonly string[]) =>
  new AwsError(
    'InvalidAMIID.NotFound',
    ids.length === 1
      ? `The image id '[${ids[0]}]' does not exist`
      : `The image ids '[${quoteList(ids)}]' do not exist`,
  );

export const amiMalformed = (id: string) => malformedId('InvalidAMIID.Malformed', id, 'ami');

export const amiNameDuplicate = (name: string, imageId: string) =>
  new AwsError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${imageId}`);

export const keyPairNotFound = (name: string) =>
  new AwsError('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);

export const keyPairDuplicate = (name: string) =>
  new AwsError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);

export const keyFormat = () =>
  new AwsError('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');

export const groupNotFound = (idOrName: string, vpcId?: string) =>
  new AwsError(
    'InvalidGroup.NotFound',
    vpcId
      ? `The security group '${idOrName}' does not exist in default VPC '${vpcId}'`
      : `The security group '${idOrName}' does not exist`,
  );

export const groupMalformed = (id: string) => malformedId('InvalidGroupId.Malformed', id, 'sg');

export const groupDuplicate = (name: string, vpcId: string) =>
  new AwsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);

export const permissionDuplicate = (rule: string) =>
  new AwsError('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`);

export const permissionNotFound = () =>
  new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');

export const dependencyViolation = (message: string) => new AwsError('DependencyViolation', message);

export const vpcNotFound = (id: string) =>
  new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);

export const subnetNotFound = (id: string) =>
  new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);

export const volumeNotFound = (id: string) =>
  new AwsError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);

export const volumeMalformed = (id: string) => malformedId('InvalidVolumeID.Malformed', id, 'vol');

export const volumeInUse = (message: string) => new AwsError('VolumeInUse', message);

export const incorrectState = (message: string) => new AwsError('IncorrectState', message);

export const allocationNotFound = (id: string) =>
  new AwsError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);

export const associationNotFound = (id: string) =>
  new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);

export const addressNotFound = (ip: string) =>
  new AwsError('InvalidAddress.NotFound', `Address '${ip}' not found.`);

export const invalidZone = (zone: string) =>
  new AwsError('InvalidParameterValue', `Invalid availability zone: [${zone}]`);

export const invalidInstanceType = (types: readonly string[]) =>
  new AwsError(
    'InvalidInstanceType',
    `The following supplied instance types do not exist: [${quoteList(types)}]`,
  );

export const tagLimitExceeded = () =>
  new AwsError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');

export const invalidId = (id: string) => new AwsError('InvalidID', `The ID '${id}' is not valid`);

export const cidrInvalid = (code: 'InvalidVpc.Range' | 'InvalidSubnet.Range', cidr: string) =>
  new AwsError(code, `The CIDR '${cidr}' is invalid.`);

export const subnetConflict = (cidr: string) =>
  new AwsError('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);

export const insufficientFreeAddresses = (subnetId: string) =>
  new AwsError(
    'InsufficientFreeAddressesInSubnet',
    `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`,
  );

export const invalidRegion = (name: string) => invalidParameterValue(`Invalid region: ${name}`);

export const volumeZoneMismatch = (volumeId: string, instanceId: string) =>
  new AwsError(
    'InvalidVolume.ZoneMismatch',
    `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`,
  );

export const cidrLimitExceeded = (message: string) => new AwsError('CidrLimitExceeded', message);

export const cidrBlockInUse = (message: string) => new AwsError('InvalidCidrBlock.InUse', message);

export const vpcCidrAssociationNotFound = (id: string) =>
  new AwsError(
    'InvalidVpcCidrBlockAssociationID.NotFound',
    `The vpc CIDR block association ID '${id}' does not exist`,
  );

export const subnetCidrAssociationNotFound = (id: string) =>
  new AwsError(
    'InvalidSubnetCidrBlockAssociationID.NotFound',
    `The subnet CIDR block with association ID '${id}' does not exist`,
  );

export const alreadyAssociated = (message: string) => new AwsError('Resource.AlreadyAssociated', message);

export const gatewayNotAttached = (message: string) => new AwsError('Gateway.NotAttached', message);

export const gatewayNotFound = (id: string) =>
  new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`);

export const routeAlreadyExists = (destination: string) =>
  new AwsError('RouteAlreadyExists', `The route identified by ${destination} already exists.`);

export const routeNotFound = (destination: string, tableId: string) =>
  new AwsError(
    'InvalidRoute.NotFound',
    `no route with destination-cidr-block ${destination} in route table ${tableId}`,
  );

export const networkInterfaceNotFound = (id: string) =>
  new AwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);

// Compute families (issue 15): network interfaces, launch templates, snapshots and the rest.

export const networkInterfaceInUse = (message: string) =>
  new AwsError('InvalidNetworkInterface.InUse', message);

export const attachmentLimitExceeded = (message: string) => new AwsError('AttachmentLimitExceeded', message);

export const attachmentNotFound = (id: string) =>
  new AwsError('InvalidAttachmentID.NotFound', `The attachment ID '${id}' does not exist`);

export const ipAddressInUse = (ip: string) =>
  new AwsError('InvalidIPAddress.InUse', `The specified address ${ip} is already in use.`);

export const privateIpLimitExceeded = () =>
  new AwsError('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.');

export const securityGroupsPerInterfaceLimitExceeded = () =>
  new AwsError(
    'SecurityGroupsPerInterfaceLimitExceeded',
    'The maximum number of security groups per interface has been reached.',
  );

export const launchTemplateNameDuplicate = () =>
  new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.');

export const launchTemplateNameMalformed = () =>
  new AwsError(
    'InvalidLaunchTemplateName.MalformedException',
    'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
  );

export const launchTemplateNameNotFound = (name: string) =>
  new AwsError(
    'InvalidLaunchTemplateName.NotFoundException',
    `The specified launch template, with template name ${name}, does not exist.`,
  );

export const launchTemplateVersionNotFound = (id: string, version: string) =>
  new AwsError(
    'InvalidLaunchTemplateId.VersionNotFound',
    `Could not find launch template version ${version} for launch template ID ${id}.`,
  );

export const snapshotInUse = (snapshotId: string, imageId: string) =>
  new AwsError('InvalidSnapshot.InUse', `The snapshot ${snapshotId} is currently in use by ${imageId}`);

export const insufficientHostCapacity = () =>
  new AwsError('InsufficientHostCapacity', 'Insufficient capacity.');

export const placementGroupUnknown = (name: string) =>
  new AwsError('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);

export const placementGroupDuplicate = (name: string) =>
  new AwsError('InvalidPlacementGroup.Duplicate', `The Placement Group '${name}' already exists.`);

export const placementGroupInUse = (name: string) =>
  new AwsError(
    'InvalidPlacementGroup.InUse',
    `The placement group '${name}' is in use and may not be deleted.`,
  );

export const incorrectModificationState = (message: string) =>
  new AwsError('IncorrectModificationState', message);

export const volumeModificationRateExceeded = () =>
  new AwsError(
    'VolumeModificationRateExceeded',
    "You've reached the maximum modification rate per volume limit. Wait for a modification to leave the rolling 24-hour window before modifying this volume again.",
  );

export const spotMaxPriceTooLow = (max: string, current: string) =>
  new AwsError(
    'SpotMaxPriceTooLow',
    `Your Spot request price of ${max} is lower than the minimum required Spot request fulfillment price of ${current}.`,
  );

export const reservationCapacityExceeded = (id: string) =>
  new AwsError(
    'ReservationCapacityExceeded',
    `The requested number of instances exceeds the available capacity of Capacity Reservation ${id}.`,
  );
