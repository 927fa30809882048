import type { InstanceChangeEvent, InstanceStateEvent, InstanceStateRecord } from '@aws-trpc/client/browser';
import { useEffect, useState } from 'react';
import { shownError } from '../aws-error';
import { subscribe, useTRPCClient } from '../trpc';

export interface InstanceStream {
  /** Live state per instance id, from the snapshot and every change since. */
  records: Map<string, InstanceStateRecord>;
  /** Change events, newest first (at most 200). */
  events: InstanceChangeEvent[];
  /** `offline`: the gateway cannot be reached (or ended the stream); the hook keeps reconnecting. */
  status: 'connecting' | 'live' | 'degraded' | 'offline' | 'error';
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
  // Bumped to subscribe again after the gateway ended the stream (it shut down).
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (attempt === 0) setStream({ records: new Map(), events: [], status: 'connecting' });
    const parsed = JSON.parse(key) as Filter[];
    const input = { snapshot: true, ...(parsed.length ? { filters: parsed } : {}) };
    let retry: ReturnType<typeof setTimeout> | undefined;
    const offline = () => {
      setStream((s) => ({ ...s, status: 'offline', error: 'the gateway cannot be reached; reconnecting' }));
    };
    const sub = subscribe(client, 'ec2.onInstanceStateChange', input, {
      onData(data) {
        const event = data as InstanceStateEvent;
        setStream((s) => apply(s, event));
      },
      onError(error) {
        const shown = shownError(error);
        setStream((s) => ({ ...s, status: 'error', error: `${shown.code}: ${shown.message}` }));
      },
      // tRPC's SSE link reconnects by itself (resuming from the last event id) after a dropped connection.
      onConnectionStateChange({ state, error }) {
        if (state === 'connecting' && error) offline();
        else if (state === 'pending')
          setStream((s) => (s.status === 'offline' ? { ...s, status: 'live' } : s));
      },
      // A gateway that shuts down ends its streams; try again until one is back.
      onComplete() {
        offline();
        retry = setTimeout(() => setAttempt((n) => n + 1), 1_000);
      },
    });
    return () => {
      clearTimeout(retry);
      sub.unsubscribe();
    };
    // `key` stands for `filters`: resubscribe only when their content changes.
  }, [client, key, attempt]);
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
