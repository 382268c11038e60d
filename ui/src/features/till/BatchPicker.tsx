// The rare manual batch choice: the product's batches in FEFO order with
// what each can sell; unsellable ones (expired, recalled, quarantined,
// damaged, nothing free) are shown but cannot be chosen. The engine checks
// the batch again when the line is added or changed and when the sale
// completes. Opened from a cart line ("Batch…"), it marks the line's batch
// and offers to go back to FEFO. A dialog: Esc goes back.
import { useTranslation } from "react-i18next";

import type { BatchStatus } from "../../bindings/BatchStatus";
import type { BatchView } from "../../bindings/BatchView";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Kbd } from "../../components/Field";
import { Loading } from "../../components/Screen";
import { bandClass, expiryLabel } from "../../lib/expiry";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { i18next } from "../../i18n";
import { parseMoney } from "./money";
import { TillDialog } from "./TillDialog";

export function sellable(b: BatchView): boolean {
  return b.status === "available" && b.expiry_band !== "expired" && (parseMoney(b.available) ?? 0n) > 0n;
}

export function BatchPicker({
  productId,
  name,
  onPick,
  onClose,
  currentBatchId,
  onFefo,
}: {
  productId: string;
  name: string;
  onPick: (b: BatchView) => void;
  onClose: () => void;
  /** For a cart line: its batch (null: FEFO). */
  currentBatchId?: string | null;
  /** For a cart line: unpin it (the sale takes FEFO stock). */
  onFefo?: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const batches = useCommandQuery("get_store_inventory", { product_id: productId });
  const list = batches.data ?? [];
  const forLine = currentBatchId !== undefined;
  return (
    <TillDialog title={forLine ? t("Change the batch of {{name}}", { name }) : t("Choose a batch of {{name}}", { name })} onClose={onClose} className="batch-picker">
      <section aria-label={t("Batches of {{name}}", { name })}>
        <p className="muted small">
          {t("Earliest expiry first. Without a choice the sale takes FEFO stock.")}{" "}
          {forLine && (currentBatchId ? t("This line sells from the batch marked “current”.") : t("This line sells FEFO stock now."))}
        </p>
        {batches.isLoading && <Loading what={t("batches")} />}
        <ErrorMessage error={batches.error} />
        <table aria-label={t("Batches to choose from")}>
          <thead>
            <tr>
              <th>{t("Batch")}</th>
              <th>{t("Expiry")}</th>
              <th className="num">{t("Available")}</th>
              <th>{t("Status")}</th>
              <th aria-label={t("Actions")} />
            </tr>
          </thead>
          <tbody>
            {list.map((b, i) => {
              const ok = sellable(b);
              const current = forLine && b.batch_id === currentBatchId;
              return (
                <tr key={b.batch_id} className={bandClass(b.expiry_band)} data-batch={b.batch_number} aria-current={current || undefined}>
                  <td>
                    {b.batch_number}
                    {current && (
                      <>
                        {" "}
                        <span className="badge ok">{t("current")}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {b.expiry_date ? f.date(b.expiry_date) : "—"} <span className="small">{expiryLabel(b.expiry_band, b.days_to_expiry)}</span>
                  </td>
                  <td className="num">{f.qty(b.available, b.unit)}</td>
                  <td>
                    {batchStatusLabel(b.status)}
                    {b.status_reason ? ` (${b.status_reason})` : ""}
                  </td>
                  <td>
                    <button type="button" onClick={() => onPick(b)} disabled={!ok} autoFocus={ok && list.findIndex(sellable) === i}>
                      {ok ? t("Sell from {{batch}}", { batch: b.batch_number }) : t("Cannot be sold")}
                    </button>
                  </td>
                </tr>
              );
            })}
            {batches.isSuccess && list.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  {t("No stock of this product.")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        <div className="form-actions">
          {onFefo && currentBatchId && (
            <button type="button" onClick={onFefo}>
              {t("Back to FEFO")}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t("Back")} <Kbd>{t("Esc")}</Kbd>
          </button>
        </div>
      </section>
    </TillDialog>
  );
}

/** A batch's status in words. */
export function batchStatusLabel(status: BatchStatus): string {
  switch (status) {
    case "available":
      return i18next.t("available");
    case "quarantine":
      return i18next.t("quarantine");
    case "recalled":
      return i18next.t("recalled");
    case "expired":
      return i18next.t("expired");
    case "damaged":
      return i18next.t("damaged");
    case "depleted":
      return i18next.t("depleted");
  }
}
