// The alert centre: the store's alerts, newest first, filtered by type,
// severity and status; a manager acknowledges, resolves or dismisses one
// with a note. Each alert links to its product's stock or, for a
// temperature excursion, to the cold chain screen. The sweep that raises
// and resolves alerts runs in the shell (sign-in and a timer); "Check now"
// runs it at once.
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AlertStatus } from "../../bindings/AlertStatus";
import type { AlertType } from "../../bindings/AlertType";
import type { AlertView } from "../../bindings/AlertView";
import type { Severity } from "../../bindings/Severity";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { PagedTable, type PageState, type PagedColumn } from "../../components/PagedTable";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useNavigate } from "../../lib/navigation";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

type T = TFunction;

export const ALERT_TYPES: readonly AlertType[] = [
  "out_of_stock",
  "low_stock",
  "expiring_soon",
  "expired",
  "recall",
  "temperature_excursion",
  "variance_detected",
  "reorder_recommended",
];

/** An alert type in words. */
export function alertTypeLabel(t: T, type: AlertType): string {
  switch (type) {
    case "low_stock":
      return t("Low stock");
    case "out_of_stock":
      return t("Out of stock");
    case "expiring_soon":
      return t("Expiring soon");
    case "expired":
      return t("Expired stock");
    case "recall":
      return t("Recall");
    case "temperature_excursion":
      return t("Temperature excursion");
    case "variance_detected":
      return t("Count variance");
    case "reorder_recommended":
      return t("Reorder recommended");
  }
}

/** A severity in words. */
export function severityLabel(t: T, s: Severity): string {
  switch (s) {
    case "critical":
      return t("Critical");
    case "warning":
      return t("Warning");
    case "info":
      return t("Information");
  }
}

function statusLabel(t: T, s: AlertStatus): string {
  switch (s) {
    case "active":
      return t("Active");
    case "acknowledged":
      return t("Acknowledged");
    case "resolved":
      return t("Resolved");
    case "dismissed":
      return t("Dismissed");
  }
}

type Step = "acknowledge" | "resolve" | "dismiss";
type Pending = { step: Step; alert: AlertView };
type Filters = { type: AlertType | ""; severity: Severity | ""; status: AlertStatus | "open" | "" };

