// Bringing a store in from the system it leaves: a CSV file of products,
// suppliers, customers or opening stock is checked (every error at once,
// row and field named), its columns mapped, then imported all or nothing,
// with a progress bar because a million rows take a minute. The engine does
// every check; this screen only shows what it found.
//
// The file is read by path in the shell (a 1,000,000-row file never passes
// through the webview); "Choose file…" fills the path from the system's
// open dialog, and the path can be typed or pasted.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, chooseCsvFile, previewImportFile, runImportFile, toApiError } from "../../api";
import type { ImportCounts } from "../../bindings/ImportCounts";
import type { ImportKind } from "../../bindings/ImportKind";
import type { ImportOutcome } from "../../bindings/ImportOutcome";
import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ImportProgress } from "../../bindings/ImportProgress";
import type { RowError } from "../../bindings/RowError";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { useSaveText } from "../../lib/download";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";
import { csvOf } from "../../lib/csv";

const KINDS: readonly ImportKind[] = ["products", "suppliers", "customers", "opening_stock"];

/** How many errors the table shows; the download holds every one listed. */
export const ERRORS_SHOWN = 200;

type Busy = { step: "checking" | "importing"; progress: ImportProgress | null };

export function ImportScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const kindLabel: Record<ImportKind, string> = {
    products: t("Products"),
    suppliers: t("Suppliers"),
    customers: t("Customers"),
    opening_stock: t("Opening stock"),
  };

  const [kind, setKind] = useState<ImportKind>("products");
  const [path, setPath] = useState("");
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [error, setError] = useState<unknown>(null);
  // run_import's own refusal: the file changed since it was checked.
  const [runErrors, setRunErrors] = useState<{ errors: RowError[]; count: number } | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const exportCsv = useCommandMutation("export_onboarding_csv");
  const saver = useSaveText();
  const [saved, setSaved] = useState("");

  function reset(next: { kind?: ImportKind; path?: string }) {
    if (next.kind !== undefined) setKind(next.kind);
    if (next.path !== undefined) setPath(next.path);
    setOverrides({});
    setPreview(null);
    setRunErrors(null);
    setError(null);
  }

  const request = (mapping: Record<string, string>) => ({
    kind,
    path: path.trim(),
    ...(Object.keys(mapping).length > 0 ? { mapping } : {}),
  });

  async function check(mapping = overrides) {
    setBusy({ step: "checking", progress: null });
    setError(null);
    setRunErrors(null);
    setOutcome(null);
    try {
      setPreview(await previewImportFile(request(mapping), (progress) => setBusy({ step: "checking", progress })));
    } catch (e) {
      setPreview(null);
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function run() {
    setBusy({ step: "importing", progress: null });
    setError(null);
    setRunErrors(null);
    try {
      const done = await runImportFile(request(overrides), (progress) => setBusy({ step: "importing", progress }));
      setOutcome(done);
      // The same file would now only repeat what exists: start over.
      setPreview(null);
      setOverrides({});
    } catch (raw) {
      const e = toApiError(raw);
      const listed = rowErrorsOf(e);
      if (listed) {
        setRunErrors(listed);
        // The list is shown as a table; the message keeps the count only.
        setError(new ApiError(e.kind, e.message, { error_count: listed.count }));
      } else {
        setError(e);
      }
    } finally {
      setBusy(null);
    }
  }

  async function choose() {
    setError(null);
    try {
      const chosen = await chooseCsvFile();
      if (chosen) reset({ path: chosen });
    } catch (e) {
      setError(e);
    }
  }

  function map(field: string, column: string) {
    const next = { ...overrides, [field]: column };
    setOverrides(next);
    void check(next);
  }

  function exportKind() {
    setSaved("");
    exportCsv.mutate(
      { kind },
      { onSuccess: (r) => void saver.mutateAsync({ text: r.csv, fileName: `pharmapos-${kind.replace("_", "-")}.csv` }).then(setSaved, () => null) },
    );
  }

  const errors = runErrors ?? (preview ? { errors: preview.errors, count: preview.error_count } : null);
  const ready = preview !== null && preview.error_count === 0 && preview.total_rows > 0 && busy === null;

  return (
    <Screen title={t("Import")}>
      <p className="muted">
        {t(
          "Bring a store in from the system it leaves: a CSV file with a header row. Nothing is written until the whole file checks clean, and then it is written at once; the till waits while a large file is written.",
        )}
      </p>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim() !== "") void check();
        }}
      >
        <Field label={t("What the file holds")}>
          {(id) => (
            <select id={id} value={kind} onChange={(e) => reset({ kind: e.target.value as ImportKind })} disabled={busy !== null}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("CSV file")} hint={t("The file's full path on this computer.")} wide>
          {(id, a11y) => (
            <input id={id} {...a11y} value={path} onChange={(e) => reset({ path: e.target.value })} disabled={busy !== null} spellCheck={false} />
          )}
        </Field>
        <button type="button" onClick={() => void choose()} disabled={busy !== null}>
          {t("Choose file…")}
        </button>
        <button type="submit" className="primary" disabled={busy !== null || path.trim() === ""}>
          {preview ? t("Check again") : t("Check file")}
        </button>
      </form>

      {busy && <ProgressLine busy={busy} />}
      <ErrorMessage error={error} />
      {outcome && <Notice>{t("Imported {{rows}} rows: {{created}}.", { rows: f.qty(String(outcome.rows)), created: countsText(outcome.created, t, f.qty) })}</Notice>}

      {preview && (
        <section aria-labelledby="import-check">
          <h2 id="import-check">{t("What the file holds")}</h2>
          <p role="status" data-testid="import-summary">
            {preview.error_count === 0
              ? t("{{rows}} rows, no errors. Importing creates {{created}}.", { rows: f.qty(String(preview.total_rows)), created: countsText(preview.will_create, t, f.qty) })
              : t("{{rows}} rows, {{errors}} errors. Fix them in the file (or map the columns) and check again; nothing is imported while any remain.", {
                  rows: f.qty(String(preview.total_rows)),
                  errors: f.qty(String(preview.error_count)),
                })}
          </p>
        </section>
      )}

      {/* The errors first: they are what the user has to act on. */}
      {errors && errors.count > 0 && <ErrorList errors={errors.errors} count={errors.count} kind={kind} />}

      {preview && (
        <section aria-labelledby="import-mapping">
          <h2 id="import-mapping">{t("Column mapping")}</h2>
          <MappingTable preview={preview} onMap={map} disabled={busy !== null} />
          {preview.unmapped_columns.length > 0 && (
            <p className="muted">{t("Columns not imported: {{columns}}.", { columns: preview.unmapped_columns.join(", ") })}</p>
          )}
        </section>
      )}

      {preview && preview.rows.length > 0 && <RowsPreview preview={preview} />}

      {preview && (
        <div className="form-actions">
          <button type="button" className="primary" disabled={!ready} onClick={() => void run()}>
            {t("Import {{rows}} rows", { rows: f.qty(String(preview.total_rows)) })}
          </button>
        </div>
      )}

      <section aria-labelledby="import-export">
        <h2 id="import-export">{t("Export in the same format")}</h2>
        <p className="muted">
          {t("The file has exactly the columns the import reads; an export of an empty list is a template to fill in.")}
        </p>
        <button type="button" onClick={exportKind} disabled={exportCsv.isPending}>
          {t("Export {{what}} as CSV", { what: kindLabel[kind].toLowerCase() })}
        </button>
        {saved && <p role="status">{t("Saved to {{path}}.", { path: saved })}</p>}
        <ErrorMessage error={exportCsv.error ?? saver.error} />
      </section>
    </Screen>
  );
}

