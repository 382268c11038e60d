// The approvals queue: every stock-changing request that waits for a manager
// (adjustments, write-offs, returns to supplier, count variances, transfers
// and transfer discrepancies), oldest first, from the engine's
// list_approvals. Each request names the commands that decide it; this
// screen knows how to call the ones listed in DECIDERS and shows any other
// request read-only with a link to its own screen, so a request from an area
// this build cannot decide here is never a failure. Approving takes an
// optional note; rejecting needs a reason (the engine refuses an empty one).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import { call, type ApiError } from "../../api";
import type { ApprovalKind } from "../../bindings/ApprovalKind";
import type { ApprovalRequest } from "../../bindings/ApprovalRequest";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useNavigate } from "../../lib/navigation";
import { useCommandQuery } from "../../lib/queries";
import { useOnUnauthenticated } from "../shell/session";

/** Calls one deciding command for a request's id with the manager's note. */
type Decide = (id: string, notes: string | undefined) => Promise<unknown>;

/**
 * The deciding commands this screen can call, by name. A request naming a
 * command not listed here is shown read-only (add its counterpart here when
 * its area merges).
 */
export const DECIDERS: Readonly<Record<string, Decide>> = {
  approve_adjustment: (id, notes) => call("approve_adjustment", { adjustment_id: id, notes }),
  reject_adjustment: (id, notes) => call("reject_adjustment", { adjustment_id: id, notes }),
  approve_transfer: (id, notes) => call("approve_transfer", { transfer_id: id, notes }),
  // Refusing a requested transfer cancels it, with the reason.
  cancel_transfer: (id, notes) => call("cancel_transfer", { transfer_id: id, reason: notes ?? "" }),
  approve_discrepancy: (id, notes) => call("approve_discrepancy", { discrepancy_id: id, notes }),
  reject_discrepancy: (id, notes) => call("reject_discrepancy", { discrepancy_id: id, reason: notes ?? "" }),
  approve_count: (id, notes) => call("approve_count", { count_id: id, notes }),
  // Refusing a count's variances cancels the count, with the reason (stock unchanged).
  cancel_count: (id, notes) => call("cancel_count", { count_id: id, reason: notes ?? "" }),
  approve_purchase_order: (id) => call("approve_purchase_order", { purchase_order_id: id }),
  // Rejecting sends the order back to its author's drafts, with the reason.
  reject_purchase_order: (id, notes) => call("reject_purchase_order", { purchase_order_id: id, reason: notes ?? "" }),
};

/** Where each kind of request is handled in full (for read-only requests). */
const HOME: Record<ApprovalKind, string> = {
  adjustment: "adjustments",
  writeoff: "adjustments",
  supplier_return: "adjustments",
  count: "counts",
  transfer: "transfers",
  transfer_discrepancy: "transfers",
  purchase_order: "purchasing",
};

function kindWords(kind: ApprovalKind, t: TFunction): string {
  switch (kind) {
    case "adjustment":
      return t("Adjustment");
    case "writeoff":
      return t("Write-off");
    case "supplier_return":
      return t("Return to supplier");
    case "count":
      return t("Count variance");
    case "transfer":
      return t("Transfer");
    case "transfer_discrepancy":
      return t("Transfer discrepancy");
    case "purchase_order":
      return t("Purchase order");
    default:
      return String(kind).replace(/_/g, " ");
  }
}

/** The figure a request goes past, against its limit, in the store's formats. */
function figureWords(r: ApprovalRequest, fmt: ReturnType<typeof useFormat>, t: TFunction): string {
  if (r.amount === null) return "";
  const show = (v: string) => (r.measure === "money" ? fmt.money(v) : r.measure === "percent" ? `${v}%` : fmt.qty(v));
  return r.limit === null
    ? t("{{amount}} (within the limits now)", { amount: show(r.amount) })
    : t("{{amount}}, over the limit of {{limit}}", { amount: show(r.amount), limit: show(r.limit) });
}

type Decision = { request: ApprovalRequest; approve: boolean };

