import { useWaiters } from '../hooks/use-waiters';

/** The waiter subscriptions under way (and the last few finished), with what each currently sees. */
export function WaiterPanel() {
  const { waits } = useWaiters();
  if (!waits.length) return null;
  return (
    <section className="waiters" aria-label="waiters">
      {waits.map((w) => (
        <div key={w.id} className={`wait ${w.outcome ?? 'running'}`} data-testid="wait">
          <strong>{w.label}</strong>
          <span className="muted"> attempt {w.attempt}</span>
          <span className="observed">
            {Object.entries(w.observed).map(([k, v]) => (
              <span key={k} className="chip">
                {k}: {v}
              </span>
            ))}
          </span>
          <span className="outcome">
            {w.outcome ? `${w.outcome}${w.detail ? `: ${w.detail}` : ''}` : 'waiting…'}
          </span>
        </div>
      ))}
    </section>
  );
}
