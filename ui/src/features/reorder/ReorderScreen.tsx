// What to order: the engine's recommendations for the store, most urgent
// (fewest days of stock) first. Each row shows how its quantity came about:
// usage over the window, lead time, trigger and target levels (the formula
// is in docs/clinic.md).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { ReorderRecommendation } from "../../bindings/ReorderRecommendation";
import { PagedTable, type PageState, type PagedColumn } from "../../components/PagedTable";
import { Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";

export function ReorderScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const [page, setPage] = useState<PageState<"urgency">>({ sort: "urgency", descending: false, limit: 100, offset: 0 });
  const list = useCommandQuery("list_reorder_recommendations", { limit: page.limit, offset: page.offset });
  const columns: readonly PagedColumn<ReorderRecommendation, "urgency">[] = [
    { header: t("Product"), cell: (r) => `${r.name} (${r.sku})` },
    { header: t("Available"), className: "num", cell: (r) => f.qty(r.available, r.unit) },
    {
      header: t("Daily usage"),
      className: "num",
      cell: (r) => t("{{qty}} over {{days}} days", { qty: f.qty(r.average_daily_usage), days: r.usage_window_days }),
    },
    { header: t("Days of stock"), className: "num", sortKey: "urgency", cell: (r) => (r.days_of_stock !== null ? f.qty(r.days_of_stock) : t("No recent use")) },
    { header: t("Lead time (days)"), className: "num", cell: (r) => (r.lead_time_days !== null ? String(r.lead_time_days) : "—") },
    { header: t("Reorder at"), className: "num", cell: (r) => f.qty(r.trigger_level) },
    { header: t("Order up to"), className: "num", cell: (r) => f.qty(r.target_level) },
    { header: t("Order"), className: "num", cell: (r) => <strong>{f.qty(r.recommended_quantity, r.unit)}</strong> },
  ];
  return (
    <Screen title={t("Reorder")}>
      <p className="muted">
        {t("Average daily usage counts sales and treatments, net of returns and voids (never waste). At or below the reorder level, order up to the maximum level (or twice the reorder level).")}
      </p>
      <PagedTable
        label={t("Reorder recommendations")}
        columns={columns}
        page={list.data}
        state={page}
        onState={setPage}
        rowKey={(r) => r.product_id}
        empty={t("Nothing needs ordering.")}
        error={list.error}
        loading={{ pending: list.isLoading, what: t("recommendations") }}
      />
    </Screen>
  );
}
