// Receiving a delivery against an order: per ordered line what was accepted,
// damaged or refused, with the batch number, expiry (picked, never typed)
// and unit cost. A scan (barcode or GS1, read by the engine's parse_scan as
// ReceivingScreen reads it) finds the order's line for the product and fills
// its batch, expiry and count; the code goes with the line as its `scan`.
// "Allow over-receipt" shows to managers only; a refused line shows the
// engine's words at its field.
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import type { OrderReceiptLine } from "../../bindings/OrderReceiptLine";
import type { PurchaseOrder } from "../../bindings/PurchaseOrder";
import { DateField } from "../../components/DateField";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation } from "../../lib/queries";
import { LineInput } from "./OrderDialog";
import { lineError } from "./lineError";

interface Entry {
  quantity: string;
  damaged: string;
  rejected: string;
  batch_number: string;
  expiry_date: string;
  cost_price: string;
  /** The code scanned for this line, sent as the line's `scan` (the engine fills what the line leaves out, e.g. the manufacture date). */
  scan: string;
}

const ZERO = /^0*(\.0*)?$/;
const given = (v: string) => v.trim() !== "" && !ZERO.test(v.trim());

export function ReceiveOrderForm({ o, onDone }: { o: PurchaseOrder; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayRun = useMayRun();
  const receive = useCommandMutation("receive_purchase_order");
  const scan = useCommandMutation("parse_scan");
  const open = o.items;
  const [entries, setEntries] = useState<Record<string, Entry>>(() =>
    Object.fromEntries(open.map((i) => [i.id, { quantity: "", damaged: "", rejected: "", batch_number: "", expiry_date: "", cost_price: "", scan: "" }])),
  );
  const [sent, setSent] = useState<string[]>([]);
  const [code, setCode] = useState("");
  const [scanNote, setScanNote] = useState("");
  const [over, setOver] = useState(false);
  const [notes, setNotes] = useState("");

  const set = (id: string, patch: Partial<Entry>) => setEntries((es) => ({ ...es, [id]: { ...es[id]!, ...patch } }));
  const errorAt = (itemId: string, field: string) => {
    const i = sent.indexOf(itemId);
    return i < 0 ? undefined : lineError(receive.error, i, field);
  };

  async function readScan(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const c = code.trim();
    if (!c || scan.isPending) return;
    setScanNote("");
    const s = await scan.mutateAsync({ code: c }).catch(() => null);
    if (!s) return;
    const item = open.find((i) => i.product_id === s.product.id);
    if (!item) {
      setScanNote(t("{{name}} is not on this order.", { name: s.product.name }));
      return;
    }
    setCode("");
    const cur = entries[item.id]!;
    set(item.id, {
      batch_number: s.batch_number ?? cur.batch_number,
      expiry_date: s.expiry_date ?? cur.expiry_date,
      quantity: s.quantity ?? cur.quantity,
      scan: c,
    });
    setScanNote(t("Scanned {{name}}.", { name: s.product.name }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const chosen = open.filter((i) => {
      const en = entries[i.id]!;
      return given(en.quantity) || given(en.damaged) || given(en.rejected);
    });
    const lines: OrderReceiptLine[] = chosen.map((i) => {
      const en = entries[i.id]!;
      return {
        item_id: i.id,
        scan: optional(en.scan),
        quantity: optional(en.quantity),
        damaged: optional(en.damaged),
        rejected: optional(en.rejected),
        batch_number: optional(en.batch_number),
        expiry_date: optional(en.expiry_date),
        cost_price: optional(en.cost_price),
      };
    });
    setSent(chosen.map((i) => i.id));
    const done = await receive
      .mutateAsync({ purchase_order_id: o.id, lines, notes: optional(notes), allow_over_receipt: over || undefined })
      .catch(() => null);
    if (done) {
      onDone(
        done.status === "received"
          ? t("Order {{label}} received.", { label: o.label })
          : t("Order {{label}} partly received.", { label: o.label }),
      );
    }
  }

  const lineErrorShown = sent.some((id) => ["quantity", "damaged", "rejected", "batch_number", "expiry_date", "cost_price"].some((f) => errorAt(id, f)));
  return (
    <form aria-label={t("Receive the order")} onSubmit={submit}>
      <h3>{t("Receive")}</h3>
      <Field label={t("Scan a barcode or GS1 code")} hint={t("Scan, or type the code and press Enter")} error={fieldError(scan.error, "code", t)}>
        {(id) => <input id={id} value={code} onChange={(e) => setCode(e.target.value)} onKeyDown={readScan} autoComplete="off" />}
      </Field>
      {scan.error && !fieldError(scan.error, "code", t) && <ErrorMessage error={scan.error} />}
      {scanNote && <p role="status">{scanNote}</p>}
      <table aria-label={t("What arrived")}>
        <thead>
          <tr>
            <th>{t("Product")}</th>
            <th className="num">{t("Pending")}</th>
            <th>{t("Accepted")}</th>
            <th>{t("Damaged")}</th>
            <th>{t("Rejected")}</th>
            <th>{t("Batch")}</th>
            <th>{t("Expiry")}</th>
            <th>{t("Unit cost")}</th>
          </tr>
        </thead>
        <tbody>
          {open.map((i) => {
            const en = entries[i.id]!;
            const name = i.product_name;
            return (
              <tr key={i.id}>
                <td>{name}</td>
                <td className="num">{fmt.qty(i.pending, i.unit)}</td>
                <td>
                  <LineInput label={t("Accepted of {{name}}", { name })} value={en.quantity} error={errorAt(i.id, "quantity")} onChange={(v) => set(i.id, { quantity: v })} />
                </td>
                <td>
                  <LineInput label={t("Damaged of {{name}}", { name })} value={en.damaged} error={errorAt(i.id, "damaged")} onChange={(v) => set(i.id, { damaged: v })} />
                </td>
                <td>
                  <LineInput label={t("Rejected of {{name}}", { name })} value={en.rejected} error={errorAt(i.id, "rejected")} onChange={(v) => set(i.id, { rejected: v })} />
                </td>
                <td>
                  <LineInput label={t("Batch of {{name}}", { name })} value={en.batch_number} error={errorAt(i.id, "batch_number")} onChange={(v) => set(i.id, { batch_number: v })} />
                </td>
                <td>
                  <DateField label={t("Expiry of {{name}}", { name })} value={en.expiry_date} onChange={(v) => set(i.id, { expiry_date: v })} error={errorAt(i.id, "expiry_date")} />
                </td>
                <td>
                  <LineInput label={t("Unit cost of {{name}}", { name })} value={en.cost_price} error={errorAt(i.id, "cost_price")} onChange={(v) => set(i.id, { cost_price: v })} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Field label={t("Receipt notes")}>{(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
      {mayRun("approve_purchase_order") && (
        <label>
          <input type="checkbox" checked={over} onChange={(e) => setOver(e.target.checked)} /> {t("Allow over-receipt")}
        </label>
      )}
      {!lineErrorShown && <ErrorMessage error={receive.error} />}
      <button type="submit" disabled={receive.isPending}>
        {t("Receive")}
      </button>
    </form>
  );
}
