// The rare manual batch choice: the product's batches in FEFO order with
// what each can sell; unsellable ones (expired, recalled, quarantined,
// damaged, nothing free) are shown but cannot be chosen. The engine checks
// the batch again when the line is added and when the sale completes.
import type { BatchView } from "../../bindings/BatchView";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Kbd } from "../../components/Field";
import { Loading } from "../../components/Screen";
import { bandClass, expiryLabel } from "../../lib/expiry";
import { useCommandQuery } from "../../lib/queries";
import { parseMoney } from "./money";

export function sellable(b: BatchView): boolean {
  return b.status === "available" && b.expiry_band !== "expired" && (parseMoney(b.available) ?? 0n) > 0n;
}

export function BatchPicker({ productId, name, onPick, onClose }: { productId: string; name: string; onPick: (b: BatchView) => void; onClose: () => void }) {
  const batches = useCommandQuery("get_store_inventory", { product_id: productId });
  const list = batches.data ?? [];
  return (
    <section className="panel batch-picker" aria-label={`Batches of ${name}`} onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <h2>Choose a batch of {name}</h2>
      <p className="muted small">Earliest expiry first. Without a choice the sale takes FEFO stock.</p>
      {batches.isLoading && <Loading what="batches" />}
      <ErrorMessage error={batches.error} />
      <table aria-label="Batches to choose from">
        <thead>
          <tr>
            <th>Batch</th>
            <th>Expiry</th>
            <th className="num">Available</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {list.map((b, i) => {
            const ok = sellable(b);
            return (
              <tr key={b.batch_id} className={bandClass(b.expiry_band)} data-batch={b.batch_number}>
                <td>{b.batch_number}</td>
                <td>
                  {b.expiry_date ?? "—"} <span className="small">{expiryLabel(b.expiry_band, b.days_to_expiry)}</span>
                </td>
                <td className="num">
                  {b.available} {b.unit}
                </td>
                <td>
                  {b.status}
                  {b.status_reason ? ` (${b.status_reason})` : ""}
                </td>
                <td>
                  <button type="button" onClick={() => onPick(b)} disabled={!ok} autoFocus={ok && list.findIndex(sellable) === i}>
                    {ok ? `Sell from ${b.batch_number}` : "Cannot be sold"}
                  </button>
                </td>
              </tr>
            );
          })}
          {batches.isSuccess && list.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No stock of this product.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Back <Kbd>Esc</Kbd>
        </button>
      </div>
    </section>
  );
}
