// A new order, or changes to a draft: the vendor, product lines (quantity,
// unit cost, a discount as a percentage or a fixed amount), the order's own
// discount, tax, shipping, expected date and notes. The totals shown are the
// engine's answer (the order comes back from create/update), never computed
// here.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { LineDiscountKind } from "../../bindings/LineDiscountKind";
import type { NewOrderLine } from "../../bindings/NewOrderLine";
import type { PurchaseOrder } from "../../bindings/PurchaseOrder";
import { DateField } from "../../components/DateField";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { lineError } from "./lineError";

interface DraftLine {
  product_id: string;
  name: string;
  quantity: string;
  unit_cost: string;
  discount_kind: LineDiscountKind | "";
  discount: string;
}

function fromOrder(o: PurchaseOrder): DraftLine[] {
  return o.items.map((i) => ({
    product_id: i.product_id,
    name: i.product_name,
    quantity: i.ordered,
    unit_cost: i.unit_cost,
    discount_kind: i.discount_kind ?? "",
    discount: i.discount_value ?? "",
  }));
}

function toLine(l: DraftLine): NewOrderLine {
  return {
    product_id: l.product_id,
    quantity: l.quantity.trim(),
    unit_cost: optional(l.unit_cost),
    discount_percent: l.discount_kind === "percent" ? optional(l.discount) : undefined,
    discount_amount: l.discount_kind === "fixed" ? optional(l.discount) : undefined,
  };
}

