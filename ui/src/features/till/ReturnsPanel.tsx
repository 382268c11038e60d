// Returns desk: find a sale by its printed number, reprint it, take lines
// back (restock / quarantine / waste; the store's default is preselected,
// quarantine unless a manager chose otherwise) with a refund in the tender
// the sale was paid with, or void the whole sale (manager). Refunds above
// the cashier's limit and voids ask for a manager's PIN in place. After the
// engine answers, a dialog says how much to pay back and in which tender.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { call, toApiError } from "../../api";
import type { Receipt } from "../../bindings/Receipt";
import type { ReturnDisposition } from "../../bindings/ReturnDisposition";
import type { ReturnResult } from "../../bindings/ReturnResult";
import type { SignedInUser } from "../../bindings/SignedInUser";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { i18next } from "../../i18n";
import { useCommandQuery } from "../../lib/queries";
import { ApprovalPrompt, approvalFactsOf, type ApprovalFacts, type Approver, type PendingApproval } from "./ApprovalPrompt";
import { isZeroMoney, parseMoney, subtractQty } from "./money";
import { PayoutDialog, payoutOf, type Payout } from "./Payout";
import { ReceiptView } from "./ReceiptView";
import { tenderLabel } from "./tenders";
import { useMayRun } from "../../lib/permissions";

interface LineDraft {
  quantity: string;
  disposition: ReturnDisposition;
}

