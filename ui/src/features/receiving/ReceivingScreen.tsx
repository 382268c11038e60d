// Receiving: stock in from a supplier into a batch. Receiving the same batch
// number again tops it up when the details match, or the engine refuses it
// and says why; the result says which happened, naming product, batch and
// quantity. Receive stays off until a product is shown as chosen: a new
// search clears the choice (see ProductPicker). Below, the recent receipts,
// which a manager can reverse when booked in error.
import { useState, type FormEvent } from "react";

import type { ReceiveResult } from "../../bindings/ReceiveResult";
import type { SignedInUser } from "../../bindings/SignedInUser";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { RecentReceipts } from "./RecentReceipts";

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
export function receivedText(r: ReceiveResult): string {
  const what = `${r.topped_up ? "Topped up" : "Received new"} batch ${r.batch_number} of ${r.product_name}: +${r.quantity} ${r.unit}, now ${r.on_hand} on hand`;
  const expiry = r.expiry_date ? `, expires ${r.expiry_date}` : "";
  const cost = r.cost_price_source === "product" ? " No cost price was entered: the product's cost price was used." : "";
  const waiting = r.pending_backorders > 0 ? ` ${r.pending_backorders} backorder(s) wait for this product.` : "";
  return `${what}${expiry}.${cost}${waiting}`;
}

export function ReceivingScreen({ user }: { user: SignedInUser }) {
  const [productId, setProductId] = useState("");
  const [d, setD] = useState<Draft>(EMPTY);
  const [last, setLast] = useState<ReceiveResult | null>(null);
  const suppliers = useCommandQuery("list_suppliers", {});
  const receive = useCommandMutation("receive_stock");

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setD((x) => ({ ...x, [k]: e.target.value }));
  const text = (k: keyof Draft, label: string, hint?: string) => (
    <Field label={label} hint={hint}>
      {(id) => <input id={id} name={k} value={d[k]} onChange={set(k)} aria-invalid={receive.error?.field === k || (k === "cost_price" && receive.error?.kind === "no_cost_price") || undefined} />}
    </Field>
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
    <Screen title="Receiving">
      <form className="panel" onSubmit={submit} aria-label="Receive stock">
        <fieldset>
          <legend>Delivery</legend>
          <div className="grid four">
            <Field label="Supplier">
              {(id) => (
                <select id={id} name="supplier_id" value={d.supplier_id} onChange={set("supplier_id")} required autoFocus>
                  <option value="">Choose a supplier…</option>
                  {(suppliers.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                      {s.is_preferred ? " ★" : ""}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {text("reference_number", "Delivery / invoice reference")}
            {text("location", "Shelf / location")}
          </div>
        </fieldset>
        <fieldset>
          <legend>Line</legend>
          <div className="grid four">
            <ProductPicker value={productId} onChange={setProductId} />
            <Field label="Batch number" hint="The same number tops up an existing batch">
              {(id) => <input id={id} name="batch_number" value={d.batch_number} onChange={set("batch_number")} required />}
            </Field>
            {text("quantity", "Quantity")}
            {text("expiry_date", "Expiry date", "YYYY-MM-DD")}
            {text("manufacture_date", "Manufacture date", "YYYY-MM-DD")}
            {text("cost_price", "Cost price (per unit)", "Empty: the product's cost (refused if it has none)")}
            {text("serial_number", "Serial number")}
            {text("notes", "Notes")}
          </div>
        </fieldset>
        <ErrorMessage error={receive.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={receive.isPending || !productId}>
            {receive.isPending ? "Receiving…" : "Receive"}
          </button>
        </div>
        {last && <Notice>{receivedText(last)}</Notice>}
      </form>
      <RecentReceipts canReverse={user.role === "manager" || user.role === "admin"} />
    </Screen>
  );
}
