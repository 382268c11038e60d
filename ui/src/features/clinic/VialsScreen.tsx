// Open vials: the practitioners' home in the clinic. On open it runs the
// sweep (vials past their window close, their remainder wasted), then lists
// the open vials with their units, the clock that applies, the time left
// and a reminder badge. A vial opens its detail (draws, waste, economics,
// Draw / Waste / Close); "Open a vial" starts a new one.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import type { VialSession } from "../../bindings/VialSession";
import type { VialSweep } from "../../bindings/VialSweep";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { clockLabel, minutesLeftLabel } from "./labels";
import { OpenVialDialog } from "./OpenVialDialog";
import { UnitsBar } from "./UnitsBar";
import { VialDetailDialog } from "./VialDetailDialog";

export function VialsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const sweep = useCommandMutation("sweep_vials");
  const [swept, setSwept] = useState<VialSweep | null>(null);
  const [sweepDone, setSweepDone] = useState(false);
  const [opening, setOpening] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  const [notice, setNotice] = useState("");

  // Sweep once when the screen opens, before the list is read, so that no
  // vial past its window is offered for a draw.
  const runSweep = sweep.mutate;
  useEffect(() => {
    runSweep({}, { onSuccess: (r) => setSwept(r), onSettled: () => setSweepDone(true) });
  }, [runSweep]);

  const list = useCommandQuery("list_vial_sessions", { status: "active", limit: 500 }, { enabled: sweepDone });

  const columns: readonly Column<VialSession>[] = [
    {
      header: t("Product"),
      cell: (v) => (
        <button type="button" className="link" onClick={() => setShown(v.session_id)} translate="no">
          {v.product_name}
        </button>
      ),
    },
    { header: t("Lot"), cell: (v) => <span translate="no">{v.batch_number}</span> },
    { header: t("Units"), cell: (v) => <UnitsBar session={v} /> },
    { header: t("Clock"), cell: (v) => clockLabel(t, v.clock) },
    {
      header: t("Time left"),
      cell: (v) => (
        <>
          {minutesLeftLabel(t, v.minutes_left)}
          {v.usable_until && <small className="muted"> · {t("until {{time}}", { time: f.instant(v.usable_until) })}</small>}
        </>
      ),
    },
    { header: t("Opened"), cell: (v) => `${f.instant(v.opened_at)} · ${v.opened_by_name}` },
    {
      header: t("Reminder"),
      cell: (v) => (v.reminder_due ? <span className="badge exp-within7">{t("Open long, no recent draw")}</span> : null),
    },
  ];

  const rows = list.data?.rows;
  return (
    <Screen
      title={t("Open vials")}
      actions={
        mayRun("open_vial_session") && (
          <button type="button" className="primary" onClick={() => setOpening(true)}>
            {t("Open a vial…")}
          </button>
        )
      }
    >
      <ErrorMessage error={sweep.error} />
      {swept && swept.closed.length > 0 && (
        <p className="notice" role="status">
          {t("{{count}} vials past their window were closed and their remainder recorded as waste.", { count: swept.closed.length })}
        </p>
      )}
      <Notice>{notice}</Notice>
      <DataTable
        label={t("Open vials")}
        columns={columns}
        rows={rows}
        rowKey={(v) => v.session_id}
        rowAttributes={(v) => ({ "data-session": v.session_id })}
        empty={t("No vial is open.")}
        error={list.error}
        loading={{ pending: !sweepDone || list.isLoading, what: t("open vials") }}
      />
      {opening && (
        <OpenVialDialog
          onClose={() => setOpening(false)}
          onOpened={(s) => {
            setOpening(false);
            setNotice(t("Opened a vial of {{product}} from lot {{lot}}.", { product: s.product_name, lot: s.batch_number }));
            void list.refetch();
            setShown(s.session_id);
          }}
        />
      )}
      {shown && (
        <VialDetailDialog
          sessionId={shown}
          onClose={() => {
            setShown(null);
            void list.refetch();
          }}
        />
      )}
    </Screen>
  );
}
