// The catalogue a page at a time, with what each product has on hand in the
// store: the engine searches (word prefixes, SKU, barcode), filters by
// category and status, sorts (on hand included) and counts in SQL.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { ProductListRow } from "../../bindings/ProductListRow";
import type { ProductSort } from "../../bindings/ProductSort";
import { Field } from "../../components/Field";
import { PagedTable, type PagedColumn, type PageState } from "../../components/PagedTable";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";

export function ProductList({
  actions,
  searchRef,
  initialSort = "name",
}: {
  /** The row's buttons (edit, delete…), as the screen allows. */
  actions?: (row: ProductListRow) => ReactNode;
  searchRef?: React.Ref<HTMLInputElement>;
  initialSort?: ProductSort;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [query, setQuery] = useState("");
  const [category, setCategory] = useState("");
  const [active, setActive] = useState<"" | "active" | "inactive">("");
  const [state, setState] = useState<PageState<ProductSort>>({ sort: initialSort, descending: false, limit: 100, offset: 0 });
  const categories = useCommandQuery("list_categories", {});
  const page = useCommandQuery(
    "list_products",
    {
      query: query.trim() || undefined,
      category_id: category || undefined,
      active: active === "" ? undefined : active === "active",
      sort: state.sort,
      descending: state.descending,
      limit: state.limit,
      offset: state.offset,
    },
    { placeholderData: (previous) => previous },
  );
  const first = (fn: () => void) => {
    fn();
    setState((s) => ({ ...s, offset: 0 }));
  };

  const columns: PagedColumn<ProductListRow, ProductSort>[] = [
    { header: t("SKU"), sortKey: "sku", cell: (p) => p.sku },
    {
      header: t("Name"),
      sortKey: "name",
      cell: (p) => (
        <>
          {p.name} {p.prescription_only && <span className="badge">{t("Rx")}</span>}
          {p.generic_name && <span className="muted small"> {p.generic_name}</span>}
        </>
      ),
    },
    { header: t("Category"), cell: (p) => p.category_name },
    { header: t("Price"), sortKey: "price", className: "num", cell: (p) => f.money(p.selling_price) },
    { header: t("On hand"), sortKey: "on_hand", className: "num", cell: (p) => f.qty(p.on_hand, p.unit) },
    { header: t("Available"), className: "num", cell: (p) => f.qty(p.available) },
    { header: t("Nearest expiry"), cell: (p) => f.date(p.nearest_expiry) },
    { header: t("Changed"), sortKey: "updated_at", cell: (p) => f.instant(p.updated_at) },
  ];
  if (actions) columns.push({ label: t("Actions"), cell: actions });

  return (
    <PagedTable
      label={t("Products")}
      columns={columns}
      page={page.data}
      state={state}
      onState={setState}
      rowKey={(p) => p.id}
      rowAttributes={(p) => ({ "data-sku": p.sku })}
      empty={t("No products match.")}
      error={page.error}
      loading={{ pending: page.isPending && !page.data, what: t("products") }}
      toolbar={
        <>
          <Field label={t("Find")} hint={t("Name, SKU or barcode; / focuses")}>
            {(id) => <input id={id} ref={searchRef} type="search" value={query} onChange={(e) => first(() => setQuery(e.target.value))} />}
          </Field>
          <Field label={t("Category")}>
            {(id) => (
              <select id={id} value={category} onChange={(e) => first(() => setCategory(e.target.value))}>
                <option value="">{t("All")}</option>
                {(categories.data ?? []).map((c) => (
                  <option key={c.id} value={c.id} translate="no">
                    {c.path}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("Status")}>
            {(id) => (
              <select id={id} value={active} onChange={(e) => first(() => setActive(e.target.value as "" | "active" | "inactive"))}>
                <option value="">{t("All")}</option>
                <option value="active">{t("Active")}</option>
                <option value="inactive">{t("Discontinued or on hold")}</option>
              </select>
            )}
          </Field>
        </>
      }
    />
  );
}
