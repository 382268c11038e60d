// Not enough stock for a line: say what can be sold, set the line to it,
// and record a backorder for the rest (customer name and phone).
import { useState, type FormEvent } from "react";

import { call } from "../../api";
import type { Backorder } from "../../bindings/Backorder";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { parseMoney, subtractQty } from "./money";

export interface Shortage {
  productId: string;
  name: string;
  unit: string;
  requested: string;
  available: string;
  lineId: string;
}

export function ShortagePanel({ shortage, onSellAvailable, onClose }: { shortage: Shortage; onSellAvailable: () => Promise<void>; onClose: () => void }) {
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
    <section className="panel shortage" aria-label="Not enough stock" data-testid="shortage">
      <h2>Not enough {shortage.name}</h2>
      <p>
        Asked for {shortage.requested} {shortage.unit}; <strong>{shortage.available}</strong> can be sold now.
      </p>
      <div className="form-actions">
        {canSell && (
          <button type="button" className="primary" onClick={() => void onSellAvailable()}>
            Sell the {shortage.available} available
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {done ? (
        <Notice>
          Backorder recorded: {done.quantity} {shortage.unit} of {done.product_name}
          {done.customer_name ? ` for ${done.customer_name}` : ""}. Receiving stock will raise a notice.
        </Notice>
      ) : (
        <form aria-label="Backorder the rest" onSubmit={backorder}>
          <div className="grid four">
            <Field label="Backorder quantity">{(id) => <input id={id} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="decimal" />}</Field>
            <Field label="Customer name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
            <Field label="Customer phone">{(id) => <input id={id} value={phone} onChange={(e) => setPhone(e.target.value)} type="tel" />}</Field>
            <div className="form-actions">
              <button type="submit">Create backorder</button>
            </div>
          </div>
          <ErrorMessage error={error} />
        </form>
      )}
    </section>
  );
}
