// The pieces every report of the Reports screen shares: the period and
// category filters, the totals line, and "Export CSV", which sends the
// report's own request (same filters, no paging) to export_report_csv and
// saves the file the engine wrote.
import { parseDate } from "@internationalized/date";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { ReportRequest } from "../../bindings/ReportRequest";
import { DateField } from "../../components/DateField";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useSaveText } from "../../lib/download";
import { useFormat, type Formatters } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

/** The engine's default period: the last 30 local days, today included. */
export function defaultPeriod(f: Formatters): { from: string; to: string } {
  const to = f.today();
  let from = to;
  try {
    from = parseDate(to).subtract({ days: 29 }).toString();
  } catch {
    // A date the calendar cannot read: leave the period to the engine's default.
  }
  return { from, to };
}

/** "" (not chosen) is left out of a request, so the engine's default applies. */
export function opt(value: string): string | undefined {
  const s = value.trim();
  return s === "" ? undefined : s;
}

/** From and to, local days of the store, both included. */
export function PeriodFields({
  from,
  to,
  onFrom,
  onTo,
}: {
  from: string;
  to: string;
  onFrom: (v: string) => void;
  onTo: (v: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <DateField label={t("From")} value={from} onChange={onFrom} max={to || undefined} />
      <DateField label={t("To")} value={to} onChange={onTo} min={from || undefined} />
    </>
  );
}

/** The store's categories, "All categories" first. */
export function CategorySelect({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const categories = useCommandQuery("list_categories", {});
  return (
    <Field label={t("Category")}>
      {(id) => (
        <select id={id} name="category_id" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("All categories")}</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.id} value={c.id} translate="no">
              {c.display_name ?? c.path}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Product text: each word a prefix of the name, generic name, brand, SKU or barcode. */
export function ProductQueryField({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const { t } = useTranslation();
  return (
    <Field label={t("Product")} hint={t("Name, SKU or barcode")}>
      {(id) => <input id={id} name="query" type="search" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** A choice among the values a request field takes. */
export function ChoiceField<V extends string>({
  label,
  name,
  value,
  onChange,
  options,
}: {
  label: string;
  name: string;
  value: V;
  onChange: (v: V) => void;
  options: readonly { value: V; label: string }[];
}) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value as V)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A checkbox filter. */
export function CheckField({ label, name, checked, onChange }: { label: string; name: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** A report's totals over every page: label and figure pairs. */
export function Totals({ label, items }: { label: string; items: readonly { label: string; value: ReactNode; testId: string }[] }) {
  return (
    <dl className="report-totals" aria-label={label}>
      {items.map((i) => (
        <div key={i.testId}>
          <dt>{i.label}</dt>
          <dd data-testid={i.testId}>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The filters' row; not printed (the report's heading says what it shows). */
export function Filters({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="toolbar no-print" role="group" aria-label={label}>
      {children}
    </div>
  );
}

/**
 * "Export CSV": the report with the filters shown, every row (the engine
 * ignores limit and offset), saved under the engine's file name. Says how
 * many rows the file holds, and when the report had more than the cap.
 */
export function ExportButton({ request, disabled }: { request: ReportRequest; disabled?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const exporter = useCommandMutation("export_report_csv");
  const saver = useSaveText();
  const [notice, setNotice] = useState("");

  async function run() {
    setNotice("");
    const out = await exporter.mutateAsync(request).catch(() => null);
    if (!out) return;
    const path = await saver.mutateAsync({ text: out.csv, fileName: out.file_name }).catch(() => null);
    if (!path) return;
    setNotice(
      out.capped
        ? t("Exported the first {{rows}} of {{total}} rows to {{name}}: the file stops at the export limit; narrow the filters for the rest.", {
            rows: f.qty(String(out.rows)),
            total: f.qty(String(out.total_rows)),
            name: path,
          })
        : t("Exported {{count}} rows to {{name}}.", { count: out.rows, name: path }),
    );
  }

  return (
    <div className="report-export no-print">
      <button type="button" onClick={() => void run()} disabled={disabled || exporter.isPending}>
        {exporter.isPending ? t("Exporting…") : t("Export CSV")}
      </button>
      <Notice>{notice}</Notice>
      <ErrorMessage error={exporter.error ?? saver.error} onDismiss={() => (exporter.reset(), saver.reset())} />
    </div>
  );
}

/** A filter's setter that also goes back to the first page (a new filter, new pages). */
export function andFirstPage<T>(set: (v: T) => void, first: () => void): (v: T) => void {
  return (v) => {
    set(v);
    first();
  };
}

/** A page of rows as PagedTable takes it. */
export function pageOf<T>(rows: readonly T[] | undefined, total: number | undefined): { rows: readonly T[]; total: number } | undefined {
  return rows === undefined ? undefined : { rows, total: total ?? rows.length };
}
