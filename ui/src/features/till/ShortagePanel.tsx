// Not enough stock for a line: say what can be sold, set the line to it,
// and record a backorder for the rest (customer name and phone). A dialog
// above the cart: Esc closes it.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { call } from "../../api";
import type { Backorder } from "../../bindings/Backorder";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { TillDialog } from "./TillDialog";
import { parseMoney, subtractQty } from "./money";

export interface Shortage {
  productId: string;
  name: string;
  unit: string;
  requested: string;
  available: string;
  lineId: string;
}

export function ShortagePanel({
  shortage,
  onSellAvailable,
  onClose,
  error: sellError,
  notice,
}: {
  shortage: Shortage;
  onSellAvailable: () => Promise<void>;
  onClose: () => void;
  /** Why selling what is available failed. */
  error?: unknown;
  /** What selling what is available did. */
  notice?: string | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const rest = subtractQty(shortage.requested, shortage.available) ?? shortage.requested;
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const [quantity, setQuantity] = useState(rest);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Backorder | null>(null);
  const canSell = (parseMoney(shortage.available) ?? 0n) > 0n;

  async function backorder(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setDone(
        await call("create_backorder", {
          product_id: shortage.productId,
          quantity: quantity.trim(),
          customer_name: name.trim() || undefined,
          customer_phone: phone.trim() || undefined,
        }),
      );
    } catch (err) {
      setError(err);
    }
  }

  return (
    <TillDialog title={t("Not enough {{name}}", { name: shortage.name })} onClose={onClose} className="shortage" testId="shortage-dialog">
      <section aria-label={t("Not enough stock")} data-testid="shortage">
        <p>
          {t("Asked for {{requested}}; {{available}} can be sold now.", {
            requested: f.qty(shortage.requested, shortage.unit),
            available: f.qty(shortage.available, shortage.unit),
          })}
        </p>
        <div className="form-actions">
          {canSell && (
            <button type="button" className="primary" onClick={() => void onSellAvailable()}>
              {t("Sell the {{quantity}} available", { quantity: f.qty(shortage.available) })}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t("Close")} <Kbd>{t("Esc")}</Kbd>
          </button>
        </div>
        <ErrorMessage error={sellError} />
        <Notice>{notice}</Notice>
        {done ? (
          <Notice>
            {done.customer_name
              ? t("Backorder recorded: {{quantity}} of {{product}} for {{customer}}. Receiving stock will raise a notice.", {
                  quantity: f.qty(done.quantity, shortage.unit),
                  product: done.product_name,
                  customer: done.customer_name,
                })
              : t("Backorder recorded: {{quantity}} of {{product}}. Receiving stock will raise a notice.", {
                  quantity: f.qty(done.quantity, shortage.unit),
                  product: done.product_name,
                })}
          </Notice>
        ) : (
          <form aria-label={t("Backorder the rest")} onSubmit={backorder}>
            <div className="grid four">
              <Field label={t("Backorder quantity")}>{(id) => <input id={id} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="decimal" />}</Field>
              <Field label={t("Customer name")}>{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
              <Field label={t("Customer phone")}>{(id) => <input id={id} value={phone} onChange={(e) => setPhone(e.target.value)} type="tel" />}</Field>
              <div className="form-actions">
                <button type="submit">{t("Create backorder")}</button>
              </div>
            </div>
            <ErrorMessage error={error} />
          </form>
        )}
      </section>
    </TillDialog>
  );
}
