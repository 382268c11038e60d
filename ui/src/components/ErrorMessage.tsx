// Shows a failure where the user is looking: the plain message first, the
// kind and details one click away. role="alert" so screen readers announce it.
import { ERROR_TITLES, toApiError } from "../api";

export function ErrorMessage({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (error === null || error === undefined) return null;
  const e = toApiError(error);
  const details = Object.entries(e.details).filter(([, v]) => v !== null && v !== undefined && v !== "");
  return (
    <div className="error-message" role="alert" data-kind={e.kind}>
      <div className="error-head">
        <strong>{ERROR_TITLES[e.kind]}</strong>
        {onDismiss && (
          <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss error">
            ×
          </button>
        )}
      </div>
      <p className="error-text">{e.message}</p>
      {details.length > 0 && (
        <details>
          <summary>Details ({e.kind})</summary>
          <dl className="error-details">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}
