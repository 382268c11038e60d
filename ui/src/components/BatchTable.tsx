// Batches in the order given (the engine returns FEFO: earliest expiry
// first), each row coloured by its expiry band with the band in words too.
// Quantities, dates and values in the store's locale.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { BatchView } from "../bindings/BatchView";
import { mulDecimal } from "../lib/decimal";
import { BAND_LEGEND, bandClass, expiryLabel } from "../lib/expiry";
import { useFormat } from "../lib/locale";
import { EmptyRow } from "./DataTable";

/** A batch status in words ("quarantine" → "in quarantine"). */
export function batchStatusWords(status: string, t: (key: string) => string): string {
  switch (status) {
    case "available":
      return t("available");
    case "quarantine":
      return t("in quarantine");
    case "expired":
      return t("expired");
    case "recalled":
      return t("recalled");
    case "depleted":
      return t("used up");
    case "damaged":
      return t("damaged");
    default:
      return status.replace(/_/g, " ");
  }
}

/** What a batch's stock on hand is worth at its cost price (exact), or null. */
export function batchValue(b: Pick<BatchView, "quantity" | "cost_price">): string | null {
  return mulDecimal(b.quantity, b.cost_price);
}

export function ExpiryLegend() {
  const { t } = useTranslation();
  return (
    <div className="legend" aria-label={t("Expiry colours")}>
      {BAND_LEGEND.map((b) => (
        <span key={b.band} className={`badge ${bandClass(b.band)}`}>
          {t(b.label)}
        </span>
      ))}
    </div>
  );
}

export function BatchTable({
  batches,
  label,
  showProduct = true,
  showValue = false,
  actions,
  selectedId,
  empty,
}: {
  batches: readonly BatchView[];
  label: string;
  showProduct?: boolean;
  /** Adds the stock's value at cost. */
  showValue?: boolean;
  actions?: (b: BatchView) => ReactNode;
  selectedId?: string | null;
  empty?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const span = 10 + (showProduct ? 1 : 0) + (showValue ? 1 : 0) + (actions ? 1 : 0);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table aria-label={label}>
        <thead>
          <tr>
            <th className="num">#</th>
            {showProduct && <th>{t("Product")}</th>}
            <th>{t("Batch")}</th>
            <th>{t("Expiry")}</th>
            <th>{t("Expiry status")}</th>
            <th className="num">{t("On hand")}</th>
            <th className="num">{t("Reserved")}</th>
            <th className="num">{t("Available")}</th>
            {showValue && <th className="num">{t("Value at cost")}</th>}
            <th>{t("Status")}</th>
            <th>{t("Supplier")}</th>
            <th>{t("Location")}</th>
            {actions && <th aria-label={t("Actions")} />}
          </tr>
        </thead>
        <tbody>
          {batches.map((b, i) => (
            <tr
              key={b.batch_id}
              className={[bandClass(b.expiry_band), b.batch_id === selectedId ? "selected" : ""].filter(Boolean).join(" ")}
              data-batch={b.batch_number}
              data-band={b.expiry_band}
            >
              <td className="num">{fmt.qty(String(i + 1))}</td>
              {showProduct && (
                <td>
                  {b.product_name} <span className="muted small">{b.sku}</span>
                </td>
              )}
              <td>{b.batch_number}</td>
              <td>{b.expiry_date ? fmt.date(b.expiry_date) : "—"}</td>
              <td>
                <span className={`badge ${bandClass(b.expiry_band)}`}>{expiryLabel(b.expiry_band, b.days_to_expiry)}</span>
              </td>
              <td className="num">{fmt.qty(b.quantity, b.unit)}</td>
              <td className="num">{fmt.qty(b.reserved)}</td>
              <td className="num">{fmt.qty(b.available)}</td>
              {showValue && <td className="num">{fmt.money(batchValue(b))}</td>}
              <td>
                {batchStatusWords(b.status, t)}
                {b.status_reason ? ` (${b.status_reason})` : ""}
              </td>
              <td>{b.supplier_name}</td>
              <td>{b.location}</td>
              {actions && <td>{actions(b)}</td>}
            </tr>
          ))}
          {batches.length === 0 && <EmptyRow span={span}>{empty ?? t("No batches.")}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
