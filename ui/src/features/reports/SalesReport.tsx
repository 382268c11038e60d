// Sales and margin (get_sales_report) over a period: by day (every day of
// the period, with a chart), by product (paged) or by category, sorted by
// revenue, margin, quantity or name; the totals of every row.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import type { GetSalesReport } from "../../bindings/GetSalesReport";
import type { SalesGroup } from "../../bindings/SalesGroup";
import type { SalesRow } from "../../bindings/SalesRow";
import type { SalesSort } from "../../bindings/SalesSort";
import { BarChart } from "../../components/BarChart";
import { DataTable, type Column } from "../../components/DataTable";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { ProductPicker } from "../../components/ProductPicker";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { salesGroupLabel, salesSortLabel } from "./labels";
import { CategorySelect, ChoiceField, defaultPeriod, ExportButton, Filters, opt, pageOf, PeriodFields, Totals, andFirstPage } from "./parts";

const GROUPS: readonly SalesGroup[] = ["day", "product", "category"];
const SORTS: readonly SalesSort[] = ["revenue", "margin", "quantity", "name"];

export function SalesReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const [period] = useState(() => defaultPeriod(f));
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [groupBy, setGroupBy] = useState<SalesGroup>("day");
  const [category, setCategory] = useState("");
  const [productId, setProductId] = useState("");
  const [page, setPage] = useState<PageState<SalesSort>>({ sort: "revenue", descending: true, limit: 100, offset: 0 });
  const first = () => setPage((p) => ({ ...p, offset: 0 }));

  const filters: GetSalesReport = {
    group_by: groupBy,
    from: opt(from),
    to: opt(to),
    category_id: opt(category),
    product_id: opt(productId),
    sort: groupBy === "day" ? undefined : page.sort,
  };
  const paged = groupBy === "product";
  const report = useCommandQuery("get_sales_report", paged ? { ...filters, limit: page.limit, offset: page.offset } : filters, {
    placeholderData: (previous) => previous,
  });
  const r = report.data?.group_by === groupBy ? report.data : undefined;
  // Loading, or showing a kept page of another grouping: wait for this one.
  const waiting = !r && !report.error;

  const chart = useMemo(
    () =>
      r && r.group_by === "day"
        ? {
            categories: r.rows.map((x) => x.label),
            series: [
              { label: t("Revenue"), color: "var(--chart-1, #0e7a64)", values: r.rows.map((x) => x.revenue) },
              { label: t("Margin"), color: "var(--chart-2, #1967d2)", values: r.rows.map((x) => x.margin) },
            ],
          }
        : null,
    [r, t],
  );

  const pct = (v: string | null) => (v === null ? "—" : f.percent(v));
  const columns: Column<SalesRow>[] = [
    {
      header: salesGroupLabel(t, groupBy),
      cell: (s) =>
        groupBy === "day" ? (
          f.date(s.label)
        ) : (
          <>
            {s.label}
            {s.sku && <span className="muted small"> {s.sku}</span>}
          </>
        ),
    },
    { header: t("Sales"), className: "num", cell: (s) => f.qty(String(s.sales)) },
    { header: t("Sold"), className: "num", cell: (s) => f.qty(s.quantity_sold) },
    { header: t("Returned"), className: "num", cell: (s) => f.qty(s.quantity_returned) },
    { header: t("Gross sales"), className: "num", cell: (s) => f.money(s.gross_sales) },
    { header: t("Refunds"), className: "num", cell: (s) => f.money(s.refunds) },
    { header: t("Tax"), className: "num", cell: (s) => f.money(s.tax) },
    { header: t("Revenue"), className: "num", cell: (s) => f.money(s.revenue) },
    { header: t("Cost"), className: "num", cell: (s) => f.money(s.cost) },
    { header: t("Margin"), className: "num", cell: (s) => f.money(s.margin) },
    { header: t("Margin %"), className: "num", cell: (s) => pct(s.margin_percent) },
  ];

  const tableLabel = groupBy === "day" ? t("Sales by day") : groupBy === "product" ? t("Sales by product") : t("Sales by category");

  return (
    <>
      <Filters label={t("Sales filters")}>
        <PeriodFields
          from={from}
          to={to}
          onFrom={andFirstPage(setFrom, first)}
          onTo={andFirstPage(setTo, first)}
        />
        <ChoiceField
          label={t("Group by")}
          name="group_by"
          value={groupBy}
          onChange={andFirstPage(setGroupBy, first)}
          options={GROUPS.map((g) => ({ value: g, label: salesGroupLabel(t, g) }))}
        />
        {groupBy !== "day" && (
          <ChoiceField
            label={t("Sort by")}
            name="sort"
            value={page.sort}
            onChange={(s) => setPage((p) => ({ ...p, sort: s, descending: s !== "name", offset: 0 }))}
            options={SORTS.map((s) => ({ value: s, label: salesSortLabel(t, s) }))}
          />
        )}
        <CategorySelect value={category} onChange={andFirstPage(setCategory, first)} />
        <ProductPicker
          value={productId}
          allowAll
          onChange={andFirstPage(setProductId, first)}
        />
      </Filters>
      <ExportButton request={{ report: "sales_report", ...filters }} />
      {r && (
        <>
          <p className="muted">
            {t("From {{from}} to {{to}}. Revenue is net of returns and tax; margin is revenue less the cost of the stock sold.", {
              from: f.date(r.from),
              to: f.date(r.to),
            })}
          </p>
          <Totals
            label={t("Sales totals")}
            items={[
              { label: t("Gross sales"), value: f.money(r.totals.gross_sales), testId: "sales-total-gross" },
              { label: t("Refunds"), value: f.money(r.totals.refunds), testId: "sales-total-refunds" },
              { label: t("Tax"), value: f.money(r.totals.tax), testId: "sales-total-tax" },
              { label: t("Revenue"), value: f.money(r.totals.revenue), testId: "sales-total-revenue" },
              { label: t("Cost"), value: f.money(r.totals.cost), testId: "sales-total-cost" },
              { label: t("Margin"), value: f.money(r.totals.margin), testId: "sales-total-margin" },
              { label: t("Margin %"), value: pct(r.totals.margin_percent), testId: "sales-total-margin-percent" },
            ]}
          />
        </>
      )}
      {chart && chart.categories.length > 0 && (
        <section className="panel" aria-label={t("Sales over time")}>
          <h3>{t("Sales over time")}</h3>
          <BarChart label={t("Revenue and margin by day")} xLabel={t("Day")} categories={chart.categories} series={chart.series} format={f.money} />
        </section>
      )}
      {paged ? (
        <PagedTable
          label={tableLabel}
          columns={columns}
          page={pageOf(r?.rows, r?.total_rows)}
          state={page}
          onState={(next) => setPage({ ...next, sort: page.sort, descending: page.descending })}
          rowKey={(s) => s.key ?? "none"}
          rowAttributes={(s) => ({ "data-key": s.key ?? "" })}
          empty={t("No sales in this period.")}
          error={report.error}
          loading={{ pending: waiting, what: t("the sales report") }}
        />
      ) : (
        <DataTable
          label={tableLabel}
          columns={columns}
          rows={r?.rows}
          rowKey={(s) => s.key ?? "none"}
          rowAttributes={(s) => ({ "data-key": s.key ?? "" })}
          empty={t("No sales in this period.")}
          error={report.error}
          loading={{ pending: waiting, what: t("the sales report") }}
        />
      )}
    </>
  );
}
