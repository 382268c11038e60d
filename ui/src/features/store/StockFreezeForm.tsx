// The store's stock freeze date: no stock movement may be dated before it
// (set_stock_freeze_date). Managers move it later; moving it earlier or
// clearing it reopens a closed period and is the engine's to refuse to
// anyone but an admin. A reason is always asked for (it goes in the record).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Store } from "../../bindings/Store";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";

export function StockFreezeForm({ store }: { store: Store }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [date, setDate] = useState(store.stock_freeze_date ?? "");
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState("");
  const freeze = useCommandMutation("set_stock_freeze_date");
  const err = freeze.error;
  const fields = { freeze_date: t("Freeze date"), reason: t("Reason for the change") };

  async function save(clear: boolean) {
    setNotice("");
    const result = await freeze
      .mutateAsync({ store_id: store.id, freeze_date: clear ? null : date, reason: reason.trim() })
      .catch(() => null);
    if (result) {
      setReason("");
      setDate(result.stock_freeze_date ?? "");
      setNotice(
        result.stock_freeze_date
          ? t("Stock is frozen: nothing may be dated before {{date}}.", { date: fmt.date(result.stock_freeze_date) })
          : t("The stock freeze date is cleared."),
      );
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(false);
  }

  return (
    <section className="panel" aria-label={t("Stock freeze date")}>
      <h2>{t("Stock freeze date")}</h2>
      <p className="muted" data-testid="freeze-current">
        {store.stock_freeze_date
          ? t("Nothing may be dated before {{date}}.", { date: fmt.date(store.stock_freeze_date) })
          : t("No freeze date: the stock books are open.")}
      </p>
      <p className="muted small">{t("Managers may move it later. Moving it earlier or clearing it reopens a closed period: admins only.")}</p>
      <form onSubmit={submit} aria-label={t("Set the stock freeze date")}>
        <div className="grid two">
          <Field label={fields.freeze_date} error={fieldError(err, "freeze_date", t)}>
            {(id) => <input id={id} name="freeze_date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />}
          </Field>
          <Field label={fields.reason} error={fieldError(err, "reason", t)}>
            {(id) => <input id={id} name="freeze_reason" value={reason} onChange={(e) => setReason(e.target.value)} required />}
          </Field>
        </div>
        <ErrorMessage error={err} fields={fields} />
        <Notice>{notice}</Notice>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={freeze.isPending || reason.trim() === "" || date === ""}>
            {t("Set freeze date")}
          </button>
          {store.stock_freeze_date && (
            <button type="button" disabled={freeze.isPending || reason.trim() === ""} onClick={() => void save(true)}>
              {t("Clear freeze date")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
