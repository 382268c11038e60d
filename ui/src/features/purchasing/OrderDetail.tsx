// One purchase order: header, the engine's totals, lines (ordered,
// received, damaged, rejected, pending), receipts, and the actions its
// status allows (a button shows only when the role may run its command; the
// engine decides): edit and submit a draft, approve or reject (with a
// reason) one waiting for a manager, confirm (expected date), ship (carrier,
// tracking), receive, cancel — "Cancel the rest" once partly received.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { PurchaseOrder } from "../../bindings/PurchaseOrder";
import { DateField } from "../../components/DateField";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { OrderDialog } from "./OrderDialog";
import { PaymentForm, paymentText } from "./PaymentForm";
import { ReceiveOrderForm } from "./ReceiveOrderForm";
import { PoStatusBadge } from "./status";

export function OrderDetail({ id, onClose, onDone }: { id: string; onClose: () => void; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const q = useCommandQuery("get_purchase_order", { purchase_order_id: id });
  const o = q.data;
  const done = (m: string) => {
    onDone(m);
    void q.refetch();
  };
  return (
    <Dialog title={o ? t("Order {{label}}", { label: o.label }) : t("Purchase order")} onClose={onClose} size="large">
      <ErrorMessage error={q.error} />
      {o && (
        <>
          <p>
            {o.supplier_name} · <PoStatusBadge status={o.status} /> · {paymentText(t, o.payment_status)}
            {o.payment_terms && ` (${o.payment_terms})`}
            {o.closed_short && ` · ${t("Closed short")}`}
            {o.expected_date && ` · ${t("Expected")}: ${fmt.date(o.expected_date)}`}
            {o.carrier && ` · ${t("Carrier")}: ${o.carrier}`}
            {o.tracking_number && ` · ${t("Tracking")}: ${o.tracking_number}`}
            {o.reject_reason && ` · ${t("Sent back")}: ${o.reject_reason}`}
            {o.cancel_reason && ` · ${t("Cancelled")}: ${o.cancel_reason}`}
          </p>
          <table aria-label={t("Lines")}>
            <thead>
              <tr>
                <th>{t("Product")}</th>
                <th className="num">{t("Ordered")}</th>
                <th className="num">{t("Unit cost")}</th>
                <th className="num">{t("Line total")}</th>
                <th className="num">{t("Received")}</th>
                <th className="num">{t("Damaged")}</th>
                <th className="num">{t("Rejected")}</th>
                <th className="num">{t("Pending")}</th>
              </tr>
            </thead>
            <tbody>
              {o.items.map((i) => (
                <tr key={i.id} data-line={i.sku}>
                  <td>{i.product_name}</td>
                  <td className="num">{fmt.qty(i.ordered, i.unit)}</td>
                  <td className="num">{fmt.money(i.unit_cost)}</td>
                  <td className="num">{fmt.money(i.line_total)}</td>
                  <td className="num">{fmt.qty(i.received)}</td>
                  <td className="num">{fmt.qty(i.damaged)}</td>
                  <td className="num">{fmt.qty(i.rejected)}</td>
                  <td className="num">{fmt.qty(i.pending)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="totals" aria-label={t("Totals")}>
            <dt>{t("Subtotal")}</dt>
            <dd>{fmt.money(o.subtotal)}</dd>
            <dt>{t("Line discounts")}</dt>
            <dd>{fmt.money(o.line_discounts)}</dd>
            <dt>{t("Order discount")}</dt>
            <dd>{fmt.money(o.order_discount)}</dd>
            <dt>{t("Tax")}</dt>
            <dd>{fmt.money(o.tax)}</dd>
            <dt>{t("Shipping")}</dt>
            <dd>{fmt.money(o.shipping)}</dd>
            <dt>{t("Total")}</dt>
            <dd>{fmt.money(o.total)}</dd>
          </dl>
          {o.receipts.length > 0 && (
            <section aria-label={t("Receipts")}>
              <h3>{t("Receipts")}</h3>
              <ul>
                {o.receipts.map((r) => (
                  <li key={r.id}>
                    {t("Receipt {{number}}", { number: r.number })} · {fmt.date(r.received_date)}
                    {r.received_by_name && ` · ${r.received_by_name}`}
                    {r.notes && ` · ${r.notes}`}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <Actions o={o} onDone={done} />
        </>
      )}
    </Dialog>
  );
}

function Actions({ o, onDone }: { o: PurchaseOrder; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const submit = useCommandMutation("submit_purchase_order");
  const approve = useCommandMutation("approve_purchase_order");
  const reject = useCommandMutation("reject_purchase_order");
  const confirm = useCommandMutation("confirm_purchase_order");
  const ship = useCommandMutation("ship_purchase_order");
  const cancel = useCommandMutation("cancel_purchase_order");
  const [editing, setEditing] = useState(false);
  const [rejectReason, setRejectReason] = useState("");
  const [cancelReason, setCancelReason] = useState("");
  const [expected, setExpected] = useState(o.expected_date ?? "");
  const [vendorRef, setVendorRef] = useState("");
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  const facts = { label: o.label };
  const after = (m: string) => () => onDone(m);
  const s = o.status;
  const cancellable = ["draft", "pending_approval", "submitted", "confirmed", "shipped", "partial_received"].includes(s);
  const cancelLabel = s === "partial_received" ? t("Cancel the rest") : t("Cancel order");
  return (
    <div className="actions">
      <ErrorMessage error={submit.error ?? approve.error ?? confirm.error ?? ship.error} />
      {s === "draft" && mayRun("update_purchase_order") && (
        <button type="button" onClick={() => setEditing(true)}>
          {t("Edit")}
        </button>
      )}
      {s === "draft" && mayRun("submit_purchase_order") && (
        <button
          type="button"
          onClick={() =>
            submit.mutateAsync({ purchase_order_id: o.id }).then(
              (r) => onDone(r.status === "pending_approval" ? t("Order {{label}} waits for a manager's approval.", facts) : t("Order {{label}} submitted.", facts)),
              () => null,
            )
          }
        >
          {t("Submit")}
        </button>
      )}
      {s === "pending_approval" && mayRun("approve_purchase_order") && (
        <>
          <button type="button" onClick={() => approve.mutateAsync({ purchase_order_id: o.id }).then(after(t("Order {{label}} approved.", facts)), () => null)}>
            {t("Approve")}
          </button>
          <form
            aria-label={t("Reject the order")}
            onSubmit={(e) => {
              e.preventDefault();
              reject.mutateAsync({ purchase_order_id: o.id, reason: rejectReason }).then(after(t("Order {{label}} sent back to draft.", facts)), () => null);
            }}
          >
            <Field label={t("Reason to reject")} error={fieldError(reject.error, "reason", t)}>
              {(id) => <input id={id} value={rejectReason} onChange={(e) => setRejectReason(e.target.value)} />}
            </Field>
            {!fieldError(reject.error, "reason", t) && <ErrorMessage error={reject.error} />}
            <button type="submit">{t("Reject")}</button>
          </form>
        </>
      )}
      {s === "submitted" && mayRun("confirm_purchase_order") && (
        <form
          aria-label={t("Confirm the order")}
          onSubmit={(e) => {
            e.preventDefault();
            confirm
              .mutateAsync({ purchase_order_id: o.id, expected_date: optional(expected), vendor_reference: optional(vendorRef) })
              .then(after(t("Order {{label}} confirmed.", facts)), () => null);
          }}
        >
          <DateField label={t("Expected delivery")} value={expected} onChange={setExpected} error={fieldError(confirm.error, "expected_date", t)} />
          <Field label={t("Vendor reference")}>{(id) => <input id={id} value={vendorRef} onChange={(e) => setVendorRef(e.target.value)} />}</Field>
          <button type="submit">{t("Confirm")}</button>
        </form>
      )}
      {(s === "submitted" || s === "confirmed") && mayRun("ship_purchase_order") && (
        <form
          aria-label={t("Record the shipment")}
          onSubmit={(e) => {
            e.preventDefault();
            ship
              .mutateAsync({ purchase_order_id: o.id, carrier: optional(carrier), tracking_number: optional(tracking) })
              .then(after(t("Order {{label}} shipped.", facts)), () => null);
          }}
        >
          <Field label={t("Carrier")}>{(id) => <input id={id} value={carrier} onChange={(e) => setCarrier(e.target.value)} />}</Field>
          <Field label={t("Tracking number")}>{(id) => <input id={id} value={tracking} onChange={(e) => setTracking(e.target.value)} />}</Field>
          <button type="submit">{t("Ship")}</button>
        </form>
      )}
      {["submitted", "confirmed", "shipped", "partial_received"].includes(s) && mayRun("receive_purchase_order") && (
        // A new receipt starts an empty form (no figures left over to post twice).
        <ReceiveOrderForm key={`${o.status}-${o.receipts.length}`} o={o} onDone={onDone} />
      )}
      {cancellable && mayRun("cancel_purchase_order") && (
        <form
          aria-label={cancelLabel}
          onSubmit={(e) => {
            e.preventDefault();
            cancel
              .mutateAsync({ purchase_order_id: o.id, reason: cancelReason })
              .then(
                after(s === "partial_received" ? t("Order {{label}} closed with what came.", facts) : t("Order {{label}} cancelled.", facts)),
                () => null,
              );
          }}
        >
          <Field label={t("Reason to cancel")} error={fieldError(cancel.error, "reason", t)}>
            {(id) => <input id={id} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />}
          </Field>
          {!fieldError(cancel.error, "reason", t) && <ErrorMessage error={cancel.error} />}
          <button type="submit">{cancelLabel}</button>
        </form>
      )}
      {!["draft", "pending_approval"].includes(s) && mayRun("set_purchase_order_payment") && <PaymentForm key={o.payment_status} o={o} onDone={onDone} />}
      {editing && (
        <OrderDialog
          order={o}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            onDone(t("Order {{label}} saved.", facts));
          }}
        />
      )}
    </div>
  );
}