export function ReturnsPanel({
  terminalId,
  tenders,
  user,
  defaultDisposition,
}: {
  terminalId: string;
  tenders: readonly string[];
  user: SignedInUser;
  /** The store's `return_disposition` setting. */
  defaultDisposition: ReturnDisposition;
}) {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const f = useFormat();
  // The store's thresholds, shown to the manager approving (already cached by the till).
  const settings = useCommandQuery("get_till_settings", {});
  const [number, setNumber] = useState("");
  const [sale, setSale] = useState<Receipt | null>(null);
  const [drafts, setDrafts] = useState<Record<string, LineDraft>>({});
  const [tender, setTender] = useState("cash");
  const [reason, setReason] = useState("");
  const [voidReason, setVoidReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<string | null>(null);
  const [approval, setApproval] = useState<PendingApproval | null>(null);
  /** What to hand back after a return or a void, until the cashier says it is done. */
  const [payout, setPayout] = useState<Payout | null>(null);

  /** Shows a sale; the refund goes back the way it was paid. */
  function show(r: Receipt) {
    setSale(r);
    setDrafts({});
    setTender((current) => originalTender(r, tenders) ?? current);
  }

  async function find(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      show(await call("find_sale", { sale_number: number.trim() }));
    } catch (err) {
      setSale(null);
      setError(err);
    }
  }

  async function open(saleId: string) {
    setError(null);
    setResult(null);
    try {
      show(await call("get_receipt", { sale_id: saleId }));
    } catch (err) {
      setError(err);
    }
  }

  async function refresh(saleId: string) {
    show(await call("get_receipt", { sale_id: saleId }));
  }

  async function withApproval(facts: ApprovalFacts, run: (a: Approver) => Promise<void>) {
    setError(null);
    try {
      await run({});
    } catch (e) {
      const err = toApiError(e);
      if (err.is("approval_required")) setApproval({ ...facts, cashier: user.name, ...approvalFactsOf(err.details, f), reason: err.details.reason, run });
      else setError(err);
    }
  }

  function doReturn(e: FormEvent) {
    e.preventDefault();
    if (!sale) return;
    const lines = sale.lines
      .map((l) => ({ l, d: drafts[l.sale_line_id] }))
      .filter((x): x is { l: (typeof sale.lines)[number]; d: LineDraft } => !!x.d && (parseMoney(x.d.quantity) ?? 0n) > 0n)
      .map(({ l, d }) => ({ sale_line_id: l.sale_line_id, quantity: d.quantity.trim(), disposition: d.disposition }));
    if (lines.length === 0) {
      setError({ kind: "invalid_input", message: t("Enter the quantity coming back on at least one line."), details: {} });
      return;
    }
    // What comes back, in words; the refund itself is the engine's to work out.
    const items = lines
      .map((x) => {
        const l = sale.lines.find((y) => y.sale_line_id === x.sale_line_id);
        return l ? t("{{quantity}} {{name}}", { quantity: f.qty(x.quantity, l.unit), name: l.name }) : "";
      })
      .join(", ");
    const facts: ApprovalFacts = {
      what: t("Refund on sale {{sale}}", { sale: sale.sale_number }),
      amount: t("{{items}} (the sale's total was {{total}})", { items, total: f.money(sale.total) }),
      limit: settings.data ? t("{{amount}} for a cashier", { amount: f.money(settings.data.cashier_refund_limit) }) : undefined,
    };
    void withApproval(facts, async (a) => {
      const r: ReturnResult = await call("return_items", { sale_id: sale.sale_id, terminal_id: terminalId, lines, tender, reason: reason.trim() || undefined, ...a });
      setResult(t("Returned goods of {{sale}}: refund {{amount}} {{tender}}.", { sale: r.sale_number, amount: f.money(r.refund), tender: tenderLabel(r.tender) }));
      setPayout(payoutOf(r, t("Refund on sale {{sale}}", { sale: r.sale_number })));
      await refresh(sale.sale_id);
    });
  }

  function doVoid(e: FormEvent) {
    e.preventDefault();
    if (!sale) return;
    const facts: ApprovalFacts = {
      what: t("Void of sale {{sale}}", { sale: sale.sale_number }),
      amount: f.money(sale.total),
      limit: t("every void"),
    };
    void withApproval(facts, async (a) => {
      const r = await call("void_sale", { sale_id: sale.sale_id, reason: voidReason.trim(), ...a });
      setSale(r);
      setResult(t("Voided {{sale}}; every unit went back to its batch.", { sale: r.sale_number }));
      setPayout(payoutOf(r, t("Void of sale {{sale}}", { sale: r.sale_number })));
    });
  }

  return (
    <section className="panel" aria-label={t("Returns and voids")}>
      <h2>{t("Returns and voids")}</h2>
      <form className="inline-form" aria-label={t("Find a sale")} onSubmit={find}>
        <Field label={t("Sale number")} hint={t("As printed on the receipt")}>
          {(id) => <input id={id} value={number} onChange={(e) => setNumber(e.target.value)} autoFocus required />}
        </Field>
        <button type="submit" className="primary">
          {t("Find sale")}
        </button>
      </form>
      {!sale && <ShiftSales terminalId={terminalId} onOpen={(id) => void open(id)} />}
      {approval && (
        <ApprovalPrompt
          pending={approval}
          onCancel={() => setApproval(null)}
          onDone={() => {
            setApproval(null);
          }}
        />
      )}
      {payout && <PayoutDialog payout={payout} onDone={() => setPayout(null)} />}
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      <Notice>{result}</Notice>
      {sale && (
        <div className="returns-grid">
          <div>
            <ReceiptView receipt={sale} />
            <div className="form-actions no-print">
              <button type="button" onClick={() => window.print()}>
                {t("Reprint receipt")}
              </button>
            </div>
          </div>
          <div>
            {sale.status === "completed" && (
              <form aria-label={t("Return items")} onSubmit={doReturn}>
                <table aria-label={t("Lines to return")}>
                  <thead>
                    <tr>
                      <th>{t("Line")}</th>
                      <th className="num">{t("Sold")}</th>
                      <th className="num">{t("Returned")}</th>
                      <th>{t("Return now")}</th>
                      <th>{t("Goes to")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sale.lines.map((l) => {
                      const d = drafts[l.sale_line_id] ?? { quantity: "", disposition: defaultDisposition };
                      const left = subtractQty(l.quantity, l.returned_quantity) ?? l.quantity;
                      const set = (patch: Partial<LineDraft>) => setDrafts((x) => ({ ...x, [l.sale_line_id]: { ...d, ...patch } }));
                      return (
                        <tr key={l.sale_line_id} data-sku={l.sku}>
                          <td>
                            {l.name} <span className="small muted">{l.sku}</span>
                          </td>
                          <td className="num">{f.qty(l.quantity)}</td>
                          <td className="num">{isZeroMoney(l.returned_quantity) ? "" : f.qty(l.returned_quantity)}</td>
                          <td>
                            <input
                              aria-label={t("Return quantity of {{name}}", { name: l.name })}
                              inputMode="decimal"
                              size={5}
                              placeholder={`≤ ${left}`}
                              value={d.quantity}
                              onChange={(e) => set({ quantity: e.target.value })}
                            />
                          </td>
                          <td>
                            <select
                              aria-label={t("Where {{name}} goes", { name: l.name })}
                              value={d.disposition}
                              onChange={(e) => set({ disposition: e.target.value as ReturnDisposition })}
                            >
                              <option value="restock">{t("Back to stock")}</option>
                              <option value="quarantine">{t("Quarantine")}</option>
                              <option value="waste">{t("Waste")}</option>
                            </select>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
                <div className="grid three">
                  <Field label={t("Refund tender")}>
                    {(id) => (
                      <select id={id} value={tender} onChange={(e) => setTender(e.target.value)}>
                        {tenders.map((code) => (
                          <option key={code} value={code}>
                            {tenderLabel(code)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label={t("Return reason")}>{(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
                  <div className="form-actions">
                    <button type="submit" className="primary">
                      {t("Return and refund")}
                    </button>
                  </div>
                </div>
              </form>
            )}
            {sale.status === "completed" && (
              <form className="void-form" aria-label={t("Void the sale")} onSubmit={doVoid}>
                <Field
                  label={t("Void reason")}
                  hint={mayRun("approve_adjustment") ? t("Reverses the whole sale") : t("A manager's PIN will be asked")}
                >
                  {(id) => <input id={id} value={voidReason} onChange={(e) => setVoidReason(e.target.value)} required />}
                </Field>
                <button type="submit" className="danger">
                  {t("Void sale")}
                </button>
              </form>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** This till's latest sales in the open shift, newest first: reprint, return or void without typing the number. */
function ShiftSales({ terminalId, onOpen }: { terminalId: string; onOpen: (saleId: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const sales = useCommandQuery("list_sales", { terminal_id: terminalId, limit: 15 }, { retry: false });
  if (sales.error) return <ErrorMessage error={sales.error} />;
  const list = sales.data ?? [];
  return (
    <table aria-label={t("This shift's sales")}>
      <thead>
        <tr>
          <th>{t("Sale")}</th>
          <th>{t("Time")}</th>
          <th>{t("Cashier")}</th>
          <th className="num">{t("Lines")}</th>
          <th className="num">{t("Total")}</th>
          <th>{t("Status")}</th>
          <th aria-label={t("Actions")} />
        </tr>
      </thead>
      <tbody>
        {list.map((x) => (
          <tr key={x.sale_id} data-sale={x.sale_number}>
            <td>{x.sale_number}</td>
            <td>{f.time(x.created_at)}</td>
            <td>{x.cashier_name}</td>
            <td className="num">{f.qty(String(x.lines))}</td>
            <td className="num">{f.money(x.total)}</td>
            <td>{saleStatusLabel(x.status)}</td>
            <td>
              <button type="button" onClick={() => onOpen(x.sale_id)}>
                {t("Open {{sale}}", { sale: x.sale_number })}
              </button>
            </td>
          </tr>
        ))}
        {sales.isSuccess && list.length === 0 && (
          <tr>
            <td colSpan={7} className="empty">
              {t("No sales in this shift yet.")}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** A sale's status in words. */
function saleStatusLabel(status: string): string {
  if (status === "completed") return i18next.t("completed");
  if (status === "voided") return i18next.t("voided");
  return status;
}

/**
 * The tender a sale was paid with, for its refund: its only tender, or the
 * one that kept most of a split (cash net of the change it gave; the first
 * of equals); null when the store no longer takes it.
 */
export function originalTender(sale: Receipt, tenders: readonly string[]): string | null {
  let best: { tender: string; amount: bigint } | null = null;
  let change = parseMoney(sale.change) ?? 0n;
  for (const p of sale.payments) {
    let amount = parseMoney(p.amount) ?? 0n;
    if (p.tender === "cash" && change > 0n) {
      // Only cash gives change (the engine's rule): it came out of the cash.
      amount -= change;
      change = 0n;
    }
    if (!best || amount > best.amount) best = { tender: p.tender, amount };
  }
  return best && tenders.includes(best.tender) ? best.tender : null;
}
