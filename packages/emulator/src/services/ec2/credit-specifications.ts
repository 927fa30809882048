import type {
  DescribeInstanceCreditSpecificationsCommandInput,
  DescribeInstanceCreditSpecificationsCommandOutput,
  GetDefaultCreditSpecificationCommandInput,
  GetDefaultCreditSpecificationCommandOutput,
  ModifyDefaultCreditSpecificationCommandInput,
  ModifyDefaultCreditSpecificationCommandOutput,
  ModifyInstanceCreditSpecificationCommandInput,
  ModifyInstanceCreditSpecificationCommandOutput,
  SuccessfulInstanceCreditSpecificationItem,
  UnlimitedSupportedInstanceFamily,
  UnsuccessfulInstanceCreditSpecificationItem,
} from '@aws-sdk/client-ec2';
import type { Handler, HandlerMap, Out, Region } from '../../core/types';
import { checkDryRun, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors';
import { compileFilters } from './filters';
import { isWellFormedId } from './ids';
import { findInstanceRecord, type InstanceRecord, liveInstances, onLaunch } from './instance-state';
import { instanceTypeInfo } from './instance-types';
import { resolveInstances } from './instances';
import { paginate } from './paging';

/**
 * CPU credits of burstable (T) instances: `standard` or `unlimited`. New instances take their
 * family's account default, which starts as standard for T2 and unlimited for T3, T3a and T4g
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-performance-instances-unlimited-mode-concepts.html).
 */
const FAMILIES: readonly UnlimitedSupportedInstanceFamily[] = ['t2', 't3', 't3a', 't4g'];
const MODES = ['standard', 'unlimited'];

const defaults = (region: Region) =>
  region.slot<Record<string, string>>('ec2.creditDefaults', () => ({
    t2: 'standard',
    t3: 'unlimited',
    t3a: 'unlimited',
    t4g: 'unlimited',
  }));

const familyOf = (type: string) => type.split('.')[0]!;
const burstable = (type: string) => instanceTypeInfo(type)?.BurstablePerformanceSupported === true;

/** An instance's mode: what its launch or a Modify call set, else its family's default at launch. */
const creditsOf = (region: Region, r: InstanceRecord) =>
  r.cpuCredits ?? defaults(region)[familyOf(r.instanceType)] ?? 'standard';

function checkMode(mode: string | undefined): string {
  if (!mode) throw missingParameter('CpuCredits');
  if (!MODES.includes(mode))
    throw invalidParameterValue(`Value (${mode}) for parameter cpuCredits is invalid.`);
  return mode;
}

function checkFamily(f: string | undefined): string {
  if (!f) throw missingParameter('InstanceFamily');
  if (!FAMILIES.includes(f as UnlimitedSupportedInstanceFamily))
    throw invalidParameterValue(`Value (${f}) for parameter instanceFamily is invalid.`);
  return f;
}

// RunInstances' CreditSpecification applies to burstable types only; others take the family default.
onLaunch((scope, launch) => {
  const asked = launch.input.CreditSpecification?.CpuCredits;
  const type = launch.instanceType;
  if (asked !== undefined) {
    checkMode(asked);
    if (!burstable(type))
      throw invalidParameterCombination(`The instance type ${type} does not support CPU credits.`);
  }
  if (!burstable(type)) return undefined;
  const mode = asked ?? defaults(scope.region)[familyOf(type)] ?? 'standard';
  return (rec) => {
    rec.cpuCredits = mode;
  };
});

const describeInstanceCreditSpecifications: Handler<
  DescribeInstanceCreditSpecificationsCommandInput,
  Out<DescribeInstanceCreditSpecificationsCommandOutput>
> = (input, ctx) => {
  const now = ctx.clock.now();
  if (input.InstanceIds?.length && input.MaxResults !== undefined)
    throw invalidParameterCombination(
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  let recs: InstanceRecord[];
  if (input.InstanceIds?.length) {
    recs = resolveInstances(ctx.region, input.InstanceIds, now);
    for (const r of recs)
      if (!burstable(r.instanceType))
        throw invalidParameterValue(`The instance ID '${r.id}' is not a burstable performance instance.`);
  } else
    recs = [...liveInstances(ctx.region, now)].filter(
      (r) => burstable(r.instanceType) && r.state !== 'terminated',
    );
  const keep = compileFilters<InstanceRecord>(input.Filters, { 'instance-id': (r) => r.id });
  const page = paginate(recs.filter(keep), input, { min: 5, max: 1000 });
  return {
    InstanceCreditSpecifications: page.items.map((r) => ({
      InstanceId: r.id,
      CpuCredits: creditsOf(ctx.region, r),
    })),
    NextToken: page.nextToken,
  };
};

/** Each instance succeeds or fails on its own, with the codes of the reference. */
const modifyInstanceCreditSpecification: Handler<
  ModifyInstanceCreditSpecificationCommandInput,
  Out<ModifyInstanceCreditSpecificationCommandOutput>
> = (input, ctx) => {
  const specs = input.InstanceCreditSpecifications ?? [];
  if (!specs.length) throw missingParameter('InstanceCreditSpecification');
  for (const s of specs) checkMode(s.CpuCredits);
  checkDryRun(input);
  const ok: SuccessfulInstanceCreditSpecificationItem[] = [];
  const failed: UnsuccessfulInstanceCreditSpecificationItem[] = [];
  const now = ctx.clock.now();
  for (const s of specs) {
    const id = s.InstanceId ?? '';
    const fail = (
      Code: NonNullable<UnsuccessfulInstanceCreditSpecificationItem['Error']>['Code'],
      Message: string,
    ) => failed.push({ InstanceId: id, Error: { Code, Message } });
    if (!isWellFormedId('i', id)) fail('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    else {
      const r = findInstanceRecord(ctx.region, id, now);
      if (!r || r.state === 'terminated')
        fail('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      else if (!burstable(r.instanceType))
        fail(
          'InstanceCreditSpecification.NotSupported',
          `The instance type ${r.instanceType} does not support CPU credits.`,
        );
      else {
        r.cpuCredits = s.CpuCredits;
        ok.push({ InstanceId: id });
      }
    }
  }
  return { SuccessfulInstanceCreditSpecifications: ok, UnsuccessfulInstanceCreditSpecifications: failed };
};

const getDefaultCreditSpecification: Handler<
  GetDefaultCreditSpecificationCommandInput,
  Out<GetDefaultCreditSpecificationCommandOutput>
> = (input, ctx) => {
  const family = checkFamily(input.InstanceFamily);
  return {
    InstanceFamilyCreditSpecification: {
      InstanceFamily: family as UnlimitedSupportedInstanceFamily,
      CpuCredits: defaults(ctx.region)[family],
    },
  };
};

/** Changes the default for instances launched from now on; running instances keep theirs. */
const modifyDefaultCreditSpecification: Handler<
  ModifyDefaultCreditSpecificationCommandInput,
  Out<ModifyDefaultCreditSpecificationCommandOutput>
> = (input, ctx) => {
  const family = checkFamily(input.InstanceFamily);
  const mode = checkMode(input.CpuCredits);
  checkDryRun(input);
  defaults(ctx.region)[family] = mode;
  return {
    InstanceFamilyCreditSpecification: {
      InstanceFamily: family as UnlimitedSupportedInstanceFamily,
      CpuCredits: mode,
    },
  };
};

export const creditSpecificationHandlers: HandlerMap = {
  DescribeInstanceCreditSpecifications: describeInstanceCreditSpecifications,
  ModifyInstanceCreditSpecification: modifyInstanceCreditSpecification,
  GetDefaultCreditSpecification: getDefaultCreditSpecification,
  ModifyDefaultCreditSpecification: modifyDefaultCreditSpecification,
};
