// The waste report (get_waste_report): clinic waste, write-offs and returns
// wasted over a period, by source and reason, and per product (paged,
// costliest first).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { GetWasteReport } from "../../bindings/GetWasteReport";
import type { WasteByProduct } from "../../bindings/WasteByProduct";
import type { WasteSource } from "../../bindings/WasteSource";
import { DataTable, type Column } from "../../components/DataTable";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { ProductPicker } from "../../components/ProductPicker";
import { Field } from "../../components/Field";
import type { WasteReportReason } from "../../bindings/WasteReportReason";
import { WASTE_REASONS } from "../clinic/labels";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { WASTE_SOURCES, wasteReasonText, wasteSourceLabel } from "./labels";
import { ChoiceField, defaultPeriod, ExportButton, Filters, opt, pageOf, PeriodFields, Totals, andFirstPage } from "./parts";

/** One row of `by_reason`: waste by where it came from and why. */
type ReasonRow = WasteReportReason;

export function WasteReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const [period] = useState(() => defaultPeriod(f));
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [source, setSource] = useState<WasteSource | "">("");
  const [reason, setReason] = useState("");
  const [productId, setProductId] = useState("");
  const [page, setPage] = useState<PageState<"cost">>({ sort: "cost", descending: true, limit: 100, offset: 0 });
  const first = () => setPage((p) => ({ ...p, offset: 0 }));

  const filters: GetWasteReport = { from: opt(from), to: opt(to), source: source || undefined, reason: opt(reason), product_id: opt(productId) };
  const report = useCommandQuery("get_waste_report", { ...filters, limit: page.limit, offset: page.offset }, { placeholderData: (previous) => previous });
  const r = report.data;
  const reasons = r ? r.by_reason : undefined;
  // The clinic's reasons and returns always; a write-off's reason (free text) once the report has shown it.
  const [seen, setSeen] = useState<readonly string[]>([]);
  const fresh = (reasons ?? []).map((x) => x.reason).filter((x) => !seen.includes(x));
  if (fresh.length > 0) setSeen([...seen, ...fresh]);
  const reasonChoices = [...new Set([...WASTE_REASONS, "return", ...seen, ...(reason ? [reason] : [])])];

  const reasonColumns: Column<ReasonRow>[] = [
    { header: t("Source"), cell: (w) => wasteSourceLabel(t, w.source) },
    { header: t("Reason"), cell: (w) => wasteReasonText(t, w.reason) },
    { header: t("Records"), className: "num", cell: (w) => f.qty(String(w.records)) },
    { header: t("Quantity"), className: "num", cell: (w) => f.qty(w.quantity) },
    { header: t("Cost"), className: "num", cell: (w) => f.money(w.cost) },
  ];
  const productColumns: Column<WasteByProduct>[] = [
    {
      header: t("Product"),
      cell: (p) => (
        <>
          {p.name} <span className="muted small">{p.sku}</span>
        </>
      ),
    },
    { header: t("Records"), className: "num", cell: (p) => f.qty(String(p.records)) },
    { header: t("Quantity"), className: "num", cell: (p) => f.qty(p.quantity, p.unit) },
    { header: t("Cost"), className: "num", cell: (p) => f.money(p.cost) },
  ];

  return (
    <>
      <Filters label={t("Waste filters")}>
        <PeriodFields
          from={from}
          to={to}
          onFrom={andFirstPage(setFrom, first)}
          onTo={andFirstPage(setTo, first)}
        />
        <ChoiceField
          label={t("Source")}
          name="source"
          value={source}
          onChange={andFirstPage(setSource, first)}
          options={[{ value: "" as const, label: t("All sources") }, ...WASTE_SOURCES.map((s) => ({ value: s, label: wasteSourceLabel(t, s) }))]}
        />
        <Field label={t("Reason")}>
          {(id) => (
            <select
              id={id}
              name="reason"
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                first();
              }}
            >
              <option value="">{t("All reasons")}</option>
              {reasonChoices.map((x) => (
                <option key={x} value={x} translate={wasteReasonText(t, x) === x ? "no" : undefined}>
                  {wasteReasonText(t, x)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ProductPicker
          value={productId}
          allowAll
          onChange={andFirstPage(setProductId, first)}
        />
      </Filters>
      <ExportButton request={{ report: "waste_report", ...filters }} />
      {r && (
        <>
          <p className="muted">{t("From {{from}} to {{to}}, at cost.", { from: f.date(r.from), to: f.date(r.to) })}</p>
          <Totals
            label={t("Waste totals")}
            items={[
              { label: t("Cost of waste"), value: f.money(r.total_cost), testId: "waste-total-cost" },
              { label: t("Records"), value: f.qty(String(r.total_records)), testId: "waste-total-records" },
              { label: t("Products"), value: f.qty(String(r.total_products)), testId: "waste-total-products" },
            ]}
          />
        </>
      )}
      <h3>{t("Waste by reason")}</h3>
      <DataTable
        label={t("Waste by source and reason")}
        columns={reasonColumns}
        rows={reasons}
        rowKey={(w) => `${w.source}-${w.reason}`}
        rowAttributes={(w) => ({ "data-reason": w.reason })}
        empty={t("No waste in this period.")}
        error={report.error}
        loading={{ pending: report.isPending, what: t("the waste report") }}
      />
      <h3>{t("Waste by product")}</h3>
      <PagedTable
        label={t("Waste by product")}
        columns={productColumns}
        page={pageOf(r?.products, r?.total_products)}
        state={page}
        onState={(next) => setPage({ ...next, sort: "cost", descending: true })}
        rowKey={(p) => p.product_id}
        rowAttributes={(p) => ({ "data-product": p.sku })}
        empty={t("No waste in this period.")}
        loading={{ pending: report.isPending, what: t("waste by product") }}
      />
    </>
  );
}
