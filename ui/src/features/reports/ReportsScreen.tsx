// Reports (issue 14): the manager's reading of the store, one tab per
// report — stock valuation, batch aging and slow movers, expiry risk, the
// movement log, waste, sales and margin, and vendor performance. Every
// figure is the engine's (get_stock_valuation … get_sales_report,
// get_vendor_performance), formatted in the store's locale; each report has
// its filters, its totals over every page, "Export CSV" (export_report_csv
// with the same filters) and can be printed without the navigation and
// the filters.
import { useState, type ReactNode } from "react";
import { Tab, TabList, TabPanel, Tabs, type Key } from "react-aria-components";
import { useTranslation } from "react-i18next";

import { Screen } from "../../components/Screen";
import { useMayRun } from "../../lib/permissions";
import { VendorPerformanceTable } from "../purchasing/VendorPerformanceTable";
import { BatchAgingReport } from "./BatchAgingReport";
import { ExpiryRiskReport } from "./ExpiryRiskReport";
import { MovementLogReport } from "./MovementLogReport";
import { SalesReport } from "./SalesReport";
import { StockValuationReport } from "./StockValuationReport";
import { WasteReport } from "./WasteReport";

export type ReportId = "valuation" | "aging" | "expiry" | "movements" | "waste" | "sales" | "vendors";

export function ReportsScreen({ initialReport = "valuation" }: { initialReport?: ReportId }) {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const [report, setReport] = useState<Key>(initialReport);

  const reports: { id: ReportId; name: string; body: () => ReactNode; shown: boolean }[] = [
    { id: "valuation", name: t("Stock valuation"), body: () => <StockValuationReport />, shown: mayRun("get_stock_valuation") },
    { id: "aging", name: t("Batch aging"), body: () => <BatchAgingReport />, shown: mayRun("get_batch_aging") },
    { id: "expiry", name: t("Expiry risk"), body: () => <ExpiryRiskReport />, shown: mayRun("get_expiry_risk") },
    { id: "movements", name: t("Movements"), body: () => <MovementLogReport />, shown: mayRun("get_movement_log") },
    { id: "waste", name: t("Waste"), body: () => <WasteReport />, shown: mayRun("get_waste_report") },
    { id: "sales", name: t("Sales"), body: () => <SalesReport />, shown: mayRun("get_sales_report") },
    { id: "vendors", name: t("Vendors"), body: () => <VendorPerformanceTable />, shown: mayRun("get_vendor_performance") },
  ];
  const shown = reports.filter((r) => r.shown);

  return (
    <Screen
      title={t("Reports")}
      actions={
        <button type="button" className="no-print" onClick={() => window.print()}>
          {t("Print")}
        </button>
      }
    >
      <Tabs className="report-tabs" selectedKey={report} onSelectionChange={setReport}>
        <TabList className="tab-list no-print" aria-label={t("Reports")}>
          {shown.map((r) => (
            <Tab key={r.id} id={r.id} className="tab" data-report={r.id}>
              {r.name}
            </Tab>
          ))}
        </TabList>
        {shown.map((r) => (
          <TabPanel key={r.id} id={r.id} className="tab-panel printable report-print" data-testid={`report-${r.id}`}>
            <h2>{r.name}</h2>
            {r.body()}
          </TabPanel>
        ))}
      </Tabs>
    </Screen>
  );
}
