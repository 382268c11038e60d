// A printable receipt, exactly as the engine stored it (a reprint is
// identical). window.print() prints only the receipt (see @media print).
import type { Receipt } from "../../bindings/Receipt";
import type { ShiftReport } from "../../bindings/ShiftReport";
import { formatInstant } from "../../lib/format";
import { isZeroMoney, showMoney } from "./money";

export function ReceiptView({ receipt, showBatch = true, showExpiry = true }: { receipt: Receipt; showBatch?: boolean; showExpiry?: boolean }) {
  const s = receipt.store;
  return (
    <article className="receipt printable" aria-label={`Receipt ${receipt.sale_number}`} data-testid="receipt">
      <header>
        <strong className="receipt-store">{s.name}</strong>
        {s.address && <div>{s.address}</div>}
        {s.phone && <div>{s.phone}</div>}
        {s.header && <div className="pre">{s.header}</div>}
      </header>
      <div className="receipt-meta">
        <div>
          Sale <strong data-testid="sale-number">{receipt.sale_number}</strong>
        </div>
        <div>{receipt.local_time}</div>
        <div>
          Till {receipt.terminal_id} · {receipt.cashier_name}
        </div>
        {receipt.status === "voided" && (
          <div className="receipt-void" role="status">
            VOIDED {receipt.void_reason ? `— ${receipt.void_reason}` : ""}
          </div>
        )}
      </div>
      <table className="receipt-lines" aria-label="Receipt lines">
        <tbody>
          {receipt.lines.map((l) => (
            <tr key={l.sale_line_id}>
              <td>
                {l.name}
                <div className="small">
                  {l.quantity} {l.unit} × {showMoney(l.unit_price)}
                  {!isZeroMoney(l.discount) ? ` − ${showMoney(l.discount)}` : ""}
                </div>
                {l.batches.map((b, i) => (
                  <div className="small muted" key={i}>
                    {showBatch && b.batch_number ? `Batch ${b.batch_number}` : ""}
                    {showExpiry && b.expiry_date ? ` exp ${b.expiry_date}` : ""}
                    {l.batches.length > 1 ? ` (${b.quantity})` : ""}
                  </div>
                ))}
                {l.prescription_reference && <div className="small">Rx {l.prescription_reference}</div>}
                {!isZeroMoney(l.returned_quantity) && <div className="small">Returned {l.returned_quantity}</div>}
              </td>
              <td className="num">{showMoney(l.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        <dt>Subtotal</dt>
        <dd>{showMoney(receipt.subtotal)}</dd>
        {!isZeroMoney(receipt.discount) && (
          <>
            <dt>Discount</dt>
            <dd>−{showMoney(receipt.discount)}</dd>
          </>
        )}
        {receipt.taxes.map((t) => (
          <TaxRow key={t.rate} rate={t.rate} tax={t.tax} inclusive={receipt.prices_include_tax} />
        ))}
        {!isZeroMoney(receipt.rounding) && (
          <>
            <dt>Rounding</dt>
            <dd>{showMoney(receipt.rounding)}</dd>
          </>
        )}
        <dt className="grand">Total {s.currency}</dt>
        <dd className="grand" data-testid="receipt-total">
          {showMoney(receipt.total)}
        </dd>
        {receipt.payments.map((p, i) => (
          <PaymentRow key={i} tender={p.tender} amount={p.amount} reference={p.reference} />
        ))}
        <dt>Change</dt>
        <dd data-testid="receipt-change">{showMoney(receipt.change)}</dd>
      </dl>
      {s.footer && <footer className="pre">{s.footer}</footer>}
    </article>
  );
}

function TaxRow({ rate, tax, inclusive }: { rate: string; tax: string; inclusive: boolean }) {
  return (
    <>
      <dt>
        Tax {rate}% {inclusive ? "(included)" : ""}
      </dt>
      <dd>{showMoney(tax)}</dd>
    </>
  );
}

function PaymentRow({ tender, amount, reference }: { tender: string; amount: string; reference: string | null }) {
  return (
    <>
      <dt>
        Paid {tenderLabel(tender)}
        {reference ? ` (${reference})` : ""}
      </dt>
      <dd>{showMoney(amount)}</dd>
    </>
  );
}

/** "mobile_money" → "Mobile money". */
export function tenderLabel(t: string): string {
  const s = t.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** An X or Z report, printable. */
export function ShiftReportView({ report }: { report: ShiftReport }) {
  const z = report.status === "closed";
  const row = (label: string, value: string | number | null, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{typeof value === "string" ? showMoney(value) : (value ?? "—")}</dd>
    </>
  );
  return (
    <article className="receipt printable shift-report" aria-label={z ? "Z report" : "X report"} data-testid={z ? "z-report" : "x-report"}>
      <header>
        <strong className="receipt-store">{z ? "Z report (shift closed)" : "X report (shift open)"}</strong>
        <div>
          Till {report.terminal_id} · opened by {report.opened_by_name}
        </div>
        <div>
          {formatInstant(report.opened_at)}
          {report.closed_at ? ` → ${formatInstant(report.closed_at)}` : ""}
        </div>
      </header>
      <dl className="receipt-totals">
        {row("Opening float", report.opening_float)}
        {row(`Sales (${report.sales_count})`, report.sales_total, "report-sales")}
        {row(`Returns (${report.returns_count})`, report.returns_total, "report-returns")}
        {row(`Voids (${report.voids_count})`, report.voids_total)}
        {row("Discounts", report.discounts_total)}
        {row("Tax", report.tax_total)}
        {row("Rounding", report.rounding_total)}
        {report.tenders.map((t) => (
          <TenderRow key={t.tender} tender={t.tender} net={t.net} sales={t.sales} refunds={t.refunds} />
        ))}
        {row("Cash sales (net of change)", report.cash_sales)}
        {row("Cash refunds", report.cash_refunds)}
        {row("Expected cash", report.expected_cash, "report-expected")}
        {z && row("Counted cash", report.counted_cash, "report-counted")}
        {z && row("Over / short", report.over_short, "report-over-short")}
      </dl>
      {report.notes && <p className="pre">{report.notes}</p>}
      {report.record_head && (
        // The chain head at the close: paper that anchors the store's record
        // (`pharmapos verify --printed-head SEQ:HASH` checks it later).
        <footer className="receipt-anchor" data-testid="report-record-head">
          Record #{report.record_head.seq} · {report.record_head.short_hash}
        </footer>
      )}
    </article>
  );
}

function TenderRow({ tender, net, sales, refunds }: { tender: string; net: string; sales: string; refunds: string }) {
  return (
    <>
      <dt>
        {tenderLabel(tender)} (in {showMoney(sales)}, out {showMoney(refunds)})
      </dt>
      <dd data-testid={`tender-${tender}`}>{showMoney(net)}</dd>
    </>
  );
}
