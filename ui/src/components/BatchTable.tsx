// Batches in the order given (the engine returns FEFO: earliest expiry
// first), each row coloured by its expiry band with the band in words too.
import type { ReactNode } from "react";

import type { BatchView } from "../bindings/BatchView";
import { BAND_LEGEND, bandClass, expiryLabel } from "../lib/expiry";
import { EmptyRow } from "./DataTable";

export function ExpiryLegend() {
  return (
    <div className="legend" aria-label="Expiry colours">
      {BAND_LEGEND.map((b) => (
        <span key={b.band} className={`badge ${bandClass(b.band)}`}>
          {b.label}
        </span>
      ))}
    </div>
  );
}

export function BatchTable({
  batches,
  label,
  showProduct = true,
  actions,
  selectedId,
  empty = "No batches.",
}: {
  batches: readonly BatchView[];
  label: string;
  showProduct?: boolean;
  actions?: (b: BatchView) => ReactNode;
  selectedId?: string | null;
  empty?: string;
}) {
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            <th className="num">#</th>
            {showProduct && <th>Product</th>}
            <th>Batch</th>
            <th>Expiry</th>
            <th>Expiry status</th>
            <th className="num">On hand</th>
            <th className="num">Reserved</th>
            <th className="num">Available</th>
            <th>Status</th>
            <th>Supplier</th>
            <th>Location</th>
            {actions && <th aria-label="Actions" />}
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
              <td className="num">{i + 1}</td>
              {showProduct && (
                <td>
                  {b.product_name} <span className="muted small">{b.sku}</span>
                </td>
              )}
              <td>{b.batch_number}</td>
              <td>{b.expiry_date ?? "—"}</td>
              <td>
                <span className={`badge ${bandClass(b.expiry_band)}`}>{expiryLabel(b.expiry_band, b.days_to_expiry)}</span>
              </td>
              <td className="num">
                {b.quantity} {b.unit}
              </td>
              <td className="num">{b.reserved}</td>
              <td className="num">{b.available}</td>
              <td>
                {b.status}
                {b.status_reason ? ` (${b.status_reason})` : ""}
              </td>
              <td>{b.supplier_name}</td>
              <td>{b.location}</td>
              {actions && <td>{actions(b)}</td>}
            </tr>
          ))}
          {batches.length === 0 && <EmptyRow span={12}>{empty}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
