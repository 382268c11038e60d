// Receiving is a delivery: the supplier and the invoice number once, then
// lines, then "Post delivery", which books every line in one engine call
// (receive_delivery: all lines or none).
//
// A line starts with a scan: a barcode or a GS1 DataMatrix read by the
// engine (parse_scan) selects the product and fills batch, expiry,
// manufacture date and serial; the product can also be picked by name for
// packs without a code. Quantity and unit cost are typed. Lines stay
// editable and removable until posted; the running total is Σ quantity ×
// unit cost, computed exactly on the decimal strings (lib/decimal), never
// in floats. Dates are picked (DateField), never typed as free text.
//
// The engine names a refused line's field as `lines.<i>.<field>`: that line
// opens in the editor with the words at its field, and its row says so.
// Below, the recent receipts, which a manager can reverse.
import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api";
import type { DeliveryReceived } from "../../bindings/DeliveryReceived";
import type { ParsedScan } from "../../bindings/ParsedScan";
import { DateField } from "../../components/DateField";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError, plainSentence, reasonOf } from "../../components/errorText";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Notice, Screen } from "../../components/Screen";
import { mulDecimal, sumDecimals } from "../../lib/decimal";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { RecentReceipts } from "./RecentReceipts";

/** The product a line receives, as the screen shows it. */
export interface LineProduct {
  id: string;
  name: string;
  sku: string;
  unit: string;
}

/** One line of the delivery, as typed (strings, as the engine takes them). */
export interface DeliveryDraftLine {
  product: LineProduct | null;
  batch_number: string;
  quantity: string;
  expiry_date: string;
  manufacture_date: string;
  serial_number: string;
  cost_price: string;
}

type LineField = Exclude<keyof DeliveryDraftLine, "product"> | "product_id";

const EMPTY_LINE: DeliveryDraftLine = {
  product: null,
  batch_number: "",
  quantity: "",
  expiry_date: "",
  manufacture_date: "",
  serial_number: "",
  cost_price: "",
};

const POSITIVE = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** A line's total (quantity × unit cost), exactly; null until both are numbers. */
export function lineTotal(l: Pick<DeliveryDraftLine, "quantity" | "cost_price">): string | null {
  return mulDecimal(l.quantity.trim(), l.cost_price.trim());
}

/** The delivery's running total, exactly. */
export function deliveryTotal(lines: readonly DeliveryDraftLine[]): string {
  return sumDecimals(lines.map(lineTotal));
}

/** `lines.2.expiry_date` → line 2's field; null for anything else. */
export function lineFieldOf(field: string | undefined): { index: number; field: string } | null {
  const m = /^lines\.(\d+)\.(\w+)$/.exec(field ?? "");
  return m ? { index: Number(m[1]), field: m[2]! } : null;
}

