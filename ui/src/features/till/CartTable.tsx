// The cart's lines: quantity edit, batch change, remove, line discount and
// price (in a dialog, so the rows below never move), shortage actions.
// Money is shown exactly as the engine computed it, in the store's currency.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { CartLineView } from "../../bindings/CartLineView";
import type { CartView } from "../../bindings/CartView";
import type { DiscountKind } from "../../bindings/DiscountKind";
import { useFormat, type Formatters } from "../../lib/locale";
import { Kbd } from "../../components/Field";
import { isZeroMoney } from "./money";
import { TillDialog } from "./TillDialog";
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
  // Read once here and handed to the rows: a scan repaints every row.
  const { t } = useTranslation();
  const f = useFormat();
  const [discountFor, setDiscountFor] = useState<string | null>(null);
  return (
    <div className="table-wrap cart-lines">
      <table aria-label={t("Cart lines")}>
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t("Product")}</th>
            <th className="num">{t("Quantity")}</th>
            <th className="num">{t("Price")}</th>
            <th className="num">{t("Discount")}</th>
            <th className="num">{t("Tax")}</th>
            <th className="num">{t("Total")}</th>
            <th aria-label={t("Actions")} />
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((l, i) => (
            <LineRow
              key={l.line_id}
              index={i + 1}
              t={t}
              f={f}
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
                {t("Scan a pack or search (F2) to start a sale.")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function LineRow({
  t,
  f,
  index,
  line: l,
  actions,
  busy,
  discountOpen,
  toggleDiscount,
}: {
  t: TFunction;
  f: Formatters;
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
              {l.batch_number ? t("Batch {{batch}}", { batch: l.batch_number }) : ""}{" "}
              {l.batch_expiry ? t("exp {{date}}", { date: f.date(l.batch_expiry) }) : ""}
            </div>
          )}
          {l.prescription_only && (
            <div className="small">
              {l.prescription_reference ? t("Rx {{reference}}", { reference: l.prescription_reference }) : t("Rx — reference needed")}
            </div>
          )}
          {l.short && (
            <div className="short-note" role="alert">
              {t("Only {{quantity}} available.", { quantity: f.qty(l.available, l.unit) })}{" "}
              <button type="button" className="link" onClick={() => actions.shortage(l)}>
                {t("Sell what we have / backorder…")}
              </button>
            </div>
          )}
        </td>
        <td className="num">
          <input
            className="qty"
            {...RESTORE_ON_SCAN}
            aria-label={t("Quantity of {{name}}", { name: l.name })}
            inputMode={l.allow_fractional ? "decimal" : "numeric"}
            title={l.allow_fractional ? t("Fractions allowed ({{unit}})", { unit: l.unit }) : t("Whole units only ({{unit}})", { unit: l.unit })}
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
          {f.money(l.unit_price)}
          {l.unit_price !== l.list_price && <div className="small muted">{t("list {{price}}", { price: f.money(l.list_price) })}</div>}
        </td>
        <td className="num">{lineDiscount ? `−${f.money(l.line_discount)}${!isZeroMoney(l.cart_discount) ? ` −${f.money(l.cart_discount)}` : ""}` : ""}</td>
        <td className="num">{f.money(l.tax)}</td>
        <td className="num">
          <strong>{f.money(l.total)}</strong>
        </td>
        <td className="actions">
          <button
            type="button"
            onClick={() => actions.batch(l)}
            aria-label={t("Change the batch of {{name}}", { name: l.name })}
            title={t("Sell from another batch (or back to FEFO)")}
            disabled={busy}
          >
            {t("Batch…")}
          </button>
          <button type="button" onClick={toggleDiscount} aria-label={t("Discount {{name}}", { name: l.name })} aria-haspopup="dialog" aria-expanded={discountOpen}>
            %
          </button>
          <button type="button" className="danger" onClick={() => actions.remove(l)} aria-label={t("Remove {{name}}", { name: l.name })} disabled={busy}>
            ×
          </button>
        </td>
      </tr>
      {discountOpen && (
        <TillDialog title={t("Discount or price of {{name}}", { name: l.name })} onClose={toggleDiscount}>
          <form className="inline-form" aria-label={t("Discount on {{name}}", { name: l.name })} onSubmit={submitDiscount}>
            <label>
              {t("Kind")}{" "}
              <select value={kind} onChange={(e) => setKind(e.target.value as DiscountKind)}>
                <option value="percent">{t("Percent")}</option>
                <option value="amount">{t("Amount")}</option>
              </select>
            </label>
            <label>
              {t("Line discount")} <input {...RESTORE_ON_SCAN} value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" autoFocus size={8} />
            </label>
            <button type="submit" className="primary">
              {t("Apply line discount")}
            </button>
            <span className="small muted">{t("Empty removes the discount.")}</span>
          </form>
          <form
            className="inline-form"
            aria-label={t("Price of {{name}}", { name: l.name })}
            onSubmit={(e) => {
              e.preventDefault();
              actions.overridePrice(l, price.trim() === "" ? null : price.trim());
              toggleDiscount();
            }}
          >
            <label>
              {t("Unit price")}{" "}
              <input {...RESTORE_ON_SCAN} value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" size={8} placeholder={l.list_price} />
            </label>
            <button type="submit">{t("Override price")}</button>
            <span className="small muted">{t("Needs a manager. Empty goes back to the list price.")}</span>
          </form>
          <div className="form-actions">
            <button type="button" onClick={toggleDiscount}>
              {t("Back")} <Kbd>{t("Esc")}</Kbd>
            </button>
          </div>
        </TillDialog>
      )}
    </>
  );
}
