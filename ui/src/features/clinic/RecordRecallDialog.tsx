// Recording a recall by hand: lots found as in the Stock list (product, SKU
// or lot number), the FDA class, reason, source, number and the notice's date.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { BatchListRow } from "../../bindings/BatchListRow";
import type { Recall } from "../../bindings/Recall";
import { DateField } from "../../components/DateField";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

const FIELDS = { batch_ids: "Lots", fda_class: "Class", reason: "Reason", source: "Source", recall_number: "Recall number", recall_date: "Date of the notice" };

export function RecordRecallDialog({ onClose, onDone }: { onClose: () => void; onDone: (r: Recall) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [query, setQuery] = useState("");
  const found = useCommandQuery("list_batches", { query: query.trim(), limit: 20 }, { enabled: query.trim() !== "" });
  const [lots, setLots] = useState<BatchListRow[]>([]);
  const [fdaClass, setFdaClass] = useState("I");
  const [reason, setReason] = useState("");
  const [source, setSource] = useState("");
  const [number, setNumber] = useState("");
  const [date, setDate] = useState(f.today());
  const [noLots, setNoLots] = useState(false);
  const record = useCommandMutation("record_recall");
  const err = (name: string) => fieldError(record.error, name, t);

  function submit(e: FormEvent) {
    e.preventDefault();
    setNoLots(lots.length === 0);
    if (lots.length === 0) return;
    record.mutate(
      { batch_ids: lots.map((l) => l.batch_id), fda_class: fdaClass, reason: reason.trim(), source: source.trim(), recall_number: optional(number), recall_date: date },
      { onSuccess: onDone },
    );
  }

  return (
    <Dialog title={t("Record a recall")} onClose={onClose} size="large">
      <form onSubmit={submit} className="grid" noValidate>
        <fieldset>
          <legend>{t("Lots")}</legend>
          <Field label={t("Find lot")} hint={t("Product, SKU or lot number")}>
            {(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />}
          </Field>
          <ul className="plain" aria-label={t("Lots found")}>
            {(found.data?.rows ?? [])
              .filter((b) => !lots.some((l) => l.batch_id === b.batch_id))
              .map((b) => (
                <li key={b.batch_id}>
                  <button type="button" className="link" onClick={() => setLots((ls) => [...ls, b])}>
                    {t("Add {{product}}, lot {{lot}} ({{onHand}} on hand)", { product: b.product_name, lot: b.batch_number, onHand: f.qty(b.quantity, b.unit) })}
                  </button>
                </li>
              ))}
          </ul>
          <ul className="plain" aria-label={t("Lots recalled")}>
            {lots.map((l) => (
              <li key={l.batch_id}>
                {t("{{product}}, lot {{lot}}", { product: l.product_name, lot: l.batch_number })}{" "}
                <button type="button" onClick={() => setLots((ls) => ls.filter((x) => x.batch_id !== l.batch_id))} aria-label={t("Remove lot {{lot}}", { lot: l.batch_number })}>
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
          {(noLots || err("batch_ids")) && (
            <p className="field-error" role="alert">
              {noLots ? t("Add at least one lot.") : err("batch_ids")}
            </p>
          )}
        </fieldset>
        <div className="grid two">
          <Field label={t("Class")} error={err("fda_class")}>
            {(id) => (
              <select id={id} value={fdaClass} onChange={(e) => setFdaClass(e.target.value)}>
                <option value="I">{t("Class I: serious harm or death likely")}</option>
                <option value="II">{t("Class II: temporary or reversible harm")}</option>
                <option value="III">{t("Class III: harm unlikely")}</option>
              </select>
            )}
          </Field>
          <DateField label={t("Date of the notice")} value={date} onChange={setDate} error={err("recall_date")} max={f.today()} isRequired />
          <Field label={t("Reason")} error={err("reason")}>
            {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} required />}
          </Field>
          <Field label={t("Source")} hint={t("FDA, NAFDAC, the manufacturer…")} error={err("source")}>
            {(id) => <input id={id} value={source} onChange={(e) => setSource(e.target.value)} required />}
          </Field>
          <Field label={t("Recall number")} error={err("recall_number")}>
            {(id) => <input id={id} value={number} onChange={(e) => setNumber(e.target.value)} />}
          </Field>
        </div>
        <p>{t("The lots become recalled: they can never be sold, drawn or transferred, and their open vials close.")}</p>
        <ErrorMessage error={record.error} fields={FIELDS} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Cancel")}
          </button>
          <button type="submit" className="danger" disabled={record.isPending}>
            {t("Record the recall")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
