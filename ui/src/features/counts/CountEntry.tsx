// Entering what is on the shelf (record_count), while a count is in progress.
//
// CountedCell: one line's counted quantity, typed. A line already counted
// shows its figure and a "Recount" button: the new figure replaces it and
// the engine keeps the earlier one in the line's history. When someone
// else counted the line meanwhile the engine refuses (conflict, naming who
// counted what): the user replaces it with their count (recount) or keeps
// the first count.
//
// ScanField: a barcode or GS1 string read into the field (or scanned with
// focus anywhere in the sheet, as at the till) finds the line; each scan
// adds the pack's count (AI 30/37, else 1, or the quantity given).
import { useCallback, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import type { CountLine } from "../../bindings/CountLine";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";
import { RESTORE_ON_SCAN, SCAN_TARGET_ATTR, useScanner } from "../till/useScanner";

export function CountedCell({
  countId,
  line,
  editable,
  onRecorded,
}: {
  countId: string;
  line: CountLine;
  /** The count is in progress and the user may record. */
  editable: boolean;
  onRecorded: (line: CountLine) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const record = useCommandMutation("record_count");
  const [value, setValue] = useState("");
  const [recounting, setRecounting] = useState(false);
  const what = { product: line.product_name, batch: line.batch_number };
  const clash = record.error?.kind === "conflict";

  async function save(recount: boolean) {
    const done = await record
      .mutateAsync({ count_id: countId, line_id: line.id, quantity: value.trim(), recount: recount || undefined })
      .catch(() => null);
    if (done) {
      setValue("");
      setRecounting(false);
      onRecorded(done);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (value.trim() !== "" && !record.isPending) void save(recounting);
  }

  const shown =
    line.counted === null ? (
      <span className="muted">{t("not counted")}</span>
    ) : (
      <span data-testid="counted">
        {fmt.qty(line.counted, line.unit)}
        {line.counted_by_name && <small className="muted"> {t("by {{name}}", { name: line.counted_by_name })}</small>}
        {line.recounts.length > 0 && <small className="muted"> {t("(recounted; before: {{before}})", { before: line.recounts.map((r) => fmt.qty(r.counted)).join(", ") })}</small>}
      </span>
    );
  if (!editable) return shown;
  if (line.counted !== null && !recounting)
    return (
      <>
        {shown}{" "}
        <button type="button" className="link" onClick={() => setRecounting(true)} aria-label={t("Recount {{product}} batch {{batch}}", what)}>
          {t("Recount")}
        </button>
      </>
    );
  return (
    <form onSubmit={submit} aria-label={t("Count {{product}} batch {{batch}}", what)} className="inline">
      <input
        aria-label={t("Counted quantity of {{product}} batch {{batch}}", what)}
        {...RESTORE_ON_SCAN}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        inputMode="decimal"
        size={7}
        aria-invalid={record.error ? true : undefined}
        autoFocus={recounting}
      />{" "}
      <button type="submit" disabled={value.trim() === "" || record.isPending}>
        {recounting ? t("Save recount") : t("Save")}
      </button>
      {recounting && (
        <button type="button" className="link" onClick={() => setRecounting(false)}>
          {t("Keep the count")}
        </button>
      )}
      <ErrorMessage error={record.error} />
      {clash && !recounting && (
        <span className="actions">
          <button type="button" onClick={() => void save(true)}>
            {t("Replace it with my count")}
          </button>{" "}
          <button
            type="button"
            onClick={() => {
              record.reset();
              setValue("");
            }}
          >
            {t("Keep the first count")}
          </button>
        </span>
      )}
    </form>
  );
}

export function ScanField({ countId, onRecorded }: { countId: string; onRecorded: (line: CountLine) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const record = useCommandMutation("record_count");
  const [code, setCode] = useState("");
  const [quantity, setQuantity] = useState("");
  const [last, setLast] = useState<CountLine | null>(null);

  const read = useCallback(
    async (scanned: string) => {
      const c = scanned.trim();
      if (!c) return;
      setLast(null);
      const done = await record.mutateAsync({ count_id: countId, code: c, quantity: optional(quantity) }).catch(() => null);
      setCode("");
      if (done) {
        setLast(done);
        onRecorded(done);
      }
    },
    [countId, quantity, record, onRecorded],
  );

  // A scanner's burst anywhere in the sheet (not typed into a quantity) is a scan.
  useScanner((scanned) => void read(scanned), true);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== "Enter") return;
    e.preventDefault();
    void read(code);
  }

  return (
    <div className="scan-count" role="group" aria-label={t("Count by scanning")}>
      <Field label={t("Scan a barcode or GS1 code")} hint={t("Each scan adds the pack's count to its line; or type the code and press Enter")} error={fieldError(record.error, "code", t)}>
        {(id) => <input id={id} name="code" {...{ [SCAN_TARGET_ATTR]: "" }} value={code} onChange={(e) => setCode(e.target.value)} onKeyDown={onKeyDown} autoComplete="off" />}
      </Field>
      <Field label={t("Quantity per scan (optional)")} error={fieldError(record.error, "quantity", t)}>
        {(id) => <input id={id} {...RESTORE_ON_SCAN} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="decimal" size={6} />}
      </Field>
      {record.error && !fieldError(record.error, "code", t) && !fieldError(record.error, "quantity", t) && <ErrorMessage error={record.error} />}
      {last && (
        <p className="notice" role="status">
          {t("{{product}} batch {{batch}}: {{counted}} counted.", { product: last.product_name, batch: last.batch_number, counted: fmt.qty(last.counted, last.unit) })}
          {last.added && ` ${t("Added to the sheet: it was not on it.")}`}
        </p>
      )}
    </div>
  );
}