/** The engine's row errors in `run_import`'s refusal, when it lists them. */
function rowErrorsOf(e: ApiError): { errors: RowError[]; count: number } | null {
  const listed = e.details["errors"];
  if (e.kind !== "invalid_input" || !Array.isArray(listed)) return null;
  const count = e.details["error_count"];
  return { errors: listed as RowError[], count: typeof count === "number" ? count : listed.length };
}

function countsText(c: ImportCounts, t: (key: string, o: Record<string, unknown>) => string, qty: (n: string) => string): string {
  const parts: string[] = [];
  const add = (n: number, key: string) => {
    if (n > 0) parts.push(t(key, { count: n, n: qty(String(n)) }));
  };
  add(c.products, "{{n}} products");
  add(c.categories, "{{n}} categories");
  add(c.suppliers, "{{n}} suppliers");
  add(c.customers, "{{n}} customers");
  add(c.batches, "{{n}} batches");
  add(c.purchase_receipts, "{{n}} purchase receipts");
  return parts.length > 0 ? parts.join(", ") : t("nothing", {});
}

function ProgressLine({ busy }: { busy: Busy }) {
  const { t } = useTranslation();
  const f = useFormat();
  const p = busy.progress;
  const label = busy.step === "checking" ? t("Checking the file") : t("Importing");
  const detail =
    p === null
      ? t("Starting…")
      : p.phase === "writing"
        ? t("{{done}} of {{total}} rows written", { done: f.qty(String(p.rows_written)), total: f.qty(String(p.total_rows ?? 0)) })
        : t("{{done}} rows checked", { done: f.qty(String(p.rows_checked)) });
  return (
    <div className="import-progress" role="group" aria-label={label}>
      <progress value={p?.percent ?? 0} max={100} aria-label={label} />
      <span role="status" aria-live="polite">
        {label}: {detail}
      </span>
    </div>
  );
}

