// Receiving: stock in from a supplier into a batch. Receiving the same batch
// number again tops it up when the details match, or the engine refuses it
// and says why; the result says which happened, naming product, batch and
// quantity. Receive stays off until a product is shown as chosen: a new
// search clears the choice (see ProductPicker). Below, the recent receipts,
// which a manager can reverse when booked in error. Dates are picked (a date
// field), never typed as free text.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { ReceiveResult } from "../../bindings/ReceiveResult";
import { DateField } from "../../components/DateField";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useFormat, type Formatters } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { RecentReceipts } from "./RecentReceipts";
import { useMayRun } from "../../lib/permissions";

interface Draft {
  supplier_id: string;
  batch_number: string;
  quantity: string;
  expiry_date: string;
  manufacture_date: string;
  cost_price: string;
  serial_number: string;
  reference_number: string;
  location: string;
  notes: string;
}

const EMPTY: Draft = {
  supplier_id: "",
  batch_number: "",
  quantity: "",
  expiry_date: "",
  manufacture_date: "",
  cost_price: "",
  serial_number: "",
  reference_number: "",
  location: "",
  notes: "",
};

/** The confirmation of a receipt: what was booked, where, and how much. */
export function receivedText(r: ReceiveResult, t: TFunction, fmt: Formatters): string {
  const facts = {
    batch: r.batch_number,
    product: r.product_name,
    quantity: fmt.qty(r.quantity, r.unit),
    onHand: fmt.qty(r.on_hand),
    expiry: fmt.date(r.expiry_date),
    cost: fmt.money(r.cost_price),
    count: r.pending_backorders,
  };
  const parts = [
    r.topped_up
      ? r.expiry_date
        ? t("Topped up batch {{batch}} of {{product}}: +{{quantity}}, now {{onHand}} on hand, expires {{expiry}}.", facts)
        : t("Topped up batch {{batch}} of {{product}}: +{{quantity}}, now {{onHand}} on hand.", facts)
      : r.expiry_date
        ? t("Received new batch {{batch}} of {{product}}: +{{quantity}}, now {{onHand}} on hand, expires {{expiry}}.", facts)
        : t("Received new batch {{batch}} of {{product}}: +{{quantity}}, now {{onHand}} on hand.", facts),
  ];
  if (r.cost_price_source === "product") parts.push(t("No cost price was entered: the product's cost price ({{cost}}) was used.", facts));
  if (r.pending_backorders > 0) parts.push(t("{{count}} backorders wait for this product.", facts));
  return parts.join(" ");
}

export function ReceivingScreen() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const fmt = useFormat();
  const [productId, setProductId] = useState("");
  const [d, setD] = useState<Draft>(EMPTY);
  const [last, setLast] = useState<ReceiveResult | null>(null);
  const suppliers = useCommandQuery("list_suppliers", {});
  const receive = useCommandMutation("receive_stock");

  const error = receive.error;
  const labels: Record<keyof Draft | "product_id", string> = {
    supplier_id: t("Supplier"),
    reference_number: t("Delivery / invoice reference"),
    location: t("Shelf / location"),
    product_id: t("Product"),
    batch_number: t("Batch number"),
    quantity: t("Quantity"),
    expiry_date: t("Expiry date"),
    manufacture_date: t("Manufacture date"),
    cost_price: t("Cost price (per unit)"),
    serial_number: t("Serial number"),
    notes: t("Notes"),
  };
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD((x) => ({ ...x, [k]: e.target.value }));
  const text = (k: keyof Draft, hint?: string, extra?: { required?: boolean; inputMode?: "decimal" }) => (
    <Field label={labels[k]} hint={hint} error={fieldError(error, k, t)}>
      {(id) => <input id={id} name={k} value={d[k]} onChange={set(k)} required={extra?.required} inputMode={extra?.inputMode} />}
    </Field>
  );
  const date = (k: "expiry_date" | "manufacture_date") => (
    <DateField label={labels[k]} name={k} value={d[k]} onChange={(v) => setD((x) => ({ ...x, [k]: v }))} error={fieldError(error, k, t)} />
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    // Enter in any field submits: never into a product the form does not show.
    if (!productId || receive.isPending) return;
    setLast(null);
    const result = await receive
      .mutateAsync({
        product_id: productId,
        supplier_id: d.supplier_id,
        batch_number: d.batch_number.trim(),
        quantity: d.quantity.trim(),
        expiry_date: optional(d.expiry_date),
        manufacture_date: optional(d.manufacture_date),
        cost_price: optional(d.cost_price),
        serial_number: optional(d.serial_number),
        reference_number: optional(d.reference_number),
        location: optional(d.location),
        notes: optional(d.notes),
      })
      .catch(() => null);
    if (result) {
      setLast(result);
      // Keep supplier and reference for the next line of the same delivery.
      setD((x) => ({ ...EMPTY, supplier_id: x.supplier_id, reference_number: x.reference_number, location: x.location }));
      document.querySelector<HTMLInputElement>("input[name=batch_number]")?.focus();
    }
  }

  return (
    <Screen title={t("Receiving")}>
      <form className="panel" onSubmit={submit} aria-label={t("Receive stock")}>
        <fieldset>
          <legend>{t("Delivery")}</legend>
          <div className="grid four">
            <Field label={labels.supplier_id} error={fieldError(error, "supplier_id", t)}>
              {(id) => (
                <select id={id} name="supplier_id" value={d.supplier_id} onChange={set("supplier_id")} required autoFocus>
                  <option value="">{t("Choose a supplier…")}</option>
                  {(suppliers.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.is_preferred ? t("{{name}} ★ preferred", { name: s.name }) : s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {text("reference_number")}
            {text("location")}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("Line")}</legend>
          <div className="grid four">
            <ProductPicker value={productId} onChange={setProductId} error={fieldError(error, "product_id", t)} />
            <Field label={labels.batch_number} hint={t("The same number tops up an existing batch")} error={fieldError(error, "batch_number", t)}>
              {(id) => <input id={id} name="batch_number" value={d.batch_number} onChange={set("batch_number")} required />}
            </Field>
            {text("quantity", undefined, { inputMode: "decimal" })}
            {date("expiry_date")}
            {date("manufacture_date")}
            {text("cost_price", t("Empty: the product's cost (refused if it has none)"), { inputMode: "decimal" })}
            {text("serial_number")}
            {text("notes")}
          </div>
        </fieldset>
        <ErrorMessage error={error} fields={labels} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={receive.isPending || !productId}>
            {receive.isPending ? t("Receiving…") : t("Receive")}
          </button>
        </div>
        {last && <Notice>{receivedText(last, t, fmt)}</Notice>}
      </form>
      <RecentReceipts canReverse={mayRun("reverse_receipt")} />
    </Screen>
  );
}
