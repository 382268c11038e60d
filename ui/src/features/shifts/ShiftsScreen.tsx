// Past shifts: every X and Z report of the store can be found (by till,
// open or closed, dates) and opened or reprinted exactly as it was (the
// engine rebuilds a report from the shift's documents; a Z report carries
// the record head printed the first time).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { ShiftSummary } from "../../bindings/ShiftSummary";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Loading, Screen } from "../../components/Screen";
import { PagedTable, type PagedColumn, type PageState } from "../../components/PagedTable";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { ShiftReportView } from "../till/ReceiptView";
import { CounterPrint } from "../till/CounterPrint";

type NoSort = "opened_at";

export function ShiftsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const [till, setTill] = useState("");
  const [closed, setClosed] = useState<"" | "open" | "closed">("");
  const [state, setState] = useState<PageState<NoSort>>({ sort: "opened_at", descending: true, limit: 50, offset: 0 });
  const [shown, setShown] = useState<ShiftSummary | null>(null);
  const page = useCommandQuery("list_shifts", {
    terminal_id: till.trim() || undefined,
    closed: closed === "" ? undefined : closed === "closed",
    limit: state.limit,
    offset: state.offset,
  }, { placeholderData: (previous) => previous });

  const columns: readonly PagedColumn<ShiftSummary, NoSort>[] = [
    { header: t("Till"), cell: (s) => s.terminal_id },
    { header: t("Opened"), cell: (s) => `${f.instant(s.opened_at)} · ${s.opened_by_name}` },
    { header: t("Closed"), cell: (s) => (s.closed_at ? `${f.instant(s.closed_at)} · ${s.closed_by_name ?? ""}` : t("open")) },
    { header: t("Sales"), className: "num", cell: (s) => f.qty(String(s.sales_count)) },
    { header: t("Takings"), className: "num", cell: (s) => f.money(s.sales_total) },
    { header: t("Returns"), className: "num", cell: (s) => f.money(s.returns_total) },
    { header: t("Over / short"), className: "num", cell: (s) => (s.over_short === null ? "" : f.money(s.over_short)) },
    {
      label: t("Actions"),
      cell: (s) => (
        <button type="button" onClick={() => setShown(s)}>
          {s.closed_at ? t("Z report") : t("X report")}
        </button>
      ),
    },
  ];

  return (
    <Screen title={t("Shifts and reports")}>
      <div className="toolbar">
        <Field label={t("Till")}>
          {(id) => (
            <input
              id={id}
              value={till}
              onChange={(e) => {
                setTill(e.target.value);
                setState({ ...state, offset: 0 });
              }}
              size={12}
            />
          )}
        </Field>
        <Field label={t("Shifts")}>
          {(id) => (
            <select
              id={id}
              value={closed}
              onChange={(e) => {
                setClosed(e.target.value as "" | "open" | "closed");
                setState({ ...state, offset: 0 });
              }}
            >
              <option value="">{t("All")}</option>
              <option value="open">{t("Open")}</option>
              <option value="closed">{t("Closed")}</option>
            </select>
          )}
        </Field>
      </div>
      <PagedTable
        label={t("Shifts")}
        columns={columns}
        page={page.data}
        state={state}
        onState={setState}
        rowKey={(s) => s.shift_id}
        empty={t("No shifts yet.")}
        error={page.error}
        loading={{ pending: page.isPending && !page.data, what: t("shifts") }}
      />
      {shown && <ReportDialog shift={shown} onClose={() => setShown(null)} />}
    </Screen>
  );
}

function ReportDialog({ shift, onClose }: { shift: ShiftSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const report = useCommandQuery("get_shift_report", { shift_id: shift.shift_id });
  const title = shift.closed_at ? t("Z report") : t("X report");
  return (
    <Dialog title={title} onClose={onClose} size="large" dismissOnOutsideClick>
      <ErrorMessage error={report.error} />
      {report.isLoading && <Loading what={title} />}
      {report.data && <ShiftReportView report={report.data} />}
      <div className="dialog-actions no-print">
        {report.data && <CounterPrint document="shift" id={shift.shift_id} label={t("Print again")} />}
      </div>
    </Dialog>
  );
}
