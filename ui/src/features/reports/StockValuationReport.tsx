// Stock valuation (get_stock_valuation): what the stock on hand cost, by
// product (paged, by value or name), by category (with a chart) or for the
// whole store, with the totals of every group.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import type { GetStockValuation } from "../../bindings/GetStockValuation";
import type { ValuationGroup } from "../../bindings/ValuationGroup";
import type { ValuationRow } from "../../bindings/ValuationRow";
import type { ValuationSort } from "../../bindings/ValuationSort";
import { BarChart, fullTick } from "../../components/BarChart";
import { DataTable, type Column } from "../../components/DataTable";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { valuationGroupLabel, valuationSortLabel } from "./labels";
import { CategorySelect, CheckField, ChoiceField, ExportButton, Filters, opt, pageOf, ProductQueryField, Totals, andFirstPage } from "./parts";

const GROUPS: readonly ValuationGroup[] = ["product", "category", "store"];
const SORTS: readonly ValuationSort[] = ["value", "name"];

export function StockValuationReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const [groupBy, setGroupBy] = useState<ValuationGroup>("product");
  const [category, setCategory] = useState("");
  const [query, setQuery] = useState("");
  const [expired, setExpired] = useState(false);
  const [quarantined, setQuarantined] = useState(false);
  const [page, setPage] = useState<PageState<ValuationSort>>({ sort: "value", descending: true, limit: 100, offset: 0 });
  const first = () => setPage((p) => ({ ...p, offset: 0 }));

  const filters: GetStockValuation = {
    group_by: groupBy,
    category_id: opt(category),
    query: opt(query),
    include_expired: expired || undefined,
    include_quarantined: quarantined || undefined,
    sort: groupBy === "product" ? page.sort : undefined,
  };
  const paged = groupBy === "product";
  const report = useCommandQuery(
    "get_stock_valuation",
    paged ? { ...filters, limit: page.limit, offset: page.offset } : filters,
    { placeholderData: (previous) => previous },
  );
  // A page kept from another grouping is not shown as this one's.
  const r = report.data?.group_by === groupBy ? report.data : undefined;
  // Loading, or showing a kept page of another grouping: wait for this one.
  const waiting = !r && !report.error;

  const columns: Column<ValuationRow>[] = [
    {
      header: groupBy === "product" ? t("Product") : groupBy === "category" ? t("Category") : t("Store"),
      cell: (row) => (
        <>
          {row.label}
          {row.sku && <span className="muted small"> {row.sku}</span>}
        </>
      ),
    },
    ...(groupBy === "product" ? [] : [{ header: t("Products"), className: "num", cell: (row: ValuationRow) => f.qty(String(row.products)) }]),
    { header: t("Batches"), className: "num", cell: (row) => f.qty(String(row.batches)) },
    { header: t("On hand"), className: "num", cell: (row) => f.qty(row.on_hand, row.unit) },
    { header: t("Value at cost"), className: "num", cell: (row) => f.money(row.value) },
  ];

  const chart = useMemo(
    () =>
      r && r.group_by === "category"
        ? {
            categories: r.rows.map((x) => x.label),
            series: [{ label: t("Value at cost"), color: "var(--chart-1, #0e7a64)", values: r.rows.map((x) => x.value) }],
          }
        : null,
    [r, t],
  );

  return (
    <>
      <Filters label={t("Stock valuation filters")}>
        <ChoiceField
          label={t("Group by")}
          name="group_by"
          value={groupBy}
          onChange={andFirstPage(setGroupBy, first)}
          options={GROUPS.map((g) => ({ value: g, label: valuationGroupLabel(t, g) }))}
        />
        <CategorySelect value={category} onChange={andFirstPage(setCategory, first)} />
        <ProductQueryField value={query} onChange={andFirstPage(setQuery, first)} />
        {groupBy === "product" && (
          <ChoiceField
            label={t("Sort by")}
            name="sort"
            value={page.sort}
            onChange={(s) => setPage((p) => ({ ...p, sort: s, descending: s === "value", offset: 0 }))}
            options={SORTS.map((s) => ({ value: s, label: valuationSortLabel(t, s) }))}
          />
        )}
        <CheckField
          label={t("Include expired stock")}
          name="include_expired"
          checked={expired}
          onChange={andFirstPage(setExpired, first)}
        />
        <CheckField
          label={t("Include quarantined, recalled and damaged stock")}
          name="include_quarantined"
          checked={quarantined}
          onChange={andFirstPage(setQuarantined, first)}
        />
      </Filters>
      <ExportButton request={{ report: "stock_valuation", ...filters }} />
      {r && (
        <>
          <p className="muted">{t("Stock on hand on {{date}}, at what each batch cost.", { date: f.date(r.date) })}</p>
          <Totals
            label={t("Stock valuation totals")}
            items={[
              { label: t("Value at cost"), value: f.money(r.totals.value), testId: "valuation-total-value" },
              { label: t("Products"), value: f.qty(String(r.totals.products)), testId: "valuation-total-products" },
              { label: t("Batches"), value: f.qty(String(r.totals.batches)), testId: "valuation-total-batches" },
            ]}
          />
        </>
      )}
      {chart && chart.categories.length > 0 && (
        <section className="panel" aria-label={t("Value by category")}>
          <h3>{t("Value by category")}</h3>
          <BarChart
            label={t("Stock value at cost by category")}
            xLabel={t("Category")}
            categories={chart.categories}
            series={chart.series}
            format={f.money}
            tickLabel={fullTick}
            categoriesAreData
          />
        </section>
      )}
      {paged ? (
        <PagedTable
          label={t("Stock valuation by product")}
          columns={columns}
          page={pageOf(r?.rows, r?.total_rows)}
          state={page}
          onState={(next) => setPage({ ...next, sort: page.sort, descending: page.descending })}
          rowKey={(row) => row.key ?? "none"}
          rowAttributes={(row) => ({ "data-key": row.key ?? "" })}
          empty={t("No stock on hand matches.")}
          error={report.error}
          loading={{ pending: waiting, what: t("the stock valuation") }}
        />
      ) : (
        <DataTable
          label={groupBy === "category" ? t("Stock valuation by category") : t("Stock valuation of the store")}
          columns={columns}
          rows={r?.rows}
          rowKey={(row) => row.key ?? "none"}
          rowAttributes={(row) => ({ "data-key": row.key ?? "" })}
          empty={t("No stock on hand matches.")}
          error={report.error}
          loading={{ pending: waiting, what: t("the stock valuation") }}
        />
      )}
    </>
  );
}
