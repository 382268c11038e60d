// Taking payment, in a dialog above the cart: one button per tender the
// store has enabled (Ctrl+1…Ctrl+9 pick the n-th), exact cash and
// quick-cash buttons (the next round notes above what is due in cash),
// split payments, a change preview, then complete_sale with an idempotency
// key minted on the first press and reused on every retry, so a double
// click or a retry after a lost answer never sells twice. Cash rounding
// applies to cash only (as the engine settles it): a card pays the exact
// total, and a split rounds only what is left for cash. The previews are
// exact bigint arithmetic; the receipt's change is the engine's.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { call } from "../../api";
import type { CartView } from "../../bindings/CartView";
import type { PaymentInput } from "../../bindings/PaymentInput";
import type { Receipt } from "../../bindings/Receipt";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { formatMoney, parseMoney, quickCashAmounts, roundToIncrement, sumMoney } from "./money";
import { TillDialog } from "./TillDialog";
import { tenderLabel } from "./tenders";
import { newSaleId } from "./terminal";
import { RESTORE_ON_SCAN } from "./useScanner";

interface Row {
  tender: string;
  amount: string;
  reference: string;
}

/** The tender a Ctrl+digit key picks (0-based), or null. */
export function tenderShortcut(e: KeyboardEvent): number | null {
  if (!e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
  const m = /^Digit([1-9])$/.exec(e.code) ?? /^([1-9])$/.exec(e.key);
  return m ? Number(m[1]) - 1 : null;
}

export function PaymentPanel({
  cart,
  tenders,
  roundingIncrement,
  onPaid,
  onCancel,
  onError,
  isScanning = () => false,
}: {
  cart: CartView;
  tenders: readonly string[];
  /** The store's cash rounding increment ("0": none). */
  roundingIncrement: string;
  onPaid: (r: Receipt) => void;
  onCancel: () => void;
  onError?: (e: unknown) => void;
  /** True while a scanner burst is arriving (its Ctrl+5 may be a GS1 separator, not a tender). */
  isScanning?: () => boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const exact = cart.totals.total_before_rounding;
  const cashTotal = cart.totals.total;
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const saleId = useRef<{ id: string; cart: string; updated: string } | null>(null);
  const form = useRef<HTMLFormElement>(null);
  /** What to focus after the next render: the last amount field, or the Complete button. */
  const [focusNext, setFocusNext] = useState<"amount" | "complete" | null>(null);

  const paid = sumMoney(rows.map((r) => r.amount));
  const hasCash = rows.some((r) => r.tender === "cash");
  const exactDue = parseMoney(exact) ?? 0n;
  const nonCash = sumMoney(rows.filter((r) => r.tender !== "cash").map((r) => r.amount));
  const increment = parseMoney(roundingIncrement) ?? 0n;
  // With cash: the other tenders pay exact, what is left for cash is rounded.
  const withCash = nonCash + roundToIncrement(exactDue - nonCash, increment);
  const due = hasCash ? withCash : exactDue;
  const remaining = due - paid;
  const cashPaid = sumMoney(rows.filter((r) => r.tender === "cash").map((r) => r.amount));
  const change = remaining < 0n && cashPaid > 0n ? -remaining : 0n;

  // Exact and quick cash fill one cash row (the last one, or a new one):
  // what is left for it is the rounded total less every other row.
  const cashRow = rows.map((r) => r.tender).lastIndexOf("cash");
  const otherRows = sumMoney(rows.filter((_, i) => i !== cashRow).map((r) => r.amount));
  const cashDue = withCash - otherRows;
  const cashEnabled = tenders.includes("cash");
  const quick = cashEnabled ? quickCashAmounts(cashDue) : [];

  useEffect(() => {
    if (!focusNext || !form.current) return;
    if (focusNext === "amount") {
      const inputs = form.current.querySelectorAll<HTMLInputElement>("input[data-payment-amount]");
      const last = inputs[inputs.length - 1];
      last?.focus();
      last?.select();
    } else {
      form.current.querySelector<HTMLButtonElement>("button[type=submit]")?.focus();
    }
    setFocusNext(null);
  }, [focusNext]);

  function addTender(tender: string) {
    // What is left for this tender: cash rounds its part, the others pay exact.
    const left = (tender === "cash" ? withCash : exactDue) - paid;
    const amount = left > 0n ? formatMoney(left) : "";
    setRows((rs) => [...rs, { tender, amount, reference: "" }]);
    // Focus the new amount so the cashier can type what was handed over.
    setFocusNext("amount");
  }

  /** Cash handed over: `amount` in the cash row; then Enter completes. */
  function cash(amount: bigint) {
    const value = formatMoney(amount);
    setRows((rs) => {
      const i = rs.map((r) => r.tender).lastIndexOf("cash");
      return i < 0 ? [...rs, { tender: "cash", amount: value, reference: "" }] : rs.map((r, j) => (j === i ? { ...r, amount: value } : r));
    });
    setFocusNext("complete");
  }

  // Ctrl+1…Ctrl+9: the n-th enabled tender, as its button.
  const addRef = useRef(addTender);
  useEffect(() => {
    addRef.current = addTender;
  });
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const n = tenderShortcut(e);
      if (n === null) return;
      // Some scanners type a GS1 separator as Ctrl+5: mid-burst it is part of a code.
      if (isScanning()) return;
      const tender = tenders[n];
      e.preventDefault();
      if (tender !== undefined) addRef.current(tender);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [tenders, isScanning]);

  async function complete(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    // One key per cart state: a retry of the same cart resends the same id.
    if (!saleId.current || saleId.current.cart !== cart.cart_id || saleId.current.updated !== cart.updated_at) {
      saleId.current = { id: newSaleId(), cart: cart.cart_id, updated: cart.updated_at };
    }
    const payments: PaymentInput[] = rows
      .filter((r) => r.amount.trim() !== "")
      .map((r) => ({ tender: r.tender, amount: r.amount.trim(), reference: r.reference.trim() || undefined }));
    setBusy(true);
    setError(null);
    try {
      const receipt = await call("complete_sale", { sale_id: saleId.current.id, cart_id: cart.cart_id, payments });
      saleId.current = null;
      onPaid(receipt);
    } catch (err) {
      setError(err);
      onError?.(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <TillDialog title={t("Payment")} onClose={onCancel} className="payment-dialog">
      <form className="payment" aria-label={t("Payment")} onSubmit={complete} ref={form}>
        <p className="pay-head">
          {t("Total")} <strong data-testid="pay-total">{f.money(exact)}</strong>
          {cashTotal !== exact && (
            <span className="small muted" data-testid="pay-cash-total">
              {" "}
              {t("({{amount}} in cash)", { amount: f.money(cashTotal) })}
            </span>
          )}
        </p>
        <div className="tenders" role="group" aria-label={t("Tenders")}>
          {tenders.map((code, i) => (
            <button
              key={code}
              type="button"
              className="tender"
              onClick={() => addTender(code)}
              aria-keyshortcuts={i < 9 ? `Control+${i + 1}` : undefined}
              data-tender={code}
            >
              {tenderLabel(code)}
              {i < 9 && (
                <>
                  {" "}
                  <Kbd>{t("Ctrl+{{n}}", { n: i + 1 })}</Kbd>
                </>
              )}
            </button>
          ))}
        </div>
        {cashEnabled && (
          <div className="quick-cash" role="group" aria-label={t("Cash handed over")}>
            <button type="button" className="exact-cash" onClick={() => cash(cashDue)} disabled={cashDue <= 0n} data-testid="exact-cash">
              {t("Exact cash {{amount}}", { amount: cashDue > 0n ? f.money(formatMoney(cashDue)) : "" })}
            </button>
            {quick.map((a) => (
              <button key={a.toString()} type="button" onClick={() => cash(a)} data-quick-cash={formatMoney(a)}>
                {f.money(formatMoney(a))}
              </button>
            ))}
          </div>
        )}
        <div className="payment-rows">
          {rows.length === 0 && <p className="muted">{t("Choose a tender. Several tenders split the payment.")}</p>}
          {rows.map((r, i) => (
            <div className="grid four payment-row" key={i} data-tender-row={r.tender}>
              <Field label={t("{{tender}} amount", { tender: tenderLabel(r.tender) })}>
                {(id) => (
                  <input
                    id={id}
                    data-payment-amount
                    {...RESTORE_ON_SCAN}
                    inputMode="decimal"
                    value={r.amount}
                    onChange={(e) => setRows((rs) => rs.map((x, j) => (j === i ? { ...x, amount: e.target.value } : x)))}
                  />
                )}
              </Field>
              {r.tender !== "cash" ? (
                <Field label={t("{{tender}} reference", { tender: tenderLabel(r.tender) })} hint={t("Card slip, transfer or receipt number")}>
                  {(id) => (
                    <input id={id} value={r.reference} onChange={(e) => setRows((rs) => rs.map((x, j) => (j === i ? { ...x, reference: e.target.value } : x)))} />
                  )}
                </Field>
              ) : (
                <div />
              )}
              <div className="form-actions">
                <button
                  type="button"
                  onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                  aria-label={t("Remove {{tender}} payment", { tender: tenderLabel(r.tender) })}
                >
                  {t("Remove")}
                </button>
              </div>
            </div>
          ))}
        </div>
        <dl className="pay-summary">
          <dt>{t("Paid")}</dt>
          <dd data-testid="pay-paid">{f.money(formatMoney(paid))}</dd>
          <dt>{remaining > 0n ? t("Still due") : t("Change due")}</dt>
          <dd data-testid={remaining > 0n ? "pay-due" : "pay-change"} className={remaining > 0n ? "due" : "change"}>
            {remaining > 0n ? f.money(formatMoney(remaining)) : f.money(formatMoney(change))}
          </dd>
        </dl>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="primary big" disabled={busy || rows.length === 0}>
            {busy ? t("Completing…") : t("Complete sale")} <Kbd>{t("Enter")}</Kbd>
          </button>
          <button type="button" onClick={onCancel}>
            {t("Back to cart")} <Kbd>{t("Esc")}</Kbd>
          </button>
        </div>
      </form>
    </TillDialog>
  );
}
