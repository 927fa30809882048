import { useErrors } from '../hooks/use-errors';

/** Failed calls with AWS's own code and message (from `error.data.aws`). */
export function ErrorBanner() {
  const { errors, dismiss } = useErrors();
  if (!errors.length) return null;
  return (
    <section className="errors" aria-live="polite">
      {errors.map((e) => (
        <div className="error" role="alert" key={e.id}>
          <code>{e.code}</code> {e.message}
          {e.where ? <span className="muted"> ({e.where})</span> : null}
          <button type="button" className="link" onClick={() => dismiss(e.id)} aria-label="dismiss">
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
