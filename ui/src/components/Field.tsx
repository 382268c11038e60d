// A labelled form control. Every input in the app goes through here so that
// each has a visible label tied to it (accessibility) and an optional hint.
import { useId, type ReactNode } from "react";

export function Field({
  label,
  hint,
  children,
  wide,
}: {
  label: string;
  hint?: string;
  wide?: boolean;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={wide ? "field wide" : "field"}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <small className="hint">{hint}</small>}
    </div>
  );
}

/** A keyboard shortcut as shown next to a control. */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd>{children}</kbd>;
}

/** A YYYY-MM-DD filter field ("From", "To") of the list screens. */
export function DateFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <Field label={label} hint="YYYY-MM-DD">
      {(id) => <input id={id} value={value} onChange={(e) => onChange(e.target.value)} size={11} />}
    </Field>
  );
}

/** How many of the newest entries a list screen shows ("latest 200"). */
export const LATEST_LIMITS = [50, 200, 1000, 5000] as const;

/** The "Show latest N" choice of the list screens. */
export function LatestLimit({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  return (
    <Field label="Show">
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
          {LATEST_LIMITS.map((n) => (
            <option key={n} value={n}>
              latest {n}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
