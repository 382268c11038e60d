// The till's product search: name, SKU or barcode, with the matches in a
// popover under the box (it never pushes the cart down). ↑↓ choose, Enter
// adds, Shift+Enter opens the batch picker. The box is also a scan target:
// a scanner burst typed into it is a scan (see useScanner).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { ProductHit } from "../../bindings/ProductHit";
import { Field } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { SCAN_TARGET_ATTR } from "./useScanner";

export function ProductSearch({
  value,
  onChange,
  onPick,
  onPickBatch,
}: {
  value: string;
  onChange: (v: string) => void;
  onPick: (h: ProductHit) => void;
  onPickBatch: (h: ProductHit) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = value.trim();
  const hits = useCommandQuery("search_products", { query: q, limit: 8 }, { enabled: q.length > 0 });
  const list = q ? (hits.data ?? []) : [];
  const [sel, setSel] = useState(0);
  const [seenQ, setSeenQ] = useState(q);
  if (seenQ !== q) {
    setSeenQ(q);
    setSel(0);
  }
  return (
    <div className="till-search">
      <Field label={t("Search products")} hint={t("Name, SKU or barcode — F2 or / to come here, ↑↓ to choose, Enter adds, Shift+Enter chooses the batch")}>
        {(id) => (
          <input
            id={id}
            type="search"
            {...{ [SCAN_TARGET_ATTR]: "" }}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") {
                e.preventDefault();
                setSel((s) => Math.min(s + 1, list.length - 1));
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                setSel((s) => Math.max(s - 1, 0));
              } else if (e.key === "Enter") {
                e.preventDefault();
                const h = list[sel];
                if (h) (e.shiftKey ? onPickBatch : onPick)(h);
              } else if (e.key === "Escape") {
                onChange("");
                (e.target as HTMLInputElement).blur();
              }
            }}
            aria-controls={q ? "till-hits" : undefined}
            aria-activedescendant={list[sel] ? `hit-${list[sel].product.id}` : undefined}
          />
        )}
      </Field>
      {q && (
        <ul id="till-hits" className="hits" role="listbox" aria-label={t("Matching products")}>
          {list.map((h, i) => (
            <li
              key={h.product.id}
              id={`hit-${h.product.id}`}
              role="option"
              aria-selected={i === sel}
              className={i === sel ? "selected" : ""}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(h);
              }}
              data-sku={h.product.sku}
            >
              <span className="hit-name">
                {h.product.name} <span className="muted small">{h.product.sku}</span>
                {h.product.prescription_only && <span className="badge rx">{t("Rx")}</span>}
              </span>
              <span className="hit-stock">{f.qty(h.available, h.product.unit)}</span>
              <span className="hit-price">{f.money(h.product.selling_price)}</span>
              <span className="hit-expiry small">{h.nearest_expiry ? t("exp {{date}}", { date: f.date(h.nearest_expiry) }) : t("no dated stock")}</span>
              <button
                type="button"
                className="link small"
                tabIndex={-1}
                aria-label={t("Choose the batch of {{name}}", { name: h.product.name })}
                onMouseDown={(e) => {
                  e.preventDefault();
                  e.stopPropagation();
                  onPickBatch(h);
                }}
              >
                {t("batch…")}
              </button>
            </li>
          ))}
          {hits.isSuccess && list.length === 0 && <li className="muted">{t("No product matches “{{query}}”.", { query: q })}</li>}
        </ul>
      )}
    </div>
  );
}
