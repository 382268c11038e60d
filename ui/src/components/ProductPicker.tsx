// Picks a product by typing part of its name, SKU or barcode, then choosing
// from the matches (a native select: arrow keys and type-ahead work).
//
// A form must never act on a product it does not show: a new search drops
// the chosen product (the parent hears onChange("", null)), and so does a
// list of matches that no longer holds it, so the select and the parent's
// state always agree.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import type { ProductHit } from "../bindings/ProductHit";
import { useFormat } from "../lib/locale";
import { useCommandQuery } from "../lib/queries";
import { Field } from "./Field";

export function ProductPicker({
  value,
  onChange,
  label,
  searchLabel,
  error,
  allowAll = false,
  autoFocus = false,
  initialQuery = "",
}: {
  value: string;
  onChange: (productId: string, hit: ProductHit | null) => void;
  /** The choice's label (default "Product"). */
  label?: string;
  /** The search box's label (default "Find product"). */
  searchLabel?: string;
  /** Plain-words error shown by the choice. */
  error?: string;
  allowAll?: boolean;
  autoFocus?: boolean;
  /** What the search box starts with (so that a `value` given from elsewhere is among the matches). */
  initialQuery?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [filter, setFilter] = useState(initialQuery);
  const hits = useCommandQuery("search_products", { query: filter.trim(), limit: 100 });
  const list = hits.data ?? [];
  const shown = !value || list.some((h) => h.product.id === value);
  const settled = hits.isSuccess && !hits.isFetching;
  useEffect(() => {
    if (settled && !shown) onChange("", null);
  }, [settled, shown, onChange]);
  return (
    <>
      <Field label={searchLabel ?? t("Find product")}>
        {(id) => (
          <input
            id={id}
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              if (value) onChange("", null);
            }}
            autoFocus={autoFocus}
          />
        )}
      </Field>
      <Field label={label ?? t("Product")} error={error}>
        {(id) => (
          <select
            id={id}
            name="product_id"
            value={shown ? value : ""}
            onChange={(e) => onChange(e.target.value, list.find((h) => h.product.id === e.target.value) ?? null)}
          >
            <option value="">{allowAll ? t("All products") : t("Choose a product…")}</option>
            {list.map((h) => (
              <option key={h.product.id} value={h.product.id}>
                {t("{{name}} — {{sku}} ({{available}} available)", { name: h.product.name, sku: h.product.sku, available: fmt.qty(h.available, h.product.unit) })}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
