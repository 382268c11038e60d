// Stock by product and by batch. With no product chosen, every batch of the
// store a page at a time (the engine filters, sorts and counts); with a
// product, its batches in FEFO order (first expiry, first out) and its
// totals. Rows are coloured by how close they are to expiry.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { BatchTable, ExpiryLegend } from "../../components/BatchTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { ProductPicker } from "../../components/ProductPicker";
import { Loading, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { BatchList } from "./BatchList";

export function StockScreen({
  initialWithinDays,
  initialProductId,
  initialProductQuery,
}: {
  initialWithinDays?: string;
  /** A product to open with (an alert's link), found by `initialProductQuery` (its SKU). */
  initialProductId?: string;
  initialProductQuery?: string;
}) {
  const { t } = useTranslation();
  const [productId, setProductId] = useState(initialProductId ?? "");
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const batches = useCommandQuery(
    "get_store_inventory",
    { product_id: productId || undefined, include_empty: includeEmpty },
    { enabled: productId !== "" },
  );

  return (
    <Screen title={t("Stock")}>
      <div className="toolbar">
        <ProductPicker value={productId} onChange={setProductId} allowAll autoFocus initialQuery={initialProductQuery} />
        {productId && (
          <label className="checkbox">
            <input type="checkbox" checked={includeEmpty} onChange={(e) => setIncludeEmpty(e.target.checked)} />
            {t("Show empty and depleted batches")}
          </label>
        )}
      </div>
      {!productId && (
        <>
          <div className="screen-header">
            <h2>{t("Every batch of the store")}</h2>
            <ExpiryLegend />
          </div>
          <BatchList initialWithinDays={initialWithinDays} />
        </>
      )}
      {productId && <ProductStockSummary productId={productId} />}
      {productId && (
        <>
          <div className="screen-header">
            <h2>{t("Batches, first to expire first (FEFO)")}</h2>
            <ExpiryLegend />
          </div>
          <ErrorMessage error={batches.error} />
          {batches.isPending ? (
            <Loading what={t("batches")} />
          ) : (
            <BatchTable batches={batches.data ?? []} label={t("Batches in FEFO order")} showProduct={false} empty={t("No stock on hand.")} />
          )}
        </>
      )}
    </Screen>
  );
}

function ProductStockSummary({ productId }: { productId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const stock = useCommandQuery("get_product_stock", { product_id: productId });
  if (stock.error) return <ErrorMessage error={stock.error} />;
  if (!stock.data) return <Loading what={t("stock")} />;
  const s = stock.data;
  return (
    <dl className="panel grid four" aria-label={t("Stock of the product")}>
      <div>
        <dt className="muted">{t("Available to sell")}</dt>
        <dd data-testid="stock-available">
          <strong>{fmt.qty(s.available)}</strong>
        </dd>
      </div>
      <div>
        <dt className="muted">{t("On hand")}</dt>
        <dd data-testid="stock-on-hand">{fmt.qty(s.on_hand)}</dd>
      </div>
      <div>
        <dt className="muted">{t("Reserved")}</dt>
        <dd>{fmt.qty(s.reserved)}</dd>
      </div>
      <div>
        <dt className="muted">{t("Expired / unavailable")}</dt>
        <dd>{t("{{expired}} / {{unavailable}}", { expired: fmt.qty(s.expired), unavailable: fmt.qty(s.unavailable) })}</dd>
      </div>
    </dl>
  );
}
