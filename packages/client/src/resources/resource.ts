import type { AwsTransport } from '../transport';

/** Reading an attribute before the first `load()`: JavaScript getters cannot load lazily like boto3. */
export class ResourceNotLoadedError extends Error {
  constructor(kind: string, id: string) {
    super(`${kind} ${id} is not loaded yet; await .load() first`);
    this.name = 'ResourceNotLoadedError';
  }
}

/** The common core of every resource: its id, the transport, and the last description read. */
export abstract class Resource<TData extends object> {
  #data: TData | undefined;

  protected constructor(
    protected readonly aws: AwsTransport,
    readonly id: string,
    data?: TData,
  ) {
    this.#data = data;
  }

  /** The last description read from AWS, exactly the SDK's type. */
  get data(): TData {
    if (this.#data === undefined) throw new ResourceNotLoadedError(this.constructor.name, this.id);
    return this.#data;
  }

  get isLoaded(): boolean {
    return this.#data !== undefined;
  }

  protected setData(data: TData): this {
    this.#data = data;
    return this;
  }

  /** Reads the resource's current description (boto3's `load()`/`reload()`/`update()`). */
  abstract load(opts?: { signal?: AbortSignal }): Promise<this>;

  /** Same as load(). */
  refresh(opts?: { signal?: AbortSignal }): Promise<this> {
    return this.load(opts);
  }

  toJSON(): { id: string; data: TData | undefined } {
    return { id: this.id, data: this.#data };
  }
}