function MappingTable({ preview, onMap, disabled }: { preview: ImportPreview; onMap: (field: string, column: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <DataTable
      label={t("Column mapping")}
      rows={preview.fields}
      rowKey={(fl) => fl.name}
      rowAttributes={(fl) => ({ "data-field": fl.name })}
      columns={[
        { header: t("Field"), cell: (fl) => <code>{fl.name}</code> },
        { header: t("Required"), cell: (fl) => (fl.required ? t("Required") : t("Optional")) },
        { header: t("What it holds"), cellClassName: "small", cell: (fl) => fl.description },
        {
          header: t("Column in the file"),
          cell: (fl) => (
            <select
              aria-label={t("Column for {{field}}", { field: fl.name })}
              value={preview.mapping[fl.name] ?? ""}
              onChange={(e) => onMap(fl.name, e.target.value)}
              disabled={disabled}
            >
              <option value="">{t("(not imported)")}</option>
              {preview.header.map((h) => (
                <option key={h} value={h}>
                  {h}
                  {preview.suggested_mapping[fl.name] === h ? ` ${t("(suggested)")}` : ""}
                </option>
              ))}
            </select>
          ),
        },
      ]}
    />
  );
}

function ErrorList({ errors, count, kind }: { errors: RowError[]; count: number; kind: ImportKind }) {
  const { t } = useTranslation();
  const f = useFormat();
  const shown = errors.slice(0, ERRORS_SHOWN);
  const saver = useSaveText();
  function download() {
    const csv = csvOf(
      ["row", "line", "field", "column", "value", "message"],
      errors.map((e) => [String(e.row), String(e.line), e.field ?? "", e.column ?? "", e.value ?? "", e.message]),
    );
    saver.mutate({ text: csv, fileName: `pharmapos-${kind.replace("_", "-")}-errors.csv` });
  }
  return (
    <section aria-labelledby="import-errors">
      <h2 id="import-errors">{t("Errors")}</h2>
      <p>
        {count > shown.length
          ? t("Showing {{shown}} of {{count}} errors; the saved file lists {{listed}}.", { shown: f.qty(String(shown.length)), count: f.qty(String(count)), listed: f.qty(String(errors.length)) })
          : t("{{count}} errors.", { count: f.qty(String(count)) })}{" "}
        <button type="button" onClick={download}>
          {t("Save the errors (CSV)")}
        </button>
      </p>
      {saver.data && <p role="status">{t("Saved to {{path}}.", { path: saver.data })}</p>}
      <ErrorMessage error={saver.error} />
      <DataTable
        label={t("Errors in the file")}
        rows={shown}
        rowKey={(e) => `${e.row}-${e.field ?? ""}-${e.message}`}
        rowAttributes={(e) => ({ "data-row": String(e.row), "data-field": e.field ?? undefined })}
        columns={[
          { header: t("Row"), className: "num", cell: (e) => e.row },
          { header: t("Field"), cell: (e) => e.field ?? "" },
          { header: t("Column"), cell: (e) => e.column ?? "" },
          { header: t("Value"), cell: (e) => e.value ?? "" },
          { header: t("Problem"), cell: (e) => e.message },
        ]}
      />
    </section>
  );
}

function RowsPreview({ preview }: { preview: ImportPreview }) {
  const { t } = useTranslation();
  const fields = preview.fields.filter((fl) => preview.mapping[fl.name]);
  return (
    <section aria-labelledby="import-rows">
      <h2 id="import-rows">{t("First rows as they will be imported")}</h2>
      <DataTable
        label={t("First rows")}
        rows={preview.rows.map((r, i) => ({ i, r }))}
        rowKey={(x) => String(x.i)}
        columns={fields.map((fl) => ({ header: fl.name, cell: (x: { r: Record<string, string | undefined> }) => x.r[fl.name] ?? "" }))}
      />
    </section>
  );
}
