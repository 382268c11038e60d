// Batch aging (get_batch_aging): the stock on hand by days since it was
// received, and the slow movers (no sale or treatment in N days), paged,
// most valuable first.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AgingBucket } from "../../bindings/AgingBucket";
import type { GetBatchAging } from "../../bindings/GetBatchAging";
import type { SlowMover } from "../../bindings/SlowMover";
import { DataTable, type Column } from "../../components/DataTable";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { CategorySelect, ChoiceField, ExportButton, Filters, opt, pageOf, ProductQueryField, Totals, andFirstPage } from "./parts";

const SLOW_DAYS = ["30", "60", "90", "180", "365"] as const;
type SlowDays = (typeof SLOW_DAYS)[number];

export function BatchAgingReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const [category, setCategory] = useState("");
  const [query, setQuery] = useState("");
  const [slowDays, setSlowDays] = useState<SlowDays>("90");
  const [page, setPage] = useState<PageState<"value">>({ sort: "value", descending: true, limit: 100, offset: 0 });
  const first = () => setPage((p) => ({ ...p, offset: 0 }));

  const filters: GetBatchAging = { category_id: opt(category), query: opt(query), slow_days: Number(slowDays) };
  const report = useCommandQuery("get_batch_aging", { ...filters, limit: page.limit, offset: page.offset }, { placeholderData: (previous) => previous });
  const r = report.data;

  const bucketColumns: Column<AgingBucket>[] = [
    {
      header: t("Days since received"),
      cell: (b) =>
        b.max_days === null
          ? t("Over {{days}} days", { days: f.qty(String(b.min_days - 1)) })
          : t("{{from}}–{{to}} days", { from: f.qty(String(b.min_days)), to: f.qty(String(b.max_days)) }),
    },
    { header: t("Batches"), className: "num", cell: (b) => f.qty(String(b.batches)) },
    { header: t("On hand"), className: "num", cell: (b) => f.qty(b.on_hand) },
    { header: t("Value at cost"), className: "num", cell: (b) => f.money(b.value) },
  ];

  const slowColumns: Column<SlowMover>[] = [
    {
      header: t("Product"),
      cell: (s) => (
        <>
          {s.name} <span className="muted small">{s.sku}</span>
        </>
      ),
    },
    { header: t("Batches"), className: "num", cell: (s) => f.qty(String(s.batches)) },
    { header: t("On hand"), className: "num", cell: (s) => f.qty(s.on_hand, s.unit) },
    { header: t("Value at cost"), className: "num", cell: (s) => f.money(s.value) },
    { header: t("Oldest received"), cell: (s) => f.date(s.oldest_received) },
    { header: t("Last sale"), cell: (s) => (s.last_sale_at ? f.instant(s.last_sale_at) : t("Never sold")) },
  ];

  return (
    <>
      <Filters label={t("Batch aging filters")}>
        <CategorySelect value={category} onChange={andFirstPage(setCategory, first)} />
        <ProductQueryField value={query} onChange={andFirstPage(setQuery, first)} />
        <ChoiceField
          label={t("Slow: no sale for")}
          name="slow_days"
          value={slowDays}
          onChange={andFirstPage(setSlowDays, first)}
          options={SLOW_DAYS.map((d) => ({ value: d, label: t("{{count}} days", { count: Number(d) }) }))}
        />
      </Filters>
      <ExportButton request={{ report: "batch_aging", ...filters }} />
      <h3>{t("Stock by age")}</h3>
      <DataTable
        label={t("Stock by days since received")}
        columns={bucketColumns}
        rows={r?.buckets}
        rowKey={(b) => b.label}
        rowAttributes={(b) => ({ "data-bucket": b.label })}
        error={report.error}
        loading={{ pending: report.isPending, what: t("batch aging") }}
      />
      <h3>{t("Slow movers")}</h3>
      {r && (
        <>
          <p className="muted">
            {t("Products with stock and no sale or treatment since {{since}} ({{count}} days).", { since: f.date(r.since), count: r.slow_days })}
          </p>
          <Totals
            label={t("Slow mover totals")}
            items={[
              { label: t("Slow movers"), value: f.qty(String(r.slow_total)), testId: "aging-slow-total" },
              { label: t("Their value at cost"), value: f.money(r.slow_value), testId: "aging-slow-value" },
            ]}
          />
        </>
      )}
      <PagedTable
        label={t("Slow movers")}
        columns={slowColumns}
        page={pageOf(r?.slow_movers, r?.slow_total)}
        state={page}
        onState={(next) => setPage({ ...next, sort: "value", descending: true })}
        rowKey={(s) => s.product_id}
        rowAttributes={(s) => ({ "data-product": s.sku })}
        empty={t("No slow movers: everything in stock has sold.")}
        loading={{ pending: report.isPending, what: t("slow movers") }}
      />
    </>
  );
}
