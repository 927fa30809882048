import type { InstanceChangeEvent, InstanceStateEvent, InstanceStateRecord } from '@aws-trpc/client/browser';
import { useEffect, useState } from 'react';
import { shownError } from '../aws-error';
import { subscribe, useTRPCClient } from '../trpc';

export interface InstanceStream {
  /** Live state per instance id, from the snapshot and every change since. */
  records: Map<string, InstanceStateRecord>;
  /** Change events, newest first (at most 200). */
  events: InstanceChangeEvent[];
  status: 'connecting' | 'live' | 'degraded' | 'error';
  error?: string;
}

type Filter = { Name: string; Values: string[] };

/** `ec2.onInstanceStateChange` with the given EC2 filters (evaluated by the gateway). */
export function useInstanceStream(filters: Filter[]): InstanceStream {
  const client = useTRPCClient();
  const [stream, setStream] = useState<InstanceStream>({
    records: new Map(),
    events: [],
    status: 'connecting',
  });
  const key = JSON.stringify(filters);
  useEffect(() => {
    setStream({ records: new Map(), events: [], status: 'connecting' });
    const parsed = JSON.parse(key) as Filter[];
    const input = { snapshot: true, ...(parsed.length ? { filters: parsed } : {}) };
    const sub = subscribe(client, 'ec2.onInstanceStateChange', input, {
      onData(data) {
        const event = data as InstanceStateEvent;
        setStream((s) => apply(s, event));
      },
      onError(error) {
        const shown = shownError(error);
        setStream((s) => ({ ...s, status: 'error', error: `${shown.code}: ${shown.message}` }));
      },
    });
    return () => sub.unsubscribe();
    // `key` stands for `filters`: resubscribe only when their content changes.
  }, [client, key]);
  return stream;
}

function apply(s: InstanceStream, event: InstanceStateEvent): InstanceStream {
  switch (event.type) {
    case 'snapshot':
    case 'resync':
      return { ...s, status: 'live', records: new Map(event.instances.map((i) => [i.instanceId, i])) };
    case 'change': {
      const records = new Map(s.records);
      const { type: _t, previousState: _p, observedAt: _o, ...record } = event;
      records.set(event.instanceId, record);
      return { ...s, status: 'live', records, events: [event, ...s.events].slice(0, 200) };
    }
    case 'status':
      return {
        ...s,
        status: event.status === 'degraded' ? 'degraded' : 'live',
        ...(event.error ? { error: `${event.error.code}: ${event.error.message}` } : {}),
      };
  }
}
