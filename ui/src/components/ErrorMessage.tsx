// Shows a failure where the user is looking, in plain words: a short title
// and a sentence that says what happened and what to do (translated), then
// the engine's specific reason when it has one. The kind, the engine's
// message and its details stay one click away for support. role="alert" so
// screen readers announce it.
//
// When the error is about a field the form shows (`fields`: field name →
// label), the words sit at that field (see Field's `error` and
// `fieldError`) and this summary names the field.
import { useTranslation } from "react-i18next";

import { ERROR_TITLES, toApiError } from "../api";
import { useFormat } from "../lib/locale";
import { errorField, plainSentence, reasonOf } from "./errorText";

export function ErrorMessage({
  error,
  onDismiss,
  fields,
  shownAt,
}: {
  error: unknown;
  onDismiss?: () => void;
  /** The fields the form shows errors at, by the engine's field name, with their labels. */
  fields?: Readonly<Record<string, string>>;
  /** The label of the field that shows this error, when the form put it there itself. */
  shownAt?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (error === null || error === undefined) return null;
  const e = toApiError(error);
  const field = errorField(e);
  const atField = shownAt ?? (field !== undefined && fields !== undefined && field in fields ? fields[field] : undefined);
  const sentence = plainSentence(e, t, fmt.instant);
  const reason = reasonOf(e);
  const details = Object.entries(e.details).filter(([, v]) => v !== null && v !== undefined && v !== "");
  return (
    <div className="error-message" role="alert" data-kind={e.kind} data-field={field}>
      <div className="error-head">
        <strong>{t(ERROR_TITLES[e.kind])}</strong>
        {onDismiss && (
          <button type="button" className="link" onClick={onDismiss} aria-label={t("Dismiss the error")}>
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      {atField !== undefined ? (
        <p className="error-text">{t("Check “{{field}}”: {{reason}}", { field: atField, reason: reason ?? sentence })}</p>
      ) : (
        <>
          <p className="error-text">{sentence}</p>
          {reason && <p className="error-reason">{reason}</p>}
        </>
      )}
      <details className="error-technical">
        <summary>{t("Technical details")}</summary>
        <dl className="error-details">
          <div>
            <dt>{t("Code")}</dt>
            <dd>
              <code>{e.kind}</code>
            </dd>
          </div>
          {!reason && (
            <div>
              <dt>{t("Message")}</dt>
              <dd>{e.message}</dd>
            </div>
          )}
          {details.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === "string" ? v : JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? x.toString() : x))}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