export function OrderDialog({ order, onClose, onDone }: { order?: PurchaseOrder; onClose: () => void; onDone: (o: PurchaseOrder) => void }) {
  const { t } = useTranslation();
  const suppliers = useCommandQuery("list_suppliers", {});
  const create = useCommandMutation("create_purchase_order");
  const update = useCommandMutation("update_purchase_order");
  const error = order ? update.error : create.error;
  const [supplier, setSupplier] = useState(order?.supplier_id ?? "");
  const [lines, setLines] = useState<DraftLine[]>(order ? fromOrder(order) : []);
  const [productId, setProductId] = useState("");
  const [productName, setProductName] = useState("");
  const [productCost, setProductCost] = useState("");
  const [discount, setDiscount] = useState(order?.order_discount ?? "");
  const [tax, setTax] = useState(order?.tax ?? "");
  const [shipping, setShipping] = useState(order?.shipping ?? "");
  const [expected, setExpected] = useState(order?.expected_date ?? "");
  const [internalNotes, setInternalNotes] = useState(order?.internal_notes ?? "");
  const [vendorNotes, setVendorNotes] = useState(order?.vendor_notes ?? "");
  const title = order ? t("Edit order {{label}}", { label: order.label }) : t("New purchase order");

  function addLine() {
    if (!productId || lines.some((l) => l.product_id === productId)) return;
    setLines([...lines, { product_id: productId, name: productName, quantity: "1", unit_cost: productCost, discount_kind: "", discount: "" }]);
    setProductId("");
  }

  function setLine(i: number, patch: Partial<DraftLine>) {
    setLines(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const common = {
      supplier_id: supplier,
      lines: lines.map(toLine),
      expected_date: optional(expected),
      discount: optional(discount),
      tax: optional(tax),
      shipping: optional(shipping),
    };
    const done = order
      ? await update
          .mutateAsync({ ...common, purchase_order_id: order.id, internal_notes: internalNotes, vendor_notes: vendorNotes })
          .catch(() => null)
      : await create
          .mutateAsync({ ...common, internal_notes: optional(internalNotes), vendor_notes: optional(vendorNotes) })
          .catch(() => null);
    if (done) onDone(done);
  }

  return (
    <Dialog title={title} onClose={onClose} size="large">
      <form onSubmit={submit} aria-label={title}>
        <Field label={t("Supplier")} error={fieldError(error, "supplier_id", t)}>
          {(id) => (
            <select id={id} value={supplier} onChange={(e) => setSupplier(e.target.value)} required>
              <option value="">{t("Choose a supplier")}</option>
              {(suppliers.data ?? [])
                .filter((s) => s.is_active || s.id === supplier)
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>{t("Add a line")}</legend>
          <ProductPicker
            value={productId}
            onChange={(id, hit) => {
              setProductId(id);
              setProductName(hit?.product.name ?? "");
              setProductCost(hit?.product.cost_price ?? "");
            }}
          />
          <button type="button" onClick={addLine} disabled={!productId}>
            {t("Add line")}
          </button>
        </fieldset>
        <table aria-label={t("Lines")}>
          <thead>
            <tr>
              <th>{t("Product")}</th>
              <th>{t("Quantity")}</th>
              <th>{t("Unit cost")}</th>
              <th>{t("Discount")}</th>
              <th>{t("Discount value")}</th>
              <th>{t("Actions")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={l.product_id}>
                <td>{l.name}</td>
                <td>
                  <LineInput label={t("Quantity of {{name}}", { name: l.name })} value={l.quantity} error={lineError(error, i, "quantity")} onChange={(v) => setLine(i, { quantity: v })} />
                </td>
                <td>
                  <LineInput label={t("Unit cost of {{name}}", { name: l.name })} value={l.unit_cost} error={lineError(error, i, "unit_cost")} onChange={(v) => setLine(i, { unit_cost: v })} />
                </td>
                <td>
                  <select
                    aria-label={t("Discount kind of {{name}}", { name: l.name })}
                    value={l.discount_kind}
                    onChange={(e) => setLine(i, { discount_kind: e.target.value as LineDiscountKind | "" })}
                  >
                    <option value="">{t("None")}</option>
                    <option value="percent">{t("Percent")}</option>
                    <option value="fixed">{t("Fixed amount")}</option>
                  </select>
                </td>
                <td>
                  <LineInput
                    label={t("Discount of {{name}}", { name: l.name })}
                    value={l.discount}
                    disabled={!l.discount_kind}
                    error={lineError(error, i, "discount_percent") ?? lineError(error, i, "discount_amount")}
                    onChange={(v) => setLine(i, { discount: v })}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => setLines(lines.filter((_, j) => j !== i))} aria-label={t("Remove {{name}}", { name: l.name })}>
                    {t("Remove")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Field label={t("Order discount")} error={fieldError(error, "discount", t)}>
          {(id) => <input id={id} inputMode="decimal" value={discount} onChange={(e) => setDiscount(e.target.value)} />}
        </Field>
        <Field label={t("Tax")} error={fieldError(error, "tax", t)}>
          {(id) => <input id={id} inputMode="decimal" value={tax} onChange={(e) => setTax(e.target.value)} />}
        </Field>
        <Field label={t("Shipping")} error={fieldError(error, "shipping", t)}>
          {(id) => <input id={id} inputMode="decimal" value={shipping} onChange={(e) => setShipping(e.target.value)} />}
        </Field>
        <DateField label={t("Expected delivery")} value={expected} onChange={setExpected} error={fieldError(error, "expected_date", t)} />
        <Field label={t("Notes for the store's staff")}>
          {(id) => <input id={id} value={internalNotes} onChange={(e) => setInternalNotes(e.target.value)} />}
        </Field>
        <Field label={t("Notes for the vendor")}>{(id) => <input id={id} value={vendorNotes} onChange={(e) => setVendorNotes(e.target.value)} />}</Field>
        <ErrorMessage error={error} />
        <button type="submit" disabled={!supplier || lines.length === 0 || create.isPending || update.isPending}>
          {order ? t("Save draft") : t("Draft order")}
        </button>
      </form>
    </Dialog>
  );
}

/** A line's input, its error under it (aria-describedby). */
export function LineInput({
  label,
  value,
  onChange,
  error,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  disabled?: boolean;
}) {
  const id = `${label.replace(/\W+/g, "-")}-error`;
  return (
    <>
      <input
        aria-label={label}
        value={value}
        disabled={disabled}
        inputMode="decimal"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? id : undefined}
      />
      {error && (
        <span id={id} className="field-error">
          {error}
        </span>
      )}
    </>
  );
}
