import type { InstanceChangeEvent } from '@aws-trpc/client/browser';

/** State changes as the gateway streamed them, newest first. */
export function EventLog({ events }: { events: InstanceChangeEvent[] }) {
  return (
    <section className="panel log" aria-label="event log">
      <h2>State changes</h2>
      {events.length === 0 ? <p className="muted">No changes yet.</p> : null}
      <ol data-testid="event-log">
        {events.map((e) => (
          <li key={`${e.instanceId}-${e.state}-${e.observedAt}`}>
            <time>{new Date(e.observedAt).toLocaleTimeString()}</time> <code>{e.instanceId}</code>{' '}
            {e.previousState ?? 'new'} → <span className={`state ${e.state}`}>{e.state}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
