import { Instance$, type Instance as SdkInstance, type Tag } from '@aws-sdk/client-ec2';
import { isAwsError } from '../errors';
import type { InstanceStateEvent } from '../events';
import type { Ec2Input, Ec2Output } from '../service-types';
import type { AwsTransport } from '../transport';
import { type Attributes, defineAttributes } from './attributes';
import { Resource } from './resource';
import { subscriptionStream } from './stream';
import { runWaiter, type WaiterSuccess, type WaitOptions } from './waiter';

type InstanceMethods = 'start' | 'stop' | 'terminate' | 'reboot' | 'load' | 'refresh';

/**
 * Right after RunInstances, EC2 may still answer InvalidInstanceID.NotFound for the new ids
 * ("eventual consistency"); a freshly created instance retries that briefly, with backoff.
 * https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
 */
const NOT_FOUND_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600];

/** Attributes: getters defined from the SDK schema below (declaration merging with the class). */
export interface Instance extends Attributes<SdkInstance, InstanceMethods> {}

/** An EC2 instance, like boto3's `ec2.Instance(id)`. Attributes read the last `load()`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above.
export class Instance extends Resource<SdkInstance> {
  #fresh: boolean;

  constructor(aws: AwsTransport, id: string, data?: SdkInstance, opts: { fresh?: boolean } = {}) {
    super(aws, id, data);
    this.#fresh = opts.fresh ?? false;
  }

  async load(opts: { signal?: AbortSignal } = {}): Promise<this> {
    for (let attempt = 0; ; attempt++) {
      try {
        const output = await this.aws.ec2('describeInstances', { InstanceIds: [this.id] }, opts);
        const found = output.Reservations?.flatMap((r) => r.Instances ?? []).find(
          (i) => i.InstanceId === this.id,
        );
        if (!found) throw new Error(`Instance ${this.id} not found`);
        this.#fresh = false;
        return this.setData(found);
      } catch (err) {
        const delay = NOT_FOUND_RETRY_DELAYS_MS[attempt];
        if (!this.#fresh || delay === undefined || !isAwsError(err, 'InvalidInstanceID.NotFound')) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  start(): Promise<Ec2Output<'startInstances'>> {
    return this.aws.ec2('startInstances', { InstanceIds: [this.id] });
  }

  stop(opts: { force?: boolean; hibernate?: boolean } = {}): Promise<Ec2Output<'stopInstances'>> {
    return this.aws.ec2('stopInstances', {
      InstanceIds: [this.id],
      Force: opts.force,
      Hibernate: opts.hibernate,
    });
  }

  terminate(): Promise<Ec2Output<'terminateInstances'>> {
    return this.aws.ec2('terminateInstances', { InstanceIds: [this.id] });
  }

  reboot(): Promise<Ec2Output<'rebootInstances'>> {
    return this.aws.ec2('rebootInstances', { InstanceIds: [this.id] });
  }

  createTags(tags: Tag[]): Promise<Ec2Output<'createTags'>> {
    return this.aws.ec2('createTags', { Resources: [this.id], Tags: tags });
  }

  /** boto's `add_tag(key, value)`. */
  addTag(key: string, value = ''): Promise<Ec2Output<'createTags'>> {
    return this.createTags([{ Key: key, Value: value }]);
  }

  /** Without tags, deletes every tag of the instance (DeleteTags' own rule). */
  deleteTags(tags?: Tag[]): Promise<Ec2Output<'deleteTags'>> {
    return this.aws.ec2('deleteTags', { Resources: [this.id], ...(tags ? { Tags: tags } : {}) });
  }

  /** boto's `remove_tag(key, value?)`: with a value, only a tag with that value is removed. */
  removeTag(key: string, value?: string): Promise<Ec2Output<'deleteTags'>> {
    return this.deleteTags([{ Key: key, ...(value === undefined ? {} : { Value: value }) }]);
  }

  /** One attribute per call, as ModifyInstanceAttribute requires. */
  modifyAttribute(
    input: Omit<Ec2Input<'modifyInstanceAttribute'>, 'InstanceId'>,
  ): Promise<Ec2Output<'modifyInstanceAttribute'>> {
    return this.aws.ec2('modifyInstanceAttribute', { ...input, InstanceId: this.id });
  }

  describeAttribute(
    attribute: Ec2Input<'describeInstanceAttribute'>['Attribute'],
  ): Promise<Ec2Output<'describeInstanceAttribute'>> {
    return this.aws.ec2('describeInstanceAttribute', { InstanceId: this.id, Attribute: attribute });
  }

  /** The console output; `text` is `Output` decoded from base64. */
  async consoleOutput(
    opts: { latest?: boolean } = {},
  ): Promise<Ec2Output<'getConsoleOutput'> & { text: string | undefined }> {
    const output = await this.aws.ec2('getConsoleOutput', { InstanceId: this.id, Latest: opts.latest });
    const text =
      output.Output === undefined ? undefined : new TextDecoder().decode(base64Bytes(output.Output));
    return { ...output, text };
  }

  waitUntilRunning(opts?: WaitOptions): Promise<WaiterSuccess<Ec2Output<'describeInstances'>>> {
    return this.#wait('waitUntilInstanceRunning', opts);
  }

  waitUntilStopped(opts?: WaitOptions): Promise<WaiterSuccess<Ec2Output<'describeInstances'>>> {
    return this.#wait('waitUntilInstanceStopped', opts);
  }

  /** Afterwards the instance may have disappeared; it keeps its last description if so. */
  waitUntilTerminated(opts?: WaitOptions): Promise<WaiterSuccess<Ec2Output<'describeInstances'>>> {
    return this.#wait('waitUntilInstanceTerminated', opts);
  }

  waitUntilExists(opts?: WaitOptions): Promise<WaiterSuccess<Ec2Output<'describeInstances'>>> {
    return this.#wait('waitUntilInstanceExists', opts);
  }

  /**
   * The instance's state, live from the gateway's shared state source: with `snapshot` (the default)
   * first its current state, then a `change` per transition. `resync` and `status` events come through
   * too, so a gap or an upstream outage is never silent. `break` or the signal ends the subscription.
   */
  onStateChange(opts: { signal?: AbortSignal; snapshot?: boolean } = {}): AsyncIterable<InstanceStateEvent> {
    const input = { instanceIds: [this.id], snapshot: opts.snapshot ?? true };
    return subscriptionStream<InstanceStateEvent>(
      this.aws,
      'ec2',
      'onInstanceStateChange',
      input,
      opts.signal,
    );
  }

  /** A waiter refreshes the object it waited on, like boto3. */
  async #wait(
    procedure:
      | 'waitUntilInstanceRunning'
      | 'waitUntilInstanceStopped'
      | 'waitUntilInstanceTerminated'
      | 'waitUntilInstanceExists',
    opts?: WaitOptions,
  ): Promise<WaiterSuccess<Ec2Output<'describeInstances'>>> {
    const result = await runWaiter<Ec2Output<'describeInstances'>>(
      this.aws,
      'ec2',
      procedure,
      { InstanceIds: [this.id] },
      opts,
    );
    const found = result.output.Reservations?.flatMap((r) => r.Instances ?? []).find(
      (i) => i.InstanceId === this.id,
    );
    if (found) this.setData(found);
    else if (procedure !== 'waitUntilInstanceTerminated') await this.load();
    return result;
  }
}

defineAttributes(Instance, Instance$);

function base64Bytes(value: string): Uint8Array {
  const binary = atob(value);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
