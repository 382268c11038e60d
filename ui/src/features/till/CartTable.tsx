// The cart's lines: quantity edit, batch change, remove, line discount,
// shortage actions.
// Money is shown exactly as the engine computed it.
import { useState, type FormEvent } from "react";

import type { CartLineView } from "../../bindings/CartLineView";
import type { CartView } from "../../bindings/CartView";
import type { DiscountKind } from "../../bindings/DiscountKind";
import { isZeroMoney, showMoney } from "./money";
import { RESTORE_ON_SCAN } from "./useScanner";

export interface LineActions {
  setQuantity: (line: CartLineView, quantity: string) => void;
  remove: (line: CartLineView) => void;
  discount: (line: CartLineView, kind: DiscountKind, value: string | null) => void;
  overridePrice: (line: CartLineView, unitPrice: string | null) => void;
  shortage: (line: CartLineView) => void;
  /** Opens the batch picker for the line. */
  batch: (line: CartLineView) => void;
}

export function CartTable({ cart, actions, busy }: { cart: CartView; actions: LineActions; busy: boolean }) {
  const [discountFor, setDiscountFor] = useState<string | null>(null);
  return (
    <div className="table-wrap cart-lines">
      <table aria-label="Cart lines">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Product</th>
            <th className="num">Quantity</th>
            <th className="num">Price</th>
            <th className="num">Discount</th>
            <th className="num">Tax</th>
            <th className="num">Total</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((l, i) => (
            <LineRow
              key={l.line_id}
              index={i + 1}
              line={l}
              actions={actions}
              busy={busy}
              discountOpen={discountFor === l.line_id}
              toggleDiscount={() => setDiscountFor((x) => (x === l.line_id ? null : l.line_id))}
            />
          ))}
          {cart.lines.length === 0 && (
            <tr>
              <td colSpan={8} className="empty">
                Scan a pack or search (F2) to start a sale.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function LineRow({
  index,
  line: l,
  actions,
  busy,
  discountOpen,
  toggleDiscount,
}: {
  index: number;
  line: CartLineView;
  actions: LineActions;
  busy: boolean;
  discountOpen: boolean;
  toggleDiscount: () => void;
}) {
  const [qty, setQty] = useState(l.quantity);
  const [seen, setSeen] = useState(l.quantity);
  if (seen !== l.quantity) {
    // The engine changed the quantity (repeat scan, refresh): show its value.
    setSeen(l.quantity);
    setQty(l.quantity);
  }
  const [kind, setKind] = useState<DiscountKind>(l.discount?.kind ?? "percent");
  const [value, setValue] = useState(l.discount?.value ?? "");
  const [price, setPrice] = useState("");
  const lineDiscount = !isZeroMoney(l.line_discount) || !isZeroMoney(l.cart_discount);

  function commitQty() {
    const q = qty.trim();
    if (q !== "" && q !== l.quantity) actions.setQuantity(l, q);
  }
  function submitDiscount(e: FormEvent) {
    e.preventDefault();
    actions.discount(l, kind, value.trim() === "" ? null : value.trim());
    toggleDiscount();
  }

  return (
    <>
      <tr data-sku={l.sku} data-line={l.line_no} className={l.short ? "short" : ""}>
        <td className="num">{index}</td>
        <td>
          <strong>{l.name}</strong> <span className="muted small">{l.sku}</span>
          {(l.batch_number || l.batch_expiry) && (
            <div className="small muted">
              {l.batch_number ? `Batch ${l.batch_number}` : ""} {l.batch_expiry ? `exp ${l.batch_expiry}` : ""}
            </div>
          )}
          {l.prescription_only && <div className="small">Rx {l.prescription_reference ?? "— reference needed"}</div>}
          {l.short && (
            <div className="short-note" role="alert">
              Only {l.available} {l.unit} available.{" "}
              <button type="button" className="link" onClick={() => actions.shortage(l)}>
                Sell what we have / backorder…
              </button>
            </div>
          )}
        </td>
        <td className="num">
          <input
            className="qty"
            {...RESTORE_ON_SCAN}
            aria-label={`Quantity of ${l.name}`}
            inputMode={l.allow_fractional ? "decimal" : "numeric"}
            title={l.allow_fractional ? `Fractions allowed (${l.unit})` : `Whole ${l.unit}s only`}
            value={qty}
            onChange={(e) => setQty(e.target.value)}
            onBlur={commitQty}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                commitQty();
                // Back to the page, so the next scan goes to the cart, not here.
                e.currentTarget.blur();
              } else if (e.key === "Escape") setQty(l.quantity);
            }}
            disabled={busy}
          />{" "}
          <span className="small muted">{l.unit}</span>
        </td>
        <td className="num">
          {showMoney(l.unit_price)}
          {l.unit_price !== l.list_price && <div className="small muted">list {showMoney(l.list_price)}</div>}
        </td>
        <td className="num">{lineDiscount ? `−${showMoney(l.line_discount)}${!isZeroMoney(l.cart_discount) ? ` −${showMoney(l.cart_discount)}` : ""}` : ""}</td>
        <td className="num">{showMoney(l.tax)}</td>
        <td className="num">
          <strong>{showMoney(l.total)}</strong>
        </td>
        <td className="actions">
          <button type="button" onClick={() => actions.batch(l)} aria-label={`Change the batch of ${l.name}`} title="Sell from another batch (or back to FEFO)" disabled={busy}>
            Batch…
          </button>
          <button type="button" onClick={toggleDiscount} aria-label={`Discount ${l.name}`} aria-expanded={discountOpen}>
            %
          </button>
          <button type="button" className="danger" onClick={() => actions.remove(l)} aria-label={`Remove ${l.name}`} disabled={busy}>
            ×
          </button>
        </td>
      </tr>
      {discountOpen && (
        <tr className="sub-row">
          <td />
          <td colSpan={7}>
            <form className="inline-form" aria-label={`Discount on ${l.name}`} onSubmit={submitDiscount}>
              <label>
                Kind{" "}
                <select value={kind} onChange={(e) => setKind(e.target.value as DiscountKind)}>
                  <option value="percent">Percent</option>
                  <option value="amount">Amount</option>
                </select>
              </label>
              <label>
                Line discount <input {...RESTORE_ON_SCAN} value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" autoFocus size={8} />
              </label>
              <button type="submit" className="primary">
                Apply line discount
              </button>
              <span className="small muted">Empty removes the discount.</span>
            </form>
            <form
              className="inline-form"
              aria-label={`Price of ${l.name}`}
              onSubmit={(e) => {
                e.preventDefault();
                actions.overridePrice(l, price.trim() === "" ? null : price.trim());
                toggleDiscount();
              }}
            >
              <label>
                Unit price <input {...RESTORE_ON_SCAN} value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" size={8} placeholder={showMoney(l.list_price)} />
              </label>
              <button type="submit">Override price</button>
              <span className="small muted">Needs a manager. Empty goes back to the list price.</span>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}
