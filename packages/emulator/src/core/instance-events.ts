import type { InstanceView, Region } from './types';

/** An instance entering a state, at the moment it did (which a lazy read may learn later). */
export interface InstanceStateEntry {
  instanceId: string;
  state: InstanceView['state'];
  /** ms since the epoch */
  time: number;
}

type Listener = (region: Region, entry: InstanceStateEntry) => void;

const listeners: Listener[] = [];

/**
 * EC2 reports each state an instance enters, once, at its own time; EventBridge listens. The
 * registry is module-wide like the other cross-family hooks: the region says which emulator it is.
 */
export function onInstanceStateEntered(listener: Listener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i !== -1) listeners.splice(i, 1);
  };
}

export function instanceStateEntered(region: Region, entry: InstanceStateEntry): void {
  for (const listener of listeners) listener(region, entry);
}
