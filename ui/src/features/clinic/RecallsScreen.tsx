// Recalls (managers): the store's recalls with their lots, each lot traced
// to the patients and sales it reached; record a recall by hand or from an
// FDA enforcement report (proposals matched to the store's lots, each
// confirmed on its own).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Recall } from "../../bindings/Recall";
import { DataTable, type Column } from "../../components/DataTable";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandQuery } from "../../lib/queries";
import { FdaImportDialog } from "./FdaImportDialog";
import { RecordRecallDialog } from "./RecordRecallDialog";
import { TraceDialog } from "./TraceDialog";

export function RecallsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const list = useCommandQuery("list_recalls", {});
  const [dialog, setDialog] = useState<"record" | "import" | null>(null);
  const [traced, setTraced] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const done = (r: Recall) => {
    setDialog(null);
    setNotice(t("Recorded the class {{class}} recall of {{count}} lots.", { class: r.fda_class, count: r.lots.length }));
    void list.refetch();
  };

  const columns: readonly Column<Recall>[] = [
    { header: t("Date"), cell: (r) => f.date(r.recall_date) },
    { header: t("Class"), cell: (r) => <span className={r.fda_class === "I" ? "badge bad" : "badge"}>{t("Class {{class}}", { class: r.fda_class })}</span> },
    { header: t("Number"), cell: (r) => r.recall_number ?? "" },
    { header: t("Reason"), cell: (r) => r.reason },
    { header: t("Source"), cell: (r) => r.source },
    {
      header: t("Lots"),
      cell: (r) => (
        <ul className="plain">
          {r.lots.map((l) => (
            <li key={l.batch_id}>
              {t("{{product}}, lot {{lot}} ({{onHand}} on hand)", { product: l.product_name, lot: l.batch_number, onHand: f.qty(l.on_hand) })}{" "}
              {mayRun("trace_lot") && (
                <button type="button" className="link" onClick={() => setTraced(l.batch_id)} aria-label={t("Trace lot {{lot}}", { lot: l.batch_number })}>
                  {t("Trace")}
                </button>
              )}
            </li>
          ))}
        </ul>
      ),
    },
  ];

  return (
    <Screen
      title={t("Recalls")}
      actions={
        mayRun("record_recall") && (
          <>
            <button type="button" onClick={() => setDialog("import")}>
              {t("Import FDA report…")}
            </button>
            <button type="button" className="primary" onClick={() => setDialog("record")}>
              {t("Record recall…")}
            </button>
          </>
        )
      }
    >
      <Notice>{notice}</Notice>
      <DataTable
        label={t("Recalls")}
        columns={columns}
        rows={list.data}
        rowKey={(r) => r.recall_id}
        empty={t("No recall recorded.")}
        error={list.error}
        loading={{ pending: list.isLoading, what: t("recalls") }}
      />
      {dialog === "record" && <RecordRecallDialog onClose={() => setDialog(null)} onDone={done} />}
      {dialog === "import" && <FdaImportDialog onClose={() => setDialog(null)} onDone={done} />}
      {traced && <TraceDialog batchId={traced} onClose={() => setTraced(null)} />}
    </Screen>
  );
}