export function ApprovalsScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const onUnauthenticated = useOnUnauthenticated();
  const queue = useCommandQuery("list_approvals", {});
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [notes, setNotes] = useState("");
  const [notice, setNotice] = useState("");
  const decide = useMutation<unknown, ApiError, { run: Decide; id: string; notes: string | undefined }>({
    mutationFn: ({ run, id, notes }) => run(id, notes),
    onError: (e) => {
      if (e.kind === "unauthenticated") onUnauthenticated(e);
    },
  });
  const rows = queue.data ?? [];

  function open(request: ApprovalRequest, approve: boolean) {
    decide.reset();
    setNotes("");
    setDeciding({ request, approve });
  }

  async function confirm({ request: r, approve }: Decision) {
    const run = DECIDERS[approve ? r.approve_command : r.reject_command];
    if (!run) return;
    const note = notes.trim() === "" ? undefined : notes.trim();
    const done = await decide.mutateAsync({ run, id: r.id, notes: note }).then(
      () => true,
      () => false,
    );
    if (done) {
      setDeciding(null);
      const facts = { kind: kindWords(r.kind, t), summary: r.summary };
      setNotice(approve ? t("Approved: {{kind}} — {{summary}}.", facts) : t("Rejected: {{kind}} — {{summary}}.", facts));
    }
  }

  const rejecting = deciding !== null && !deciding.approve;
  return (
    <Screen title={t("Approvals")}>
      <Notice>{notice}</Notice>
      <p className="muted">{t("Requests from every area that wait for a manager, oldest first. Nothing changes until one is approved; a rejection needs a reason.")}</p>
      <ErrorMessage error={queue.error} />
      {queue.isPending ? (
        <Loading what={t("the approvals queue")} />
      ) : rows.length === 0 ? (
        <p className="muted" data-testid="approvals-empty">
          {t("Nothing waits for approval.")}
        </p>
      ) : (
        <table aria-label={t("Requests waiting for approval")}>
          <thead>
            <tr>
              <th>{t("Kind")}</th>
              <th>{t("Request")}</th>
              <th>{t("Asked by")}</th>
              <th>{t("When")}</th>
              <th>{t("Figure vs limit")}</th>
              <th aria-label={t("Actions")} />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const decidable = r.approve_command in DECIDERS && r.reject_command in DECIDERS;
              return (
                <tr key={`${r.kind}-${r.id}`} data-kind={r.kind}>
                  <td>{kindWords(r.kind, t)}</td>
                  <td>{r.summary}</td>
                  <td>{r.requested_by_name}</td>
                  <td>{fmt.instant(r.requested_at)}</td>
                  <td data-testid="approval-figure">{figureWords(r, fmt, t)}</td>
                  <td>
                    {decidable ? (
                      <>
                        <button type="button" className="primary" onClick={() => open(r, true)} aria-label={t("Approve: {{summary}}", { summary: r.summary })}>
                          {t("Approve")}
                        </button>{" "}
                        <button type="button" className="danger" onClick={() => open(r, false)} aria-label={t("Reject: {{summary}}", { summary: r.summary })}>
                          {t("Reject")}
                        </button>
                      </>
                    ) : navigate ? (
                      <button type="button" className="link" onClick={() => navigate({ screen: HOME[r.kind] ?? "dashboard" })}>
                        {t("Decide on its own screen")}
                      </button>
                    ) : (
                      <span className="muted">{t("Decide on its own screen")}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {deciding && (
        <ConfirmDialog
          title={deciding.approve ? t("Approve this request?") : t("Reject this request?")}
          confirmLabel={deciding.approve ? t("Approve") : t("Reject")}
          busyLabel={t("Saving…")}
          tone={deciding.approve ? "primary" : "danger"}
          busy={decide.isPending}
          error={decide.error}
          confirmDisabled={rejecting && notes.trim() === ""}
          focusCancel={false}
          onConfirm={() => void confirm(deciding)}
          onCancel={() => setDeciding(null)}
        >
          <dl className="facts">
            <dt>{t("Kind")}</dt>
            <dd>{kindWords(deciding.request.kind, t)}</dd>
            <dt>{t("Request")}</dt>
            <dd>{deciding.request.summary}</dd>
            <dt>{t("Asked by")}</dt>
            <dd>
              {deciding.request.requested_by_name}, {fmt.instant(deciding.request.requested_at)}
            </dd>
            {deciding.request.amount !== null && (
              <>
                <dt>{t("Figure vs limit")}</dt>
                <dd>{figureWords(deciding.request, fmt, t)}</dd>
              </>
            )}
          </dl>
          <Field label={rejecting ? t("Reason for rejecting (required)") : t("Note (optional)")} wide error={fieldError(decide.error, "notes", t)}>
            {(id) => <input id={id} name="decision_notes" value={notes} onChange={(e) => setNotes(e.target.value)} required={rejecting} autoFocus />}
          </Field>
          <p>{deciding.approve ? t("The stock changes now, by exactly what was asked.") : t("The stock stays as it is; the request is kept in the record as rejected, with your reason.")}</p>
        </ConfirmDialog>
      )}
    </Screen>
  );
}
