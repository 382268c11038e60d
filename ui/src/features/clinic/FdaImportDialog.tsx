// Importing an openFDA drug/enforcement report (JSON file): the engine
// matches it against the store's lots and proposes recalls; each proposal
// with matched lots is recorded on its own confirmation. Nothing changes
// until then.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Recall } from "../../bindings/Recall";
import type { RecallProposal } from "../../bindings/RecallProposal";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";

/** A file's text (UTF-8), through FileReader, which every webview has. */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsText(file);
  });
}

export function FdaImportDialog({ onClose, onDone }: { onClose: () => void; onDone: (r: Recall) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const match = useCommandMutation("import_fda_recalls");
  const record = useCommandMutation("record_recall");
  const [recording, setRecording] = useState<string | null>(null);

  async function read(file: File | undefined) {
    if (!file) return;
    match.mutate({ report: await readText(file) });
  }

  function confirm(p: RecallProposal) {
    setRecording(p.recall_number);
    record.mutate(
      {
        batch_ids: p.matches.map((m) => m.batch_id),
        fda_class: p.fda_class,
        reason: p.reason,
        source: p.recalling_firm ? t("FDA ({{firm}})", { firm: p.recalling_firm }) : t("FDA"),
        recall_number: p.recall_number,
        recall_date: p.recall_date && p.recall_date <= f.today() ? p.recall_date : f.today(),
      },
      { onSuccess: onDone, onSettled: () => setRecording(null) },
    );
  }

  const proposals = match.data ?? [];
  return (
    <Dialog title={t("Import an FDA enforcement report")} onClose={onClose} size="large">
      <Field label={t("Report file (openFDA JSON)")}>
        {(id) => <input id={id} type="file" accept=".json,application/json" onChange={(e) => void read(e.target.files?.[0])} />}
      </Field>
      <ErrorMessage error={match.error ?? record.error} />
      {match.isSuccess && (
        <p role="status">
          {t("{{count}} recalls in the report; {{matched}} match lots of this store.", { count: proposals.length, matched: proposals.filter((p) => p.matches.length > 0).length })}
        </p>
      )}
      <ul className="plain proposals">
        {proposals
          .filter((p) => p.matches.length > 0)
          .map((p) => (
            <li key={p.recall_number} data-recall={p.recall_number}>
              <h3>{t("{{number}}, class {{class}}", { number: p.recall_number, class: p.fda_class })}</h3>
              <p>{p.product_description}</p>
              <p className="muted">{p.reason}</p>
              <ul>
                {p.matches.map((m) => (
                  <li key={m.batch_id}>
                    {t("{{product}}, lot {{lot}}, expires {{date}} ({{onHand}} on hand)", { product: m.product_name, lot: m.batch_number, date: f.date(m.expiry_date), onHand: f.qty(m.on_hand) })}
                  </li>
                ))}
              </ul>
              {p.already_recorded ? (
                <p className="muted">{t("Already recorded in this store.")}</p>
              ) : (
                <button type="button" className="danger" disabled={recording !== null} onClick={() => confirm(p)}>
                  {t("Record this recall")}
                </button>
              )}
            </li>
          ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Close")}
        </button>
      </div>
    </Dialog>
  );
}