export function AlertsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>({ type: "", severity: "", status: "open" });
  const [page, setPage] = useState<PageState<"raised">>({ sort: "raised", descending: true, limit: 50, offset: 0 });
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState("");
  const list = useCommandQuery("list_alerts", {
    alert_type: filters.type || undefined,
    severity: filters.severity || undefined,
    status: filters.status && filters.status !== "open" ? filters.status : undefined,
    open_only: filters.status === "open" ? true : undefined,
    limit: page.limit,
    offset: page.offset,
  });
  const sweep = useCommandMutation("run_alert_sweep");

  function setFilter(next: Partial<Filters>) {
    setFilters({ ...filters, ...next });
    setPage({ ...page, offset: 0 });
  }

  function openSubject(a: AlertView) {
    if (!navigate) return;
    if (a.alert_type === "temperature_excursion") navigate({ screen: "coldchain" });
    else if (a.alert_type === "reorder_recommended") navigate({ screen: "reorder" });
    else if (a.product_id) navigate({ screen: "stock", filter: { product_id: a.product_id, product_query: a.product_sku ?? a.product_name ?? "" } });
    else navigate({ screen: "stock" });
  }

  const columns: readonly PagedColumn<AlertView, "raised">[] = [
    { header: t("Raised"), cell: (a) => f.instant(a.raised_at), sortKey: "raised" },
    {
      header: t("Severity"),
      cell: (a) => <span className={`badge severity-${a.severity}`}>{severityLabel(t, a.severity)}</span>,
    },
    { header: t("Type"), cell: (a) => alertTypeLabel(t, a.alert_type) },
    {
      header: t("About"),
      cell: (a) =>
        navigate ? (
          <button type="button" className="link" onClick={() => openSubject(a)} translate="no">
            {a.subject_name}
          </button>
        ) : (
          a.subject_name
        ),
    },
    { header: t("Details"), cell: (a) => a.message },
    {
      header: t("Status"),
      cell: (a) => {
        const who = a.dismissed_by ?? a.resolved_by ?? a.acknowledged_by;
        const note = a.dismissed_note ?? a.resolved_note ?? a.acknowledged_note;
        return (
          <span>
            {statusLabel(t, a.status)}
            {who && <span className="muted"> · {who}</span>}
            {note && <span className="muted"> · {note}</span>}
            {a.notified_at && (
              <span className="muted">
                {" · "}
                {t("announced {{when}}", { when: f.instant(a.notified_at) })}
              </span>
            )}
          </span>
        );
      },
    },
    {
      label: t("Actions"),
      cell: (a) =>
        (a.status === "active" || a.status === "acknowledged") && mayRun("resolve_alert") ? (
          <span className="row-actions">
            {a.status === "active" && (
              <button type="button" onClick={() => setPending({ step: "acknowledge", alert: a })}>
                {t("Acknowledge…")}
              </button>
            )}
            {a.alert_type !== "temperature_excursion" && (
              <>
                <button type="button" onClick={() => setPending({ step: "resolve", alert: a })}>
                  {t("Resolve…")}
                </button>
                <button type="button" onClick={() => setPending({ step: "dismiss", alert: a })}>
                  {t("Dismiss…")}
                </button>
              </>
            )}
          </span>
        ) : null,
    },
  ];

  const open = list.data?.open;
  return (
    <Screen
      title={t("Alerts")}
      actions={
        <button
          type="button"
          onClick={() => sweep.mutate({}, { onSuccess: (r) => setNotice(t("Checked: {{raised}} raised, {{resolved}} resolved.", { raised: r.raised, resolved: r.resolved })) })}
          disabled={sweep.isPending}
        >
          {t("Check now")}
        </button>
      }
    >
      {open && (
        <p className="muted" role="status">
          {t("Open: {{critical}} critical, {{warning}} warnings, {{info}} for information.", open)}
        </p>
      )}
      <div className="toolbar">
        <label>
          {t("Type")}{" "}
          <select value={filters.type} onChange={(e) => setFilter({ type: e.target.value as AlertType | "" })}>
            <option value="">{t("All types")}</option>
            {ALERT_TYPES.map((type) => (
              <option key={type} value={type}>
                {alertTypeLabel(t, type)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("Severity")}{" "}
          <select value={filters.severity} onChange={(e) => setFilter({ severity: e.target.value as Severity | "" })}>
            <option value="">{t("All severities")}</option>
            {(["critical", "warning", "info"] as const).map((s) => (
              <option key={s} value={s}>
                {severityLabel(t, s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("Status")}{" "}
          <select value={filters.status} onChange={(e) => setFilter({ status: e.target.value as Filters["status"] })}>
            <option value="open">{t("Open (active or acknowledged)")}</option>
            <option value="">{t("All")}</option>
            {(["active", "acknowledged", "resolved", "dismissed"] as const).map((s) => (
              <option key={s} value={s}>
                {statusLabel(t, s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Notice>{notice}</Notice>
      <ErrorMessage error={sweep.error} />
      <PagedTable
        label={t("Alerts")}
        columns={columns}
        page={list.data}
        state={page}
        onState={setPage}
        rowKey={(a) => a.alert_id}
        rowAttributes={(a) => ({ className: a.severity === "critical" && a.status === "active" ? "row-critical" : undefined })}
        empty={t("No alerts.")}
        error={list.error}
        loading={{ pending: list.isLoading, what: t("alerts") }}
      />
      {pending && (
        <AlertStepDialog
          pending={pending}
          onClose={() => setPending(null)}
          onDone={(message) => {
            setPending(null);
            setNotice(message);
          }}
        />
      )}
    </Screen>
  );
}

function AlertStepDialog({ pending, onClose, onDone }: { pending: Pending; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState("");
  const acknowledge = useCommandMutation("acknowledge_alert");
  const resolve = useCommandMutation("resolve_alert");
  const dismiss = useCommandMutation("dismiss_alert");
  const mutation = pending.step === "acknowledge" ? acknowledge : pending.step === "resolve" ? resolve : dismiss;
  const a = pending.alert;
  const title =
    pending.step === "acknowledge" ? t("Acknowledge alert") : pending.step === "resolve" ? t("Resolve alert") : t("Dismiss alert");
  const done =
    pending.step === "acknowledge"
      ? t("Acknowledged: {{subject}}.", { subject: a.subject_name })
      : pending.step === "resolve"
        ? t("Resolved: {{subject}}.", { subject: a.subject_name })
        : t("Dismissed: {{subject}}.", { subject: a.subject_name });

  return (
    <Dialog title={title} onClose={onClose} size="small">
      <p>
        <strong>{alertTypeLabel(t, a.alert_type)}</strong> · {a.message}
      </p>
      <Field label={t("Note")}>
        {(id) => <textarea id={id} value={note} onChange={(e) => setNote(e.target.value)} rows={3} autoFocus />}
      </Field>
      <ErrorMessage error={mutation.error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={mutation.isPending}
          onClick={() => mutation.mutate({ alert_id: a.alert_id, note: note.trim() || undefined }, { onSuccess: () => onDone(done) })}
        >
          {title}
        </button>
      </div>
    </Dialog>
  );
}
