// A lot's trace: every patient it was used on (with their contact details:
// the list a clinic calls in a recall), every sale it left in, its waste.
// Print gives the print-styled view; Export CSV saves the engine's CSV
// (headed as holding patient data). The view and the export are logged by
// the engine.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { LotTrace } from "../../bindings/LotTrace";
import { DataTable } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Loading } from "../../components/Screen";
import { useSaveText } from "../../lib/download";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { wasteReasonLabel } from "./labels";

export function TraceDialog({ batchId, onClose }: { batchId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const trace = useCommandQuery("trace_lot", { batch_id: batchId });
  const exportCsv = useCommandMutation("export_lot_trace_csv");
  const saver = useSaveText();
  const [saved, setSaved] = useState("");
  const d = trace.data;
  return (
    <Dialog title={d ? t("Trace of lot {{lot}} ({{product}})", { lot: d.batch_number, product: d.product_name }) : t("Trace")} onClose={onClose} size="large">
      {trace.isLoading && <Loading what={t("the trace")} />}
      <ErrorMessage error={trace.error ?? exportCsv.error ?? saver.error} />
      {saved && <p role="status">{t("Saved to {{path}}.", { path: saved })}</p>}
      {d && <TraceBody d={d} />}
      <div className="dialog-actions no-print">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        <button
          type="button"
          disabled={!d || exportCsv.isPending}
          onClick={() =>
            d &&
            exportCsv.mutate(
              { batch_id: batchId },
              { onSuccess: (r) => void saver.mutateAsync({ text: r.csv, fileName: `trace-${d.batch_number}.csv` }).then(setSaved, () => null) },
            )
          }
        >
          {t("Export CSV")}
        </button>
        <button type="button" className="primary" disabled={!d} onClick={() => window.print()}>
          {t("Print")}
        </button>
      </div>
    </Dialog>
  );
}

function TraceBody({ d }: { d: LotTrace }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="printable trace-print" data-testid="trace">
      <p>
        {t("{{product}}, lot {{lot}}, expires {{date}}: {{received}} received, {{onHand}} on hand.", {
          product: d.product_name,
          lot: d.batch_number,
          date: f.date(d.expiry_date),
          received: f.qty(d.received),
          onHand: f.qty(d.on_hand),
        })}{" "}
        {d.recall_class && <strong>{t("Recalled, class {{class}}.", { class: d.recall_class })}</strong>}
      </p>
      <h3>{t("Patients ({{count}})", { count: d.patients })}</h3>
      <DataTable
        label={t("Patients")}
        columns={[
          { header: t("When"), cell: (u) => f.instant(u.used_at) },
          { header: t("Patient"), cell: (u) => u.patient_name },
          { header: t("Date of birth"), cell: (u) => f.date(u.date_of_birth) },
          { header: t("Chart id"), cell: (u) => u.chart_id ?? "" },
          { header: t("Phone"), cell: (u) => u.phone ?? "" },
          { header: t("Email"), cell: (u) => u.email ?? "" },
          { header: t("Units"), className: "num", cell: (u) => f.qty(u.quantity) },
          { header: t("Practitioner"), cell: (u) => u.practitioner_name },
          { header: t("Appointment"), cell: (u) => u.appointment_ref ?? "" },
        ]}
        rows={d.uses}
        rowKey={(u) => `${u.treatment_id}-${u.session_id ?? ""}`}
        empty={t("Not used on any patient.")}
      />
      <h3>{t("Sales")}</h3>
      <DataTable
        label={t("Sales")}
        columns={[
          { header: t("When"), cell: (s) => f.instant(s.at) },
          { header: t("Sale"), cell: (s) => s.reference ?? "" },
          { header: t("Quantity"), className: "num", cell: (s) => f.qty(s.quantity) },
          { header: t("By"), cell: (s) => s.user_name },
        ]}
        rows={d.sales}
        rowKey={(s) => `${s.at}-${s.reference ?? ""}-${s.change}`}
        empty={t("Not sold.")}
      />
      <h3>{t("Waste")}</h3>
      <DataTable
        label={t("Waste")}
        columns={[
          { header: t("When"), cell: (w) => f.instant(w.recorded_at) },
          { header: t("Reason"), cell: (w) => wasteReasonLabel(t, w.reason) },
          { header: t("Quantity"), className: "num", cell: (w) => f.qty(w.quantity) },
          { header: t("Cost"), className: "num", cell: (w) => f.money(w.cost) },
        ]}
        rows={d.waste}
        rowKey={(w) => w.waste_id}
        empty={t("No waste.")}
      />
    </div>
  );
}
