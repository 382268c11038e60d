// The till's side column: the totals as the engine priced them, the Pay
// button (always first, so nothing pushes it), cart discount, hold and
// cancel, and the change due of the last sale, big, until the next sale
// starts.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { CartView } from "../../bindings/CartView";
import type { DiscountKind } from "../../bindings/DiscountKind";
import { Field, Kbd } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { useShortcut } from "../../lib/useShortcut";
import { TillDialog } from "./TillDialog";
import { RESTORE_ON_SCAN } from "./useScanner";

/** The amount to pay, big; first in the side column. */
export function TotalDue({ cart }: { cart: CartView }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <p className="total-due">
      <span>{t("Total")}</span>
      <strong data-testid="total-total">{f.money(cart.totals.total)}</strong>
    </p>
  );
}

/** How the total is made, below the Pay button (its tax rows vary with the cart). */
export function Totals({ cart }: { cart: CartView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const x = cart.totals;
  return (
    <dl className="totals" aria-label={t("Totals")} data-testid="totals">
      <dt>{t("Subtotal")}</dt>
      <dd data-testid="total-subtotal">{f.money(x.subtotal)}</dd>
      <dt>{t("Discounts")}</dt>
      <dd data-testid="total-discount">{f.money(x.discount)}</dd>
      <dt>{cart.prices_include_tax ? t("Tax (included)") : t("Tax (added)")}</dt>
      <dd data-testid="total-tax">{f.money(x.tax)}</dd>
      {x.taxes.map((r) => (
        <TaxLineRow key={r.rate} rate={r.rate} tax={r.tax} />
      ))}
      <dt>{t("Rounding")}</dt>
      <dd data-testid="total-rounding">{f.money(x.rounding)}</dd>
    </dl>
  );
}

function TaxLineRow({ rate, tax }: { rate: string; tax: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <dt className="small muted">{t("at {{rate}}", { rate: f.percent(rate) })}</dt>
      <dd className="small muted">{f.money(tax)}</dd>
    </>
  );
}

/** The last sale's change, as the engine settled it. */
export interface LastChange {
  saleNumber: string;
  /** Cash to hand back. */
  change: string;
  /** What the customer handed over in all. */
  paid: string;
  total: string;
}

/** The change to hand back, big, kept until the next sale's first line. */
export function ChangeDue({ last }: { last: LastChange }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="change-due" aria-label={t("Change due")} data-testid="change-due">
      <p className="change-due-label">{t("Change due")}</p>
      <p className="change-due-amount" data-testid="change-due-amount" aria-live="polite">
        {f.money(last.change)}
      </p>
      <p className="small">
        {t("Sale {{sale}}: total {{total}}, paid {{paid}}.", { sale: last.saleNumber, total: f.money(last.total), paid: f.money(last.paid) })}
      </p>
    </section>
  );
}

/** Pay, first under the total: nothing above it changes height while selling. */
export function PayButton({ cart, busy, onPay }: { cart: CartView; busy: boolean; onPay: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="primary big pay-button" onClick={onPay} disabled={cart.lines.length === 0 || busy} aria-keyshortcuts="F4">
      {t("Pay")} <Kbd>{t("F4")}</Kbd>
    </button>
  );
}

/** Cart discount, hold (F6) and cancel; hold and cancel ask in dialogs. */
export function CartActions({
  cart,
  busy,
  onHold,
  onCancel,
  onCartDiscount,
}: {
  cart: CartView;
  busy: boolean;
  onHold: (customer: string) => Promise<void>;
  onCancel: () => Promise<void>;
  onCartDiscount: (kind: DiscountKind, value: string | null) => void;
}) {
  const { t } = useTranslation();
  const [holding, setHolding] = useState(false);
  const [customer, setCustomer] = useState("");
  const [kind, setKind] = useState<DiscountKind>(cart.discount?.kind ?? "percent");
  const [value, setValue] = useState(cart.discount?.value ?? "");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const empty = cart.lines.length === 0;
  useShortcut("f6", () => !empty && setHolding(true));

  async function submitHold(e: FormEvent) {
    e.preventDefault();
    await onHold(customer);
    setHolding(false);
    setCustomer("");
  }

  return (
    <div className="cart-actions">
      <form
        className="inline-form"
        aria-label={t("Cart discount")}
        onSubmit={(e) => {
          e.preventDefault();
          onCartDiscount(kind, value.trim() === "" ? null : value.trim());
        }}
      >
        <label>
          {t("Cart discount")}{" "}
          <select value={kind} onChange={(e) => setKind(e.target.value as DiscountKind)} aria-label={t("Cart discount kind")}>
            <option value="percent">%</option>
            <option value="amount">{t("amount")}</option>
          </select>
        </label>
        <input aria-label={t("Cart discount value")} {...RESTORE_ON_SCAN} value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" size={6} />
        <button type="submit" disabled={empty} aria-label={t("Apply cart discount")}>
          {t("Apply")}
        </button>
      </form>
      <div className="form-actions">
        <button type="button" onClick={() => setHolding(true)} disabled={empty || busy} aria-keyshortcuts="F6">
          {t("Hold")} <Kbd>{t("F6")}</Kbd>
        </button>
        <button type="button" className="danger" onClick={() => setConfirmCancel(true)} disabled={empty || busy}>
          {t("Cancel cart")}
        </button>
      </div>
      {holding && (
        <TillDialog title={t("Hold the cart")} onClose={() => setHolding(false)}>
          <form aria-label={t("Hold the cart")} onSubmit={submitHold}>
            <Field label={t("Customer name")} hint={t("To find the cart again")}>
              {(id) => <input id={id} value={customer} onChange={(e) => setCustomer(e.target.value)} autoFocus />}
            </Field>
            <div className="form-actions">
              <button type="submit" className="primary">
                {t("Hold cart")}
              </button>
              <button type="button" onClick={() => setHolding(false)}>
                {t("Back")} <Kbd>{t("Esc")}</Kbd>
              </button>
            </div>
          </form>
        </TillDialog>
      )}
      {confirmCancel && (
        <TillDialog title={t("Cancel this cart?")} onClose={() => setConfirmCancel(false)} role="alertdialog">
          <p>{t("Its lines are removed and their stock is free again.")}</p>
          <div className="form-actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirmCancel(false);
                void onCancel();
              }}
            >
              {t("Yes, cancel cart")}
            </button>
            <button type="button" onClick={() => setConfirmCancel(false)} autoFocus>
              {t("No")} <Kbd>{t("Esc")}</Kbd>
            </button>
          </div>
        </TillDialog>
      )}
    </div>
  );
}
