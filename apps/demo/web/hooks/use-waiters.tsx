import type { WaiterEvent } from '@aws-trpc/client/browser';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { shownError } from '../aws-error';
import { subscribe, useTRPCClient } from '../trpc';

export interface Wait {
  id: number;
  label: string;
  attempt: number;
  observed: Record<string, string>;
  outcome?: 'success' | 'failure' | 'timeout' | 'aborted' | 'error';
  detail?: string;
}

interface Waiters {
  waits: Wait[];
  /** Runs a gateway waiter subscription (e.g. `ec2.waitUntilInstanceRunning`) and shows its progress. */
  startWait(label: string, path: string, input: object): void;
}

const WaitersContext = createContext<Waiters | null>(null);
/** Dashboard waits read every 1–2 s, so progress shows each step. */
// No delays of our own: the gateway applies each waiter's minimum (AWS's, 15 s for ELB's waiters).
const waitOptions = { maxWaitSeconds: 900 };

export function WaitersProvider({ children }: { children: ReactNode }) {
  const client = useTRPCClient();
  const [waits, setWaits] = useState<Wait[]>([]);
  const nextId = useRef(1);
  const subscriptions = useRef(new Set<{ unsubscribe(): void }>());
  useEffect(() => {
    const open = subscriptions.current;
    return () => {
      for (const s of open) s.unsubscribe();
    };
  }, []);
  const startWait = useCallback(
    (label: string, path: string, input: object) => {
      const id = nextId.current++;
      const update = (patch: Partial<Wait>) =>
        setWaits((list) => list.map((w) => (w.id === id ? { ...w, ...patch } : w)));
      setWaits((list) => [{ id, label, attempt: 0, observed: {} }, ...list].slice(0, 6));
      const sub = subscribe(
        client,
        path,
        { ...input, ...waitOptions },
        {
          onData(data) {
            const event = data as WaiterEvent;
            if (event.type === 'progress') update({ attempt: event.attempt, observed: event.observed });
            else {
              update({
                outcome: event.outcome,
                attempt: event.attempt,
                // What the last progress saw is stale once the wait succeeded.
                ...(event.outcome === 'success' ? { observed: {} } : {}),
                ...('reason' in event ? { detail: event.reason } : {}),
              });
              sub.unsubscribe();
              subscriptions.current.delete(sub);
            }
          },
          onError(error) {
            const shown = shownError(error);
            update({ outcome: 'error', detail: `${shown.code}: ${shown.message}` });
            subscriptions.current.delete(sub);
          },
        },
      );
      subscriptions.current.add(sub);
    },
    [client],
  );
  const value = useMemo(() => ({ waits, startWait }), [waits, startWait]);
  return <WaitersContext.Provider value={value}>{children}</WaitersContext.Provider>;
}

export function useWaiters(): Waiters {
  const value = useContext(WaitersContext);
  if (!value) throw new Error('useWaiters outside WaitersProvider');
  return value;
}
