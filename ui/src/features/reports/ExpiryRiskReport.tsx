// Expiry risk (get_expiry_risk): the value at cost already expired and
// expiring within 7, 14, 30 and 90 days (a chart and its table), and the
// batches within the chosen horizon, soonest first, paged.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import type { GetExpiryRisk } from "../../bindings/GetExpiryRisk";
import type { RiskBatch } from "../../bindings/RiskBatch";
import type { RiskWindow } from "../../bindings/RiskWindow";
import { BarChart, fullTick } from "../../components/BarChart";
import { DataTable, type Column } from "../../components/DataTable";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { CategorySelect, CheckField, ChoiceField, ExportButton, Filters, opt, pageOf, ProductQueryField, Totals, andFirstPage } from "./parts";

const HORIZONS = ["7", "14", "30", "90", "180", "365"] as const;
type Horizon = (typeof HORIZONS)[number];

export function ExpiryRiskReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const [category, setCategory] = useState("");
  const [query, setQuery] = useState("");
  const [horizon, setHorizon] = useState<Horizon>("30");
  const [withExpired, setWithExpired] = useState(true);
  const [page, setPage] = useState<PageState<"expiry">>({ sort: "expiry", descending: false, limit: 100, offset: 0 });
  const first = () => setPage((p) => ({ ...p, offset: 0 }));

  const filters: GetExpiryRisk = {
    category_id: opt(category),
    query: opt(query),
    horizon_days: Number(horizon),
    include_expired: withExpired,
  };
  const report = useCommandQuery("get_expiry_risk", { ...filters, limit: page.limit, offset: page.offset }, { placeholderData: (previous) => previous });
  const r = report.data;

  const windowName = (w: RiskWindow) => (w.within_days === null ? t("Expired") : t("Within {{count}} days", { count: w.within_days }));
  const windows = useMemo(() => (r ? [r.expired, ...r.windows] : []), [r]);
  const chart = useMemo(
    () => ({
      categories: windows.map((w) => (w.within_days === null ? t("Expired") : t("Within {{count}} days", { count: w.within_days }))),
      series: [{ label: t("Value at risk"), color: "var(--chart-2, #b3261e)", values: windows.map((w) => w.value) }],
    }),
    [windows, t],
  );

  const windowColumns: Column<RiskWindow>[] = [
    { header: t("Window"), cell: windowName },
    { header: t("Up to"), cell: (w) => (w.until ? f.date(w.until) : "") },
    { header: t("Batches"), className: "num", cell: (w) => f.qty(String(w.batches)) },
    { header: t("On hand"), className: "num", cell: (w) => f.qty(w.on_hand) },
    { header: t("Value at risk"), className: "num", cell: (w) => f.money(w.value) },
  ];

  const batchColumns: Column<RiskBatch>[] = [
    {
      header: t("Product"),
      cell: (b) => (
        <>
          {b.product_name} <span className="muted small">{b.sku}</span>
        </>
      ),
    },
    { header: t("Batch"), cell: (b) => b.batch_number },
    { header: t("Expiry date"), cell: (b) => f.date(b.expiry_date) },
    {
      header: t("Days left"),
      className: "num",
      cell: (b) => (b.days_left < 0 ? t("Expired {{count}} days ago", { count: -b.days_left }) : f.qty(String(b.days_left))),
    },
    { header: t("On hand"), className: "num", cell: (b) => f.qty(b.on_hand, b.unit) },
    { header: t("Unit cost"), className: "num", cell: (b) => f.money(b.unit_cost) },
    { header: t("Value at cost"), className: "num", cell: (b) => f.money(b.value) },
  ];

  return (
    <>
      <Filters label={t("Expiry risk filters")}>
        <CategorySelect value={category} onChange={andFirstPage(setCategory, first)} />
        <ProductQueryField value={query} onChange={andFirstPage(setQuery, first)} />
        <ChoiceField
          label={t("List batches expiring within")}
          name="horizon_days"
          value={horizon}
          onChange={andFirstPage(setHorizon, first)}
          options={HORIZONS.map((h) => ({ value: h, label: t("{{count}} days", { count: Number(h) }) }))}
        />
        <CheckField
          label={t("List expired batches too")}
          name="include_expired"
          checked={withExpired}
          onChange={andFirstPage(setWithExpired, first)}
        />
      </Filters>
      <ExportButton request={{ report: "expiry_risk", ...filters }} />
      {r && <p className="muted">{t("Today, {{date}}, in the store's time zone.", { date: f.date(r.date) })}</p>}
      <section className="panel" aria-label={t("Value at risk by window")}>
        <h3>{t("Value at risk by window")}</h3>
        {windows.length > 0 && (
          <BarChart
            label={t("Value at risk of expiring, by window")}
            xLabel={t("Window")}
            categories={chart.categories}
            series={chart.series}
            format={f.money}
            tickLabel={fullTick}
          />
        )}
        <DataTable
          label={t("Expiry windows")}
          columns={windowColumns}
          rows={r ? windows : undefined}
          rowKey={(w) => String(w.within_days ?? "expired")}
          rowAttributes={(w) => ({ "data-window": String(w.within_days ?? "expired") })}
          error={report.error}
          loading={{ pending: report.isPending, what: t("expiry risk") }}
        />
      </section>
      <h3>{t("Batches expiring within {{count}} days", { count: Number(horizon) })}</h3>
      {r && (
        <Totals
          label={t("Expiry risk totals")}
          items={[
            { label: t("Batches"), value: f.qty(String(r.total_batches)), testId: "risk-total-batches" },
            { label: t("Value at cost"), value: f.money(r.total_value), testId: "risk-total-value" },
          ]}
        />
      )}
      <PagedTable
        label={t("Batches at risk")}
        columns={batchColumns}
        page={pageOf(r?.batches, r?.total_batches)}
        state={page}
        onState={(next) => setPage({ ...next, sort: "expiry", descending: false })}
        rowKey={(b) => b.batch_id}
        rowAttributes={(b) => ({ "data-batch": b.batch_number })}
        empty={t("No batch expires within the horizon.")}
        loading={{ pending: report.isPending, what: t("batches at risk") }}
      />
    </>
  );
}
