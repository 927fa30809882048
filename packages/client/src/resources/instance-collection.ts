import type { Tag } from '@aws-sdk/client-ec2';
import { Collection, type CollectionFilter, ec2MaxResults } from '../collections';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type BatchOptions, type BatchResult, type PlanResult, runBatch } from './batch';
import { Instance } from './instance';

/** `ec2.instances`: boto3's instance collection, with batch actions chunked to EC2's limits. */
export class InstanceCollection extends Collection<Instance> {
  constructor(private readonly aws: AwsTransport) {
    super(async ({ filter, pageSize, nextToken, signal }) => {
      const output = await aws.ec2(
        'describeInstances',
        {
          ...(filter.Filters ? { Filters: filter.Filters } : {}),
          ...(filter.ids ? { InstanceIds: filter.ids } : {}),
          // EC2 rejects MaxResults together with InstanceIds.
          // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
          ...(filter.ids ? {} : { MaxResults: ec2MaxResults(pageSize) }),
          NextToken: nextToken,
        },
        { signal },
      );
      const items = (output.Reservations ?? []).flatMap((r) =>
        (r.Instances ?? []).map((i) => new Instance(aws, i.InstanceId ?? '', i)),
      );
      return { items, nextToken: output.NextToken };
    });
  }

  /** Narrows by EC2 filters and instance ids, e.g. `{ Filters: [{ Name: 'tag:Name', Values: ['web'] }] }`. */
  filter(filter: { Filters?: CollectionFilter['Filters']; InstanceIds?: string[] }): this {
    return this.narrow({
      ...(filter.Filters ? { Filters: filter.Filters } : {}),
      ...(filter.InstanceIds ? { ids: filter.InstanceIds } : {}),
    });
  }

  async ids(): Promise<string[]> {
    return (await this.all()).map((i) => i.id);
  }

  start(opts: { dryRun: true }): Promise<PlanResult>;
  start(opts?: BatchOptions & { dryRun?: false }): Promise<BatchResult<Ec2Output<'startInstances'>>>;
  async start(opts: BatchOptions = {}) {
    return runBatch(
      await this.ids(),
      (InstanceIds, DryRun) => this.aws.ec2('startInstances', { InstanceIds, DryRun }),
      opts,
    );
  }

  stop(opts: { dryRun: true; force?: boolean }): Promise<PlanResult>;
  stop(
    opts?: BatchOptions & { dryRun?: false; force?: boolean },
  ): Promise<BatchResult<Ec2Output<'stopInstances'>>>;
  async stop(opts: BatchOptions & { force?: boolean } = {}) {
    return runBatch(
      await this.ids(),
      (InstanceIds, DryRun) => this.aws.ec2('stopInstances', { InstanceIds, DryRun, Force: opts.force }),
      opts,
    );
  }

  terminate(opts: { dryRun: true }): Promise<PlanResult>;
  terminate(opts?: BatchOptions & { dryRun?: false }): Promise<BatchResult<Ec2Output<'terminateInstances'>>>;
  async terminate(opts: BatchOptions = {}) {
    return runBatch(
      await this.ids(),
      (InstanceIds, DryRun) => this.aws.ec2('terminateInstances', { InstanceIds, DryRun }),
      opts,
    );
  }

  createTags(tags: Tag[], opts: { dryRun: true }): Promise<PlanResult>;
  createTags(
    tags: Tag[],
    opts?: BatchOptions & { dryRun?: false },
  ): Promise<BatchResult<Ec2Output<'createTags'>>>;
  async createTags(tags: Tag[], opts: BatchOptions = {}) {
    return runBatch(
      await this.ids(),
      (Resources, DryRun) => this.aws.ec2('createTags', { Resources, Tags: tags, DryRun }),
      opts,
    );
  }
}
