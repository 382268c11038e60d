// A count's next steps, each shown only in the status the engine takes it
// from and only to a role that may run it: start (draft), complete (in
// progress; lines not counted are refused unless recorded as zero on
// purpose), approve (completed, manager; needed when a variance passes the
// store's thresholds), post (completed without approval pending, or
// approved; manager), cancel with a reason (draft, in progress, completed;
// manager). Refusals show where the button is. After posting, what posting
// did: lines applied, lines that moved stock, and lines flagged (not applied).
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { CountSummary } from "../../bindings/CountSummary";
import type { PostedCount } from "../../bindings/PostedCount";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation } from "../../lib/queries";

export function CountActions({ count, onChanged }: { count: CountSummary; onChanged: (message: string, posted?: PostedCount) => void }) {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const start = useCommandMutation("start_count");
  const complete = useCommandMutation("complete_count");
  const approve = useCommandMutation("approve_count");
  const post = useCommandMutation("post_count");
  const cancel = useCommandMutation("cancel_count");
  const [asZero, setAsZero] = useState(false);
  const [approveNotes, setApproveNotes] = useState("");
  const [reason, setReason] = useState("");
  const facts = { number: count.number };
  const id = { count_id: count.id };
  const error = start.error ?? complete.error ?? approve.error ?? post.error;
  const s = count.status;
  const mayPost = (s === "completed" && !count.needs_approval) || s === "approved";
  return (
    <div className="actions" aria-label={t("Count actions")} role="group">
      <ErrorMessage error={error} />
      {s === "draft" && mayRun("start_count") && (
        <button
          type="button"
          className="primary"
          disabled={start.isPending}
          onClick={() => start.mutateAsync(id).then(() => onChanged(t("Count {{number}} started: system quantities taken now.", facts)), () => null)}
        >
          {t("Start counting")}
        </button>
      )}
      {s === "in_progress" && mayRun("complete_count") && (
        <>
          <label className="checkbox">
            <input type="checkbox" checked={asZero} onChange={(e) => setAsZero(e.target.checked)} /> {t("Record lines not counted as counted zero")}
          </label>
          <button
            type="button"
            className="primary"
            disabled={complete.isPending}
            onClick={() =>
              complete
                .mutateAsync({ ...id, uncounted_as_zero: asZero || undefined })
                .then(
                  (c) =>
                    onChanged(
                      c.needs_approval
                        ? t("Count {{number}} completed; its variances wait for a manager's approval.", facts)
                        : t("Count {{number}} completed.", facts),
                    ),
                  () => null,
                )
            }
          >
            {t("Complete the count")}
          </button>
        </>
      )}
      {s === "completed" && mayRun("approve_count") && (
        <form
          aria-label={t("Approve the count")}
          onSubmit={(e) => {
            e.preventDefault();
            approve.mutateAsync({ ...id, notes: optional(approveNotes) }).then(() => onChanged(t("Count {{number}} approved.", facts)), () => null);
          }}
        >
          <Field label={t("Approval note (optional)")}>{(fid) => <input id={fid} value={approveNotes} onChange={(e) => setApproveNotes(e.target.value)} />}</Field>
          <button type="submit" className={count.needs_approval ? "primary" : undefined} disabled={approve.isPending}>
            {t("Approve variances")}
          </button>
        </form>
      )}
      {mayPost && mayRun("post_count") && (
        <button
          type="button"
          className="primary"
          disabled={post.isPending}
          onClick={() => post.mutateAsync(id).then((p) => onChanged(t("Count {{number}} posted to stock.", facts), p), () => null)}
        >
          {t("Post to stock")}
        </button>
      )}
      {["draft", "in_progress", "completed"].includes(s) && mayRun("cancel_count") && (
        <form
          aria-label={t("Cancel the count")}
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutateAsync({ ...id, reason }).then(() => onChanged(t("Count {{number}} cancelled; stock is unchanged.", facts)), () => null);
          }}
        >
          <Field label={t("Reason to cancel")} error={fieldError(cancel.error, "reason", t)}>
            {(fid) => <input id={fid} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <ErrorMessage error={cancel.error} shownAt={fieldError(cancel.error, "reason", t) ? t("Reason to cancel") : undefined} />
          <button type="submit" className="danger" disabled={cancel.isPending}>
            {t("Cancel count")}
          </button>
        </form>
      )}
    </div>
  );
}

export function PostedResult({ posted }: { posted: PostedCount }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <section className="panel" aria-label={t("Posted")} data-testid="count-posted">
      <p>
        {t("Posted. Lines applied: {{applied}}; lines that changed the stock: {{moved}}; total variance: {{variance}}.", {
          applied: fmt.qty(String(posted.applied_lines)),
          moved: fmt.qty(String(posted.moved_lines)),
          variance: fmt.qty(posted.total_variance),
        })}
      </p>
      {posted.flagged.length > 0 && (
        <>
          <p className="warn">{t("Not applied (recount these batches and adjust them):")}</p>
          <ul aria-label={t("Flagged lines")}>
            {posted.flagged.map((l) => (
              <li key={l.id}>
                {t("{{product}} batch {{batch}}: {{reason}}", { product: l.product_name, batch: l.batch_number, reason: l.flag_reason ?? "" })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
