import type {
  CreateTagsCommandInput,
  DeleteTagsCommandInput,
  InstanceStateChange,
  Reservation,
  Tag,
} from '@aws-sdk/client-ec2';
import type { Observation } from './instance-hub';
import { trackInstances } from './instance-record';
import { isStateName } from './lifecycle';

/**
 * What the gateway's own calls tell about instance states, as soon as AWS answers: RunInstances'
 * instances, and the CurrentState of each instance Start/Stop/TerminateInstances name. CreateTags and
 * DeleteTags change no state but may change which subscribers' filters select an instance.
 * RebootInstances keeps an instance `running`, so it tells nothing a stream shows.
 */
export interface WrittenThrough {
  observations: Observation[];
  retags: { instanceId: string; change(tags: readonly Tag[]): Tag[] }[];
}

/** A call the gateway made that may tell the sources something. */
export interface WrittenCall {
  operation: string;
  input: unknown;
  output: unknown;
}

const stateAnswers: Record<string, string> = {
  StartInstances: 'StartingInstances',
  StopInstances: 'StoppingInstances',
  TerminateInstances: 'TerminatingInstances',
};

/** The EC2 operations whose answers feed the state source. */
export function writesThrough(operation: string): boolean {
  return (
    operation === 'RunInstances' ||
    operation === 'CreateTags' ||
    operation === 'DeleteTags' ||
    operation in stateAnswers
  );
}

/**
 * Only what writtenThrough reads of a call, for when it travels to another replica (the inbox in
 * Redis): never the rest of the input, such as RunInstances' UserData, which may hold secrets.
 */
export function essentials(call: WrittenCall): WrittenCall {
  const { operation, input, output } = call;
  if (operation === 'RunInstances') return { operation, input: {}, output };
  const member = stateAnswers[operation];
  if (member)
    return { operation, input: {}, output: { [member]: (output as Record<string, unknown>)[member] } };
  if (operation === 'CreateTags' || operation === 'DeleteTags') {
    const { Resources, Tags } = input as CreateTagsCommandInput;
    return { operation, input: { Resources, Tags }, output: {} };
  }
  return { operation, input: {}, output: {} };
}

/** The observations and tag changes of one successful call, observed at `at` (when AWS answered). */
export function writtenThrough(
  operation: string,
  input: unknown,
  output: unknown,
  at: number,
): WrittenThrough {
  const none: WrittenThrough = { observations: [], retags: [] };
  if (operation === 'RunInstances') {
    const tracked = trackInstances([output as Reservation], at);
    return {
      observations: [...tracked.values()].map((t) => ({
        instanceId: t.record.instanceId,
        state: t.record.state,
        at,
        instance: t,
      })),
      retags: [],
    };
  }
  const member = stateAnswers[operation];
  if (member) {
    const changes = ((output as Record<string, unknown>)[member] ?? []) as InstanceStateChange[];
    return {
      observations: changes.flatMap((c) =>
        c.InstanceId && isStateName(c.CurrentState?.Name)
          ? [{ instanceId: c.InstanceId, state: c.CurrentState.Name, at }]
          : [],
      ),
      retags: [],
    };
  }
  if (operation === 'CreateTags') {
    const { Resources = [], Tags = [] } = input as CreateTagsCommandInput;
    const keys = new Set(Tags.map((t) => t.Key));
    return {
      observations: [],
      retags: instanceIds(Resources).map((instanceId) => ({
        instanceId,
        change: (tags) => [...tags.filter((t) => !keys.has(t.Key)), ...Tags],
      })),
    };
  }
  if (operation === 'DeleteTags') {
    const { Resources = [], Tags } = input as DeleteTagsCommandInput;
    // Without Tags, every tag goes; a Tag with a Value goes only when the value matches.
    const removes = (t: Tag) =>
      !Tags || Tags.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value));
    return {
      observations: [],
      retags: instanceIds(Resources).map((instanceId) => ({
        instanceId,
        change: (tags) => tags.filter((t) => !removes(t)),
      })),
    };
  }
  return none;
}

function instanceIds(resources: readonly string[]): string[] {
  return resources.filter((id) => id.startsWith('i-'));
}
