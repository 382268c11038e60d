// A labelled form control. Every input in the app goes through here so that
// each has a visible label tied to it, an optional hint, and its error text
// right under it: the control gets aria-describedby (hint and error) and
// aria-invalid, so a screen reader reads the error with the field.
//
// The control comes straight after its label (the end-to-end tests find a
// field as the label's next sibling).
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { DateField } from "./DateField";

/** What the control needs to point at its hint and error. */
export interface FieldA11y {
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export function Field({
  label,
  hint,
  error,
  children,
  wide,
}: {
  label: string;
  hint?: string;
  /** Plain-words error shown by the field (nothing when empty). */
  error?: string | null;
  wide?: boolean;
  /** The control, given its id and the aria attributes (added for you when the control is one element without its own aria-describedby). */
  children: (id: string, a11y: FieldA11y) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  const a11y: FieldA11y = { "aria-describedby": describedBy, ...(error ? { "aria-invalid": true as const } : {}) };
  let control = children(id, a11y);
  if (isValidElement(control) && describedBy) {
    const props = (control as ReactElement<Record<string, unknown>>).props;
    if (props["aria-describedby"] === undefined) {
      control = cloneElement(control as ReactElement<Record<string, unknown>>, {
        "aria-describedby": describedBy,
        ...(error && props["aria-invalid"] === undefined ? { "aria-invalid": true } : {}),
      });
    }
  }
  return (
    <div className={["field", wide ? "wide" : "", error ? "invalid" : ""].filter(Boolean).join(" ")}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && (
        <small className="hint" id={hintId}>
          {hint}
        </small>
      )}
      {error && (
        <small className="field-error" id={errorId}>
          {error}
        </small>
      )}
    </div>
  );
}

/** A keyboard shortcut as shown next to a control. */
export function Kbd({ children }: { children?: ReactNode }) {
  return <kbd>{children}</kbd>;
}

/** A date filter field ("From", "To") of the list screens: "YYYY-MM-DD" or "". */
export function DateFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return <DateField label={label} value={value} onChange={onChange} />;
}

/** How many of the newest entries a list screen shows ("latest 200"). */
export const LATEST_LIMITS = [50, 200, 1000, 5000] as const;

/** The "Show latest N" choice of the list screens. */
export function LatestLimit({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t("Show")}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
          {LATEST_LIMITS.map((n) => (
            <option key={n} value={n}>
              {t("latest {{count}}", { count: n })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
