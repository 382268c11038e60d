// The clinic's report (managers): for a period, per product the vials
// opened, units used and wasted, revenue, costs, profit and margin, with
// the totals and the waste by reason; below it the clinic's settings (the
// vial windows per product and when an open vial raises a reminder).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { ClinicReportLine } from "../../bindings/ClinicReportLine";
import { BarChart } from "../../components/BarChart";
import { DataTable, type Column } from "../../components/DataTable";
import { DateField } from "../../components/DateField";
import { Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { ClinicSettingsPanel } from "./ClinicSettingsPanel";
import { wasteReasonLabel } from "./labels";

export function ClinicReportScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const today = f.today();
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const fromAt = f.dayStart(from);
  const toAt = f.dayStart(to, true);
  const report = useCommandQuery("get_clinic_report", { from: fromAt ?? "", to: toAt ?? "" }, { enabled: Boolean(fromAt && toAt) });
  const r = report.data;

  const columns: readonly Column<ClinicReportLine>[] = [
    { header: t("Product"), cell: (l) => l.product_name },
    { header: t("Vials opened"), className: "num", cell: (l) => f.qty(String(l.vials_opened)) },
    { header: t("Units used"), className: "num", cell: (l) => f.qty(l.units_used) },
    { header: t("Units wasted"), className: "num", cell: (l) => f.qty(l.units_wasted) },
    { header: t("Revenue"), className: "num", cell: (l) => f.money(l.revenue) },
    { header: t("Cost of units used"), className: "num", cell: (l) => f.money(l.used_cost) },
    { header: t("Waste cost"), className: "num", cell: (l) => f.money(l.waste_cost) },
    { header: t("Profit"), className: "num", cell: (l) => f.money(l.profit) },
    { header: t("Margin"), className: "num", cell: (l) => (l.margin_percent === null ? "—" : f.percent(l.margin_percent)) },
  ];

  return (
    <Screen title={t("Clinic report")}>
      <div className="toolbar">
        <DateField label={t("From")} value={from} onChange={setFrom} max={to || undefined} />
        <DateField label={t("To")} value={to} onChange={setTo} min={from || undefined} />
      </div>
      <DataTable
        label={t("Clinic report by product")}
        columns={columns}
        rows={r ? (r.lines.length > 0 ? [...r.lines, { ...r.total, product_id: "total", product_name: t("All products") }] : []) : undefined}
        rowKey={(l) => l.product_id}
        rowAttributes={(l) => ({ className: l.product_id === "total" ? "total" : undefined, "data-product": l.product_id })}
        empty={t("Nothing in this period.")}
        error={report.error}
        loading={{ pending: report.isLoading, what: t("the clinic report") }}
      />
      {r && r.waste_by_reason.length > 0 && (
        <section aria-label={t("Waste by reason")}>
          <h2>{t("Waste by reason")}</h2>
          <BarChart
            label={t("Waste cost by reason")}
            xLabel={t("Reason")}
            categories={r.waste_by_reason.map((w) => wasteReasonLabel(t, w.reason))}
            series={[{ label: t("Waste cost"), color: "var(--chart-2, #b3261e)", values: r.waste_by_reason.map((w) => w.cost) }]}
            format={f.money}
          />
          <DataTable
            label={t("Waste by reason")}
            columns={[
              { header: t("Reason"), cell: (w) => wasteReasonLabel(t, w.reason) },
              { header: t("Records"), className: "num", cell: (w) => f.qty(String(w.records)) },
              { header: t("Cost"), className: "num", cell: (w) => f.money(w.cost) },
            ]}
            rows={r.waste_by_reason}
            rowKey={(w) => w.reason}
          />
        </section>
      )}
      <ClinicSettingsPanel />
    </Screen>
  );
}