export function ReceivingScreen() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const fmt = useFormat();
  const suppliers = useCommandQuery("list_suppliers", {});
  const post = useCommandMutation("receive_delivery");
  const scan = useCommandMutation("parse_scan");

  const [supplierId, setSupplierId] = useState("");
  const [reference, setReference] = useState("");
  const [location, setLocation] = useState("");
  const [lines, setLines] = useState<DeliveryDraftLine[]>([]);
  const [draft, setDraft] = useState<DeliveryDraftLine>(EMPTY_LINE);
  const [editing, setEditing] = useState<number | null>(null);
  const [code, setCode] = useState("");
  const [scanned, setScanned] = useState<ParsedScan | null>(null);
  const [draftErrors, setDraftErrors] = useState<Partial<Record<LineField, string>>>({});
  const [refused, setRefused] = useState<{ index: number; field: string; text: string } | null>(null);
  const [posted, setPosted] = useState<DeliveryReceived | null>(null);
  const quantityRef = useRef<HTMLInputElement>(null);
  const scanRef = useRef<HTMLInputElement>(null);

  const labels: Record<LineField | "supplier_id" | "reference_number" | "location" | "lines", string> = {
    supplier_id: t("Supplier"),
    reference_number: t("Invoice number"),
    location: t("Shelf / location"),
    lines: t("Lines"),
    product_id: t("Product"),
    batch_number: t("Batch number"),
    quantity: t("Quantity"),
    expiry_date: t("Expiry date"),
    manufacture_date: t("Manufacture date"),
    cost_price: t("Unit cost"),
    serial_number: t("Serial number"),
  };

  // A post error about the delivery itself (not one of its lines).
  const postError = post.error;
  const postField = postError ? toApiError(postError).field : undefined;
  const headerError = postError && !lineFieldOf(postField) ? postError : null;
  const headerFieldError = (k: "supplier_id" | "reference_number" | "location") => fieldError(headerError, k, t);

  const errorAt = (k: LineField): string | undefined =>
    draftErrors[k] ?? (refused && refused.index === editing && refused.field === k ? refused.text : undefined);

  const set = (k: Exclude<LineField, "product_id">) => (v: string) => setDraft((d) => ({ ...d, [k]: v }));

  function chooseProduct(p: LineProduct | null, cost?: string | null) {
    setDraft((d) => ({
      ...d,
      product: p,
      cost_price: d.cost_price || (cost && cost !== "0.00" && cost !== "0" ? cost : ""),
    }));
  }

  async function readScan(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== "Enter") return;
    e.preventDefault();
    const c = code.trim();
    if (!c || scan.isPending) return;
    setScanned(null);
    const s = await scan.mutateAsync({ code: c }).catch(() => null);
    if (!s) return;
    setScanned(s);
    setCode("");
    setDraftErrors({});
    setDraft((d) => ({
      ...d,
      product: { id: s.product.id, name: s.product.name, sku: s.product.sku, unit: s.product.unit },
      batch_number: s.batch_number ?? d.batch_number,
      expiry_date: s.expiry_date ?? d.expiry_date,
      manufacture_date: s.manufacture_date ?? d.manufacture_date,
      serial_number: s.serial_number ?? d.serial_number,
      quantity: s.quantity ?? d.quantity,
      cost_price: d.cost_price || s.product.cost_price || "",
    }));
    quantityRef.current?.focus();
  }

  function checkDraft(d: DeliveryDraftLine): Partial<Record<LineField, string>> {
    const errors: Partial<Record<LineField, string>> = {};
    if (!d.product) errors.product_id = t("Scan the pack or choose the product.");
    if (!d.batch_number.trim()) errors.batch_number = t("Enter the batch number printed on the pack.");
    const q = d.quantity.trim();
    if (!POSITIVE.test(q) || Number(q) === 0) errors.quantity = t("Enter a quantity above 0.");
    if (!POSITIVE.test(d.cost_price.trim())) errors.cost_price = t("Enter the unit cost from the invoice.");
    return errors;
  }

  function saveLine(e: FormEvent) {
    e.preventDefault();
    const errors = checkDraft(draft);
    setDraftErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const line = { ...draft, batch_number: draft.batch_number.trim(), quantity: draft.quantity.trim(), cost_price: draft.cost_price.trim() };
    if (editing !== null) {
      setLines((ls) => ls.map((l, i) => (i === editing ? line : l)));
      if (refused?.index === editing) setRefused(null);
    } else {
      setLines((ls) => [...ls, line]);
    }
    setEditing(null);
    setDraft(EMPTY_LINE);
    setScanned(null);
    setPosted(null);
    scanRef.current?.focus();
  }

  function edit(i: number) {
    const l = lines[i];
    if (!l) return;
    setEditing(i);
    setDraft(l);
    setDraftErrors({});
    setScanned(null);
  }

  function remove(i: number) {
    setLines((ls) => ls.filter((_, j) => j !== i));
    if (editing === i) {
      setEditing(null);
      setDraft(EMPTY_LINE);
    } else if (editing !== null && editing > i) {
      setEditing(editing - 1);
    }
    setRefused((r) => (r === null || r.index === i ? null : r.index > i ? { ...r, index: r.index - 1 } : r));
  }

  function cancelEdit() {
    setEditing(null);
    setDraft(EMPTY_LINE);
    setDraftErrors({});
  }

  async function postDelivery(e: FormEvent) {
    e.preventDefault();
    if (post.isPending || lines.length === 0) return;
    setPosted(null);
    setRefused(null);
    const result = await post
      .mutateAsync({
        supplier_id: supplierId,
        reference_number: reference.trim(),
        location: optional(location),
        lines: lines.map((l) => ({
          product_id: l.product?.id ?? "",
          batch_number: l.batch_number,
          quantity: l.quantity,
          expiry_date: optional(l.expiry_date),
          manufacture_date: optional(l.manufacture_date),
          serial_number: optional(l.serial_number),
          cost_price: l.cost_price,
        })),
      })
      .catch((err: unknown) => {
        const apiError = toApiError(err);
        const at = lineFieldOf(apiError.field);
        if (at && lines[at.index]) {
          // The engine's "line 2: …" is for the CLI; here the row says which line.
          const reason = reasonOf(apiError)?.replace(/^line \d+:\s*/i, "");
          const text = reason ? reason.charAt(0).toUpperCase() + reason.slice(1) : plainSentence(apiError, t);
          setRefused({ index: at.index, field: at.field, text });
          setEditing(at.index);
          setDraft(lines[at.index]!);
          setDraftErrors({});
        }
        return null;
      });
    if (result) {
      setPosted(result);
      setLines([]);
      setDraft(EMPTY_LINE);
      setEditing(null);
      setReference("");
    }
  }

  const total = deliveryTotal(lines);
  const lineDate = (k: "expiry_date" | "manufacture_date") => (
    <DateField label={labels[k]} name={k} value={draft[k]} onChange={set(k)} error={errorAt(k)} />
  );
  const lineText = (k: "batch_number" | "serial_number" | "cost_price" | "quantity", extra?: { hint?: string; decimal?: boolean }) => (
    <Field label={labels[k]} hint={extra?.hint} error={errorAt(k)}>
      {(id) => (
        <input
          id={id}
          name={k}
          ref={k === "quantity" ? quantityRef : undefined}
          value={draft[k]}
          onChange={(e) => set(k)(e.target.value)}
          inputMode={extra?.decimal ? "decimal" : undefined}
        />
      )}
    </Field>
  );
  const scanNotes = scanned
    ? [
        scanned.pack_expired && t("This pack expired on {{date}}: it cannot be received.", { date: fmt.date(scanned.expiry_date) }),
        scanned.known_batch && scanned.expiry_differs
          ? t("Batch {{batch}} is on record with expiry {{expiry}}, not the pack's: check the pack.", {
              batch: scanned.batch_number,
              expiry: scanned.known_batch.expiry_date ? fmt.date(scanned.known_batch.expiry_date) : t("none"),
            })
          : scanned.known_batch &&
            t("Batch {{batch}} is already in stock ({{onHand}}): this line tops it up.", {
              batch: scanned.batch_number,
              onHand: fmt.qty(scanned.known_batch.on_hand, scanned.product.unit),
            }),
      ].filter((n): n is string => Boolean(n))
    : [];

  return (
    <Screen title={t("Receiving")}>
      <form className="panel" onSubmit={postDelivery} aria-label={t("Delivery")}>
        <fieldset>
          <legend>{t("Delivery")}</legend>
          <div className="grid four">
            <Field label={labels.supplier_id} error={headerFieldError("supplier_id")}>
              {(id) => (
                <select id={id} name="supplier_id" value={supplierId} onChange={(e) => setSupplierId(e.target.value)} required autoFocus>
                  <option value="">{t("Choose a supplier…")}</option>
                  {(suppliers.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.is_preferred ? t("{{name}} ★ preferred", { name: s.name }) : s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={labels.reference_number} error={headerFieldError("reference_number")}>
              {(id) => <input id={id} name="reference_number" value={reference} onChange={(e) => setReference(e.target.value)} required />}
            </Field>
            <Field label={labels.location} error={headerFieldError("location")}>
              {(id) => <input id={id} name="location" value={location} onChange={(e) => setLocation(e.target.value)} />}
            </Field>
          </div>
        </fieldset>
        <table aria-label={t("Delivery lines")}>
          <thead>
            <tr>
              <th scope="col">{t("Product")}</th>
              <th scope="col">{t("Batch")}</th>
              <th scope="col">{t("Expiry")}</th>
              <th scope="col" className="num">
                {t("Quantity")}
              </th>
              <th scope="col" className="num">
                {t("Unit cost")}
              </th>
              <th scope="col" className="num">
                {t("Line total")}
              </th>
              <th scope="col">
                <span className="sr-only">{t("Actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.length === 0 && (
              <tr>
                <td colSpan={7}>{t("No lines yet: scan the first pack below.")}</td>
              </tr>
            )}
            {lines.map((l, i) => {
              const n = i + 1;
              const bad = refused?.index === i;
              return (
                <tr key={i} data-batch={l.batch_number} className={[editing === i ? "selected" : "", bad ? "invalid" : ""].filter(Boolean).join(" ")} aria-invalid={bad || undefined}>
                  <td>
                    {l.product?.name}
                    {bad && (
                      <small className="field-error" data-testid="line-error">
                        {t("Line {{n}}: check “{{field}}”: {{reason}}", { n, field: labels[refused.field as LineField] ?? refused.field, reason: refused.text })}
                      </small>
                    )}
                  </td>
                  <td>{l.batch_number}</td>
                  <td>{fmt.date(l.expiry_date || null)}</td>
                  <td className="num">{fmt.qty(l.quantity, l.product?.unit)}</td>
                  <td className="num">{fmt.money(l.cost_price)}</td>
                  <td className="num">{fmt.money(lineTotal(l))}</td>
                  <td>
                    <button type="button" className="link" onClick={() => edit(i)} aria-label={t("Edit line {{n}} (batch {{batch}})", { n, batch: l.batch_number })}>
                      {t("Edit")}
                    </button>{" "}
                    <button type="button" className="link" onClick={() => remove(i)} aria-label={t("Remove line {{n}} (batch {{batch}})", { n, batch: l.batch_number })}>
                      {t("Remove")}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={5}>
                {t("Delivery total ({{count}} lines)", { count: lines.length })}
              </th>
              <td className="num" data-testid="delivery-total">
                {fmt.money(total)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
        {headerError && <ErrorMessage error={headerError} fields={{ supplier_id: labels.supplier_id, reference_number: labels.reference_number, location: labels.location, lines: labels.lines }} />}
        {refused && postError && <ErrorMessage error={postError} shownAt={t("line {{n}}, {{field}}", { n: refused.index + 1, field: labels[refused.field as LineField] ?? refused.field })} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={post.isPending || lines.length === 0 || editing !== null || !supplierId || !reference.trim()}>
            {post.isPending ? t("Posting…") : t("Post delivery")}
          </button>
        </div>
        {posted && (
          <Notice>
            {t("Posted delivery {{reference}}: {{count}} lines, {{total}}.", {
              reference: posted.reference_number,
              count: posted.lines.length,
              total: fmt.money(posted.total),
            })}
          </Notice>
        )}
      </form>

      <form className="panel" onSubmit={saveLine} aria-label={editing === null ? t("Add a line") : t("Edit line {{n}}", { n: editing + 1 })}>
        <fieldset>
          <legend>{editing === null ? t("Add a line") : t("Edit line {{n}}", { n: editing + 1 })}</legend>
          <div className="grid four">
            <Field label={t("Scan a barcode or GS1 code")} hint={t("Scan, or type the code and press Enter")} error={fieldError(scan.error, "code", t)}>
              {(id) => (
                <input id={id} ref={scanRef} name="code" value={code} onChange={(e) => setCode(e.target.value)} onKeyDown={readScan} autoComplete="off" />
              )}
            </Field>
            {draft.product ? (
              <Field label={labels.product_id} error={errorAt("product_id")}>
                {(id) => (
                  <div className="chosen">
                    <output id={id} data-testid="line-product">
                      {t("{{name}} — {{sku}}", { name: draft.product!.name, sku: draft.product!.sku })}
                    </output>{" "}
                    <button type="button" className="link" onClick={() => chooseProduct(null)}>
                      {t("Choose another product")}
                    </button>
                  </div>
                )}
              </Field>
            ) : (
              <ProductPicker
                value=""
                onChange={(_id, hit) => {
                  if (hit) chooseProduct({ id: hit.product.id, name: hit.product.name, sku: hit.product.sku, unit: hit.product.unit }, hit.product.cost_price);
                }}
                error={errorAt("product_id")}
              />
            )}
            {lineText("batch_number")}
            {lineDate("expiry_date")}
            {lineText("quantity", { decimal: true })}
            {lineText("cost_price", { decimal: true })}
            {lineDate("manufacture_date")}
            {lineText("serial_number")}
          </div>
        </fieldset>
        {scan.error && !fieldError(scan.error, "code", t) && <ErrorMessage error={scan.error} />}
        {scanNotes.map((n) => (
          <p key={n} className="hint" role="status">
            {n}
          </p>
        ))}
        <div className="form-actions">
          {draft.quantity && draft.cost_price && lineTotal(draft) && <span>{t("Line total: {{total}}", { total: fmt.money(lineTotal(draft)) })}</span>}
          <button type="submit">
            {editing === null ? t("Add line") : t("Update line")}
          </button>
          {editing !== null && (
            <button type="button" onClick={cancelEdit}>
              {t("Cancel")}
            </button>
          )}
        </div>
      </form>
      <RecentReceipts canReverse={mayRun("reverse_receipt")} />
    </Screen>
  );
}
