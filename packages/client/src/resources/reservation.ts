import type { Reservation as SdkReservation } from '@aws-sdk/client-ec2';
import type { Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type BatchOptions, type BatchResult, type PlanResult, runBatch } from './batch';
import { Instance } from './instance';

/** The instances of one RunInstances call, like boto's Reservation (`stop_all()`, ...). */
export class Reservation {
  readonly id: string;
  readonly ownerId: string | undefined;
  readonly instances: Instance[];

  constructor(
    private readonly aws: AwsTransport,
    data: SdkReservation,
    opts: { fresh?: boolean } = {},
  ) {
    this.id = data.ReservationId ?? '';
    this.ownerId = data.OwnerId;
    this.instances = (data.Instances ?? []).map((i) => new Instance(aws, i.InstanceId ?? '', i, opts));
  }

  get instanceIds(): string[] {
    return this.instances.map((i) => i.id);
  }

  startAll(opts: { dryRun: true }): Promise<PlanResult>;
  startAll(opts?: BatchOptions & { dryRun?: false }): Promise<BatchResult<Ec2Output<'startInstances'>>>;
  startAll(opts: BatchOptions = {}) {
    return runBatch(
      this.instanceIds,
      (InstanceIds, DryRun) => this.aws.ec2('startInstances', { InstanceIds, DryRun }),
      opts,
    );
  }

  stopAll(opts: { dryRun: true; force?: boolean }): Promise<PlanResult>;
  stopAll(
    opts?: BatchOptions & { dryRun?: false; force?: boolean },
  ): Promise<BatchResult<Ec2Output<'stopInstances'>>>;
  stopAll(opts: BatchOptions & { force?: boolean } = {}) {
    return runBatch(
      this.instanceIds,
      (InstanceIds, DryRun) => this.aws.ec2('stopInstances', { InstanceIds, DryRun, Force: opts.force }),
      opts,
    );
  }

  terminateAll(opts: { dryRun: true }): Promise<PlanResult>;
  terminateAll(
    opts?: BatchOptions & { dryRun?: false },
  ): Promise<BatchResult<Ec2Output<'terminateInstances'>>>;
  terminateAll(opts: BatchOptions = {}) {
    return runBatch(
      this.instanceIds,
      (InstanceIds, DryRun) => this.aws.ec2('terminateInstances', { InstanceIds, DryRun }),
      opts,
    );
  }

  /** Refreshes every instance of the reservation (the batching link sends them in one request). */
  async load(): Promise<this> {
    if (!this.instances.length) return this;
    await Promise.all(this.instances.map((i) => i.load()));
    return this;
  }
}
