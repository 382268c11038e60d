// A printable receipt, exactly as the engine stored it (a reprint is
// identical), and the shift's X/Z report. window.print() prints only the
// `.printable` element (see @media print). Money, quantities and instants
// are shown in the store's locale, currency and time zone (useFormat); the
// receipt's own time is the engine's store-local `local_time`.
import { useTranslation } from "react-i18next";

import type { Receipt } from "../../bindings/Receipt";
import type { ShiftReport } from "../../bindings/ShiftReport";
import { useFormat } from "../../lib/locale";
import { isZeroMoney } from "./money";
import { tenderLabel } from "./tenders";

export function ReceiptView({ receipt, showBatch = true, showExpiry = true }: { receipt: Receipt; showBatch?: boolean; showExpiry?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = receipt.store;
  return (
    <article className="receipt printable" aria-label={t("Receipt {{number}}", { number: receipt.sale_number })} data-testid="receipt">
      <header>
        <strong className="receipt-store">{s.name}</strong>
        {s.address && <div>{s.address}</div>}
        {s.phone && <div>{s.phone}</div>}
        {s.header && <div className="pre">{s.header}</div>}
      </header>
      <div className="receipt-meta">
        <div>
          {t("Sale")} <strong data-testid="sale-number">{receipt.sale_number}</strong>
        </div>
        <div>{receipt.local_time}</div>
        <div>{t("Till {{till}} · {{cashier}}", { till: receipt.terminal_id, cashier: receipt.cashier_name })}</div>
        {receipt.status === "voided" && (
          <div className="receipt-void" role="status">
            {receipt.void_reason ? t("VOIDED — {{reason}}", { reason: receipt.void_reason }) : t("VOIDED")}
          </div>
        )}
      </div>
      <table className="receipt-lines" aria-label={t("Receipt lines")}>
        <tbody>
          {receipt.lines.map((l) => (
            <tr key={l.sale_line_id}>
              <td>
                {l.name}
                <div className="small">
                  {t("{{quantity}} × {{price}}", { quantity: f.qty(l.quantity, l.unit), price: f.money(l.unit_price) })}
                  {!isZeroMoney(l.discount) ? ` − ${f.money(l.discount)}` : ""}
                </div>
                {l.batches.map((b, i) => (
                  <div className="small muted" key={i}>
                    {showBatch && b.batch_number ? t("Batch {{batch}}", { batch: b.batch_number }) : ""}
                    {showExpiry && b.expiry_date ? ` ${t("exp {{date}}", { date: f.date(b.expiry_date) })}` : ""}
                    {l.batches.length > 1 ? ` (${f.qty(b.quantity)})` : ""}
                  </div>
                ))}
                {l.prescription_reference && <div className="small">{t("Rx {{reference}}", { reference: l.prescription_reference })}</div>}
                {!isZeroMoney(l.returned_quantity) && <div className="small">{t("Returned {{quantity}}", { quantity: f.qty(l.returned_quantity) })}</div>}
              </td>
              <td className="num">{f.money(l.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        <dt>{t("Subtotal")}</dt>
        <dd>{f.money(receipt.subtotal)}</dd>
        {!isZeroMoney(receipt.discount) && (
          <>
            <dt>{t("Discount")}</dt>
            <dd>−{f.money(receipt.discount)}</dd>
          </>
        )}
        {receipt.taxes.map((x) => (
          <TaxRow key={x.rate} rate={x.rate} tax={x.tax} inclusive={receipt.prices_include_tax} />
        ))}
        {!isZeroMoney(receipt.rounding) && (
          <>
            <dt>{t("Rounding")}</dt>
            <dd>{f.money(receipt.rounding)}</dd>
          </>
        )}
        <dt className="grand">{t("Total")}</dt>
        <dd className="grand" data-testid="receipt-total">
          {f.money(receipt.total)}
        </dd>
        {receipt.payments.map((p, i) => (
          <PaymentRow key={i} tender={p.tender} amount={p.amount} reference={p.reference} />
        ))}
        <dt>{t("Change")}</dt>
        <dd data-testid="receipt-change">{f.money(receipt.change)}</dd>
      </dl>
      {s.footer && <footer className="pre">{s.footer}</footer>}
    </article>
  );
}

function TaxRow({ rate, tax, inclusive }: { rate: string; tax: string; inclusive: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <dt>{inclusive ? t("Tax {{rate}} (included)", { rate: f.percent(rate) }) : t("Tax {{rate}}", { rate: f.percent(rate) })}</dt>
      <dd>{f.money(tax)}</dd>
    </>
  );
}

function PaymentRow({ tender, amount, reference }: { tender: string; amount: string; reference: string | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <dt>
        {reference
          ? t("Paid {{tender}} ({{reference}})", { tender: tenderLabel(tender), reference })
          : t("Paid {{tender}}", { tender: tenderLabel(tender) })}
      </dt>
      <dd>{f.money(amount)}</dd>
    </>
  );
}

/** An X or Z report, printable; its times in the store's time zone. */
export function ShiftReportView({ report }: { report: ShiftReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const z = report.status === "closed";
  const row = (label: string, value: string | null, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value === null ? "—" : f.money(value)}</dd>
    </>
  );
  return (
    <article
      className="receipt printable shift-report"
      aria-label={z ? t("Z report") : t("X report")}
      data-testid={z ? "z-report" : "x-report"}
    >
      <header>
        <strong className="receipt-store">{z ? t("Z report (shift closed)") : t("X report (shift open)")}</strong>
        <div>{t("Till {{till}} · opened by {{name}}", { till: report.terminal_id, name: report.opened_by_name })}</div>
        <div data-testid="report-period">
          {report.closed_at
            ? t("{{from}} → {{to}}", { from: f.instant(report.opened_at), to: f.instant(report.closed_at) })
            : f.instant(report.opened_at)}
        </div>
      </header>
      <dl className="receipt-totals">
        {row(t("Opening float"), report.opening_float)}
        {row(t("Sales ({{count}})", { count: report.sales_count }), report.sales_total, "report-sales")}
        {row(t("Returns ({{count}})", { count: report.returns_count }), report.returns_total, "report-returns")}
        {row(t("Voids ({{count}})", { count: report.voids_count }), report.voids_total)}
        {row(t("Discounts"), report.discounts_total)}
        {row(t("Tax"), report.tax_total)}
        {row(t("Rounding"), report.rounding_total)}
        {report.tenders.map((x) => (
          <TenderRow key={x.tender} tender={x.tender} net={x.net} sales={x.sales} refunds={x.refunds} />
        ))}
        {row(t("Cash sales (net of change)"), report.cash_sales)}
        {row(t("Cash refunds"), report.cash_refunds)}
        {row(t("Expected cash"), report.expected_cash, "report-expected")}
        {z && row(t("Counted cash"), report.counted_cash, "report-counted")}
        {z && row(t("Over / short"), report.over_short, "report-over-short")}
      </dl>
      {report.notes && <p className="pre">{report.notes}</p>}
      {report.record_head && (
        // The chain head at the close: paper that anchors the store's record
        // (`pharmapos verify --printed-head SEQ:HASH` checks it later).
        <footer className="receipt-anchor" data-testid="report-record-head">
          {t("Record #{{seq}} · {{hash}}", { seq: report.record_head.seq, hash: report.record_head.short_hash })}
        </footer>
      )}
    </article>
  );
}

function TenderRow({ tender, net, sales, refunds }: { tender: string; net: string; sales: string; refunds: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <dt>{t("{{tender}} (in {{in}}, out {{out}})", { tender: tenderLabel(tender), in: f.money(sales), out: f.money(refunds) })}</dt>
      <dd data-testid={`tender-${tender}`}>{f.money(net)}</dd>
    </>
  );
}
