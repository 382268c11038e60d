// One vial: its draws per patient with areas, its waste, its economics and
// both clocks (which applies), with Draw / Waste / Close while it is open.
// One dialog at a time: an action replaces the detail and returns to it.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { TreatmentArea } from "../../bindings/TreatmentArea";
import type { VialSessionDetail } from "../../bindings/VialSessionDetail";
import { DataTable } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Loading } from "../../components/Screen";
import { shiftDecimal } from "../../lib/decimal";
import { useFormat, type Formatters } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandQuery } from "../../lib/queries";
import { CloseVialDialog } from "./CloseVialDialog";
import { DrawDialog } from "./DrawDialog";
import { clockLabel, closeReasonLabel, minutesLeftLabel, vialStatusLabel, wasteReasonLabel } from "./labels";
import { UnitsBar } from "./UnitsBar";
import { WasteDialog } from "./WasteDialog";

type Action = "draw" | "waste" | "close";

/** "Glabellar lines 20 · Forehead 12.5". */
export function areasText(f: Formatters, areas: readonly TreatmentArea[]): string {
  return areas.map((a) => `${a.area} ${f.qty(a.units)}`).join(" · ");
}

export function VialDetailDialog({ sessionId, onClose }: { sessionId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const detail = useCommandQuery("get_vial_session", { session_id: sessionId });
  const [action, setAction] = useState<Action | null>(null);
  const d = detail.data;
  const back = () => {
    setAction(null);
    void detail.refetch();
  };

  if (d && action === "draw") return <DrawDialog session={d.session} onClose={() => setAction(null)} onDone={back} onCloseVial={() => setAction("close")} />;
  if (d && action === "waste") return <WasteDialog session={d.session} onClose={() => setAction(null)} onDone={back} />;
  if (d && action === "close") return <CloseVialDialog session={d.session} onClose={() => setAction(null)} onDone={back} />;

  const open = d?.session.status === "active";
  return (
    <Dialog title={d ? t("Vial of {{product}}, lot {{lot}}", { product: d.session.product_name, lot: d.session.batch_number }) : t("Vial")} onClose={onClose} size="large">
      {detail.isLoading && <Loading what={t("the vial")} />}
      <ErrorMessage error={detail.error} />
      {d && <VialDetailBody d={d} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        {open && mayRun("close_vial_session") && (
          <button type="button" className="danger" onClick={() => setAction("close")}>
            {t("Close vial…")}
          </button>
        )}
        {open && mayRun("record_waste") && (
          <button type="button" onClick={() => setAction("waste")}>
            {t("Waste…")}
          </button>
        )}
        {open && mayRun("record_treatment") && (
          <button type="button" className="primary" onClick={() => setAction("draw")}>
            {t("Draw…")}
          </button>
        )}
      </div>
    </Dialog>
  );
}

function VialDetailBody({ d }: { d: VialSessionDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = d.session;
  const e = s.economics;
  return (
    <>
      <div className="vial-facts">
        <dl className="preview" aria-label={t("Vial")}>
          <dt>{t("State")}</dt>
          <dd>{s.close_reason ? `${vialStatusLabel(t, s.status)} · ${closeReasonLabel(t, s.close_reason)}` : vialStatusLabel(t, s.status)}</dd>
          <dt>{t("Units")}</dt>
          <dd>
            <UnitsBar session={s} />
          </dd>
          {s.units_per_ml && (
            <>
              <dt>{t("Strength")}</dt>
              <dd>
                {t("{{tenth}} per 0.1 mL ({{units}} per mL; {{diluent}}, {{volume}} mL)", {
                  tenth: f.qty(shiftDecimal(s.units_per_ml, 1), s.unit),
                  units: f.qty(s.units_per_ml),
                  diluent: s.diluent ?? "",
                  volume: f.qty(s.diluent_volume_ml),
                })}
              </dd>
            </>
          )}
          <dt>{t("Opened")}</dt>
          <dd>{`${f.instant(s.opened_at)} · ${s.opened_by_name}`}</dd>
        </dl>
        <dl className="preview" aria-label={t("Clocks")}>
          <dt>{t("Label's beyond-use time")}</dt>
          <dd>{s.label_until ? f.instant(s.label_until) : t("None")}</dd>
          <dt>{t("Clinic's window")}</dt>
          <dd>
            {s.policy_until
              ? t("{{until}} ({{hours}} h: {{reason}})", { until: f.instant(s.policy_until), hours: s.policy_hours ?? "", reason: s.policy_reason ?? "" })
              : t("None")}
          </dd>
          <dt>{t("Applies")}</dt>
          <dd data-testid="clock-applies">{clockLabel(t, s.clock)}</dd>
          {s.status === "active" && (
            <>
              <dt>{t("Time left")}</dt>
              <dd>{minutesLeftLabel(t, s.minutes_left)}</dd>
            </>
          )}
        </dl>
        <dl className="economics" aria-label={t("Economics")}>
          <dt>{t("Cost per unit")}</dt>
          <dd>{f.money(e.cost_per_unit)}</dd>
          <dt>{t("Vial cost")}</dt>
          <dd>{f.money(e.vial_cost)}</dd>
          <dt>{t("Revenue")}</dt>
          <dd data-testid="vial-revenue">{f.money(e.revenue)}</dd>
          <dt>{t("Waste cost")}</dt>
          <dd data-testid="vial-waste-cost">{f.money(e.waste_cost)}</dd>
          <dt>{t("Profit")}</dt>
          <dd data-testid="vial-profit">{f.money(e.profit)}</dd>
          <dt>{t("Margin")}</dt>
          <dd data-testid="vial-margin">{e.margin_percent === null ? "—" : f.percent(e.margin_percent)}</dd>
        </dl>
      </div>
      <h3>{t("Draws")}</h3>
      <DataTable
        label={t("Draws")}
        columns={[
          { header: t("When"), cell: (d) => f.instant(d.treated_at) },
          { header: t("Patient"), cell: (d) => (d.chart_id ? `${d.patient_name} (${d.chart_id})` : d.patient_name) },
          { header: t("Practitioner"), cell: (d) => d.practitioner_name },
          { header: t("Areas"), cell: (d) => areasText(f, d.areas) },
          { header: t("Units"), className: "num", cell: (d) => f.qty(d.lots.find((l) => l.session_id === s.session_id)?.quantity ?? d.total) },
          { header: t("Revenue"), className: "num", cell: (d) => f.money(d.revenue) },
        ]}
        rows={d.draws}
        rowKey={(d) => d.treatment_id}
        empty={t("Nothing drawn yet.")}
      />
      <h3>{t("Waste")}</h3>
      <DataTable
        label={t("Waste")}
        columns={[
          { header: t("When"), cell: (w) => f.instant(w.recorded_at) },
          { header: t("Reason"), cell: (w) => wasteReasonLabel(t, w.reason) },
          { header: t("Units"), className: "num", cell: (w) => f.qty(w.quantity) },
          { header: t("Cost"), className: "num", cell: (w) => f.money(w.cost) },
          { header: t("Notes"), cell: (w) => w.notes ?? "" },
        ]}
        rows={d.waste}
        rowKey={(w) => w.waste_id}
        empty={t("No waste.")}
      />
    </>
  );
}
