// The movement log (get_movement_log): adjustments, write-offs, returns to
// the supplier, transfers and count variances over a period, newest first,
// one row per batch moved with its signed quantity and value, paged.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { GetMovementLog } from "../../bindings/GetMovementLog";
import type { Movement } from "../../bindings/Movement";
import type { MovementKind } from "../../bindings/MovementKind";
import type { Column } from "../../components/DataTable";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { ProductPicker } from "../../components/ProductPicker";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { MOVEMENT_KINDS, movementKindLabel } from "./labels";
import { ChoiceField, defaultPeriod, ExportButton, Filters, opt, pageOf, PeriodFields, Totals, andFirstPage } from "./parts";

export function MovementLogReport() {
  const { t } = useTranslation();
  const f = useFormat();
  const [period] = useState(() => defaultPeriod(f));
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [kind, setKind] = useState<MovementKind | "">("");
  const [productId, setProductId] = useState("");
  const [page, setPage] = useState<PageState<"at">>({ sort: "at", descending: true, limit: 100, offset: 0 });
  const first = () => setPage((p) => ({ ...p, offset: 0 }));

  const filters: GetMovementLog = { from: opt(from), to: opt(to), kind: kind || undefined, product_id: opt(productId) };
  const report = useCommandQuery("get_movement_log", { ...filters, limit: page.limit, offset: page.offset }, { placeholderData: (previous) => previous });
  const r = report.data;

  const columns: Column<Movement>[] = [
    { header: t("When"), cell: (m) => f.instant(m.at) },
    { header: t("Kind"), cell: (m) => movementKindLabel(t, m.kind) },
    { header: t("Detail"), cell: (m) => m.detail },
    {
      header: t("Product"),
      cell: (m) => (
        <>
          {m.product_name} <span className="muted small">{m.sku}</span>
        </>
      ),
    },
    { header: t("Batch"), cell: (m) => m.batch_number },
    { header: t("Quantity"), className: "num", cell: (m) => f.qty(m.quantity, m.unit) },
    { header: t("Unit cost"), className: "num", cell: (m) => f.money(m.unit_cost) },
    { header: t("Value"), className: "num", cell: (m) => f.money(m.value) },
    { header: t("By"), cell: (m) => m.user_name ?? "" },
  ];

  return (
    <>
      <Filters label={t("Movement filters")}>
        <PeriodFields
          from={from}
          to={to}
          onFrom={andFirstPage(setFrom, first)}
          onTo={andFirstPage(setTo, first)}
        />
        <ChoiceField
          label={t("Kind")}
          name="kind"
          value={kind}
          onChange={andFirstPage(setKind, first)}
          options={[{ value: "" as const, label: t("All kinds") }, ...MOVEMENT_KINDS.map((k) => ({ value: k, label: movementKindLabel(t, k) }))]}
        />
        <ProductPicker
          value={productId}
          allowAll
          onChange={andFirstPage(setProductId, first)}
        />
      </Filters>
      <ExportButton request={{ report: "movement_log", ...filters }} />
      {r && (
        <>
          <p className="muted">{t("From {{from}} to {{to}}, newest first. Negative quantities left the store.", { from: f.date(r.from), to: f.date(r.to) })}</p>
          <Totals
            label={t("Movement totals")}
            items={[
              { label: t("Movements"), value: f.qty(String(r.total_rows)), testId: "movements-total-rows" },
              { label: t("Net value"), value: f.money(r.total_value), testId: "movements-total-value" },
            ]}
          />
        </>
      )}
      <PagedTable
        label={t("Stock movements")}
        columns={columns}
        page={pageOf(r?.rows, r?.total_rows)}
        state={page}
        onState={(next) => setPage({ ...next, sort: "at", descending: true })}
        rowKey={(m) => `${m.kind}-${m.document_id}-${m.batch_id}-${m.at}`}
        rowAttributes={(m) => ({ "data-kind": m.kind, "data-batch": m.batch_number })}
        empty={t("No stock moved in this period.")}
        error={report.error}
        loading={{ pending: report.isPending, what: t("movements") }}
      />
    </>
  );
}
