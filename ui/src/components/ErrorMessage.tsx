// Shows a failure where the user is looking: the plain message first, the
// kind and details one click away. role="alert" so screen readers announce it.
import { ApiError, toApiError } from "../api";

const TITLES: Partial<Record<ApiError["kind"], string>> = {
  invalid_input: "Please check what you entered",
  insufficient_stock: "Not enough stock",
  expired_batch: "Expired batch",
  batch_unavailable: "Batch unavailable",
  forbidden: "Not allowed",
  approval_required: "Needs a manager's approval",
  conflict: "Conflict",
  not_found: "Not found",
  invalid_state: "Not possible right now",
  receipt_not_reversible: "Cannot reverse this receipt",
  unauthenticated: "Sign-in failed",
  locked: "Account locked",
  storage: "Database problem",
  schema_too_new: "Database from a newer PharmaPOS",
  not_a_database: "Not a PharmaPOS database",
  internal: "Something went wrong",
};

export function ErrorMessage({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (error === null || error === undefined) return null;
  const e = toApiError(error);
  const details = Object.entries(e.details).filter(([, v]) => v !== null && v !== undefined && v !== "");
  return (
    <div className="error-message" role="alert" data-kind={e.kind}>
      <div className="error-head">
        <strong>{TITLES[e.kind] ?? "Error"}</strong>
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
