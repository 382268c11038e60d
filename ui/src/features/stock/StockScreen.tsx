// Stock by product and by batch. Batches come from the engine in FEFO order
// (first expiry, first out), coloured by how close they are to expiry.
import { useState } from "react";

import { BatchTable, ExpiryLegend } from "../../components/BatchTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { ProductPicker } from "../../components/ProductPicker";
import { Loading, Screen } from "../../components/Screen";
import { useCommandQuery } from "../../lib/queries";

export function StockScreen() {
  const [productId, setProductId] = useState("");
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const batches = useCommandQuery("get_store_inventory", {
    product_id: productId || undefined,
    include_empty: includeEmpty,
  });

  return (
    <Screen title="Stock">
      <div className="toolbar">
        <ProductPicker value={productId} onChange={setProductId} allowAll autoFocus />
        <label className="checkbox">
          <input type="checkbox" checked={includeEmpty} onChange={(e) => setIncludeEmpty(e.target.checked)} />
          Show empty and depleted batches
        </label>
      </div>
      {productId && <ProductStockSummary productId={productId} />}
      <div className="screen-header">
        <h2>Batches, first to expire first (FEFO)</h2>
        <ExpiryLegend />
      </div>
      <ErrorMessage error={batches.error} />
      {batches.isPending ? (
        <Loading what="batches" />
      ) : (
        <BatchTable batches={batches.data ?? []} label="Batches in FEFO order" showProduct={!productId} empty="No stock on hand." />
      )}
    </Screen>
  );
}

function ProductStockSummary({ productId }: { productId: string }) {
  const stock = useCommandQuery("get_product_stock", { product_id: productId });
  if (stock.error) return <ErrorMessage error={stock.error} />;
  if (!stock.data) return <Loading what="stock" />;
  const s = stock.data;
  return (
    <dl className="panel grid four" aria-label="Stock of the product">
      <div>
        <dt className="muted">Available to sell</dt>
        <dd data-testid="stock-available">
          <strong>{s.available}</strong>
        </dd>
      </div>
      <div>
        <dt className="muted">On hand</dt>
        <dd data-testid="stock-on-hand">{s.on_hand}</dd>
      </div>
      <div>
        <dt className="muted">Reserved</dt>
        <dd>{s.reserved}</dd>
      </div>
      <div>
        <dt className="muted">Expired / unavailable</dt>
        <dd>
          {s.expired} / {s.unavailable}
        </dd>
      </div>
    </dl>
  );
}
