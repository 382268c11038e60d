// Each vendor's record with the store (get_vendor_performance): orders,
// on-time rate, lead time and quality, all computed by the engine.
import { useTranslation } from "react-i18next";

import type { VendorPerformance } from "../../bindings/VendorPerformance";
import { DataTable, type Column } from "../../components/DataTable";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";

export function VendorPerformanceTable() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const q = useCommandQuery("get_vendor_performance", {});
  const pct = (v: string | null) => (v === null ? "" : `${v} %`);
  const columns: Column<VendorPerformance>[] = [
    { header: t("Supplier"), cell: (r) => (r.is_preferred ? `${r.name} ★` : r.name) },
    { header: t("Orders sent"), className: "num", cell: (r) => r.orders },
    { header: t("Completed"), className: "num", cell: (r) => r.orders_received },
    { header: t("Cancelled"), className: "num", cell: (r) => r.orders_cancelled },
    { header: t("On time"), className: "num", cell: (r) => pct(r.on_time_rate) },
    {
      header: t("Lead time (days)"),
      className: "num",
      cell: (r) => (r.average_lead_time_days === null ? "" : r.average_lead_time_days),
    },
    { header: t("Delivered"), className: "num", cell: (r) => fmt.qty(r.delivered) },
    { header: t("Damaged or refused"), className: "num", cell: (r) => pct(r.quality_issue_rate) },
  ];
  return (
    <DataTable
      label={t("Vendor performance")}
      columns={columns}
      rows={q.data}
      rowKey={(r) => r.supplier_id}
      empty={t("No vendor has been sent an order yet.")}
      error={q.error}
      loading={{ pending: q.isPending, what: t("vendor performance") }}
    />
  );
}
