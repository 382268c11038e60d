// The audit trail (the compliance record) with filters, and the ledger
// verification: the hash chain is intact and every batch's on-hand equals
// what its events say. Every change is an event: each row says in words what
// happened and lists the before → after of each field. Pages come from the
// engine newest first (the cursor is the last sequence number shown); the
// CSV export takes the same filters and saves the whole match.
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useInfiniteQuery, useMutation, type InfiniteData } from "@tanstack/react-query";

import type { ApiError } from "../../api";
import type { ChangeType } from "../../bindings/ChangeType";
import type { VerifyReport } from "../../bindings/VerifyReport";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DateFilter, Field, LatestLimit } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Notice, Screen } from "../../components/Screen";
import { useSaveText } from "../../lib/download";
import { useFormat, type Formatters } from "../../lib/locale";
import { COMMAND_KEY, useCommandMutation } from "../../lib/queries";
import { useOnUnauthenticated } from "../shell/session";
import {
  exportAuditCsv,
  getAuditTrail,
  type AuditCategory,
  type AuditChange,
  type AuditCsv,
  type AuditCsvFilter,
  type AuditEntry,
} from "./auditApi";

/** The categories, in the order the filter offers them; `label` is an English t() key. */
export const CATEGORIES: readonly { category: AuditCategory; label: string }[] = [
  { category: "stock", label: "Stock" },
  { category: "catalogue", label: "Catalogue" },
  { category: "people", label: "People" },
  { category: "sales", label: "Sales" },
  { category: "settings", label: "Settings" },
  { category: "security", label: "Security" },
  { category: "clinic", label: "Clinic" },
  { category: "alerts", label: "Alerts and cold chain" },
];

const CATEGORY_LABEL = new Map(CATEGORIES.map((c) => [c.category, c.label]));

const CHANGE_TYPES: readonly ChangeType[] = [
  "receipt",
  "receipt_reversed",
  "allocated",
  "reserved",
  "release",
  "confirm_reserve",
  "adjustment",
  "adjustment_requested",
  "adjustment_rejected",
  "writeoff",
  "expired",
  "transfer_out",
  "transfer_in",
  "transfer_created",
  "transfer_requested",
  "transfer_approved",
  "transfer_shipped",
  "transfer_received",
  "transfer_cancelled",
  "transfer_discrepancy",
  "transfer_discrepancy_resolved",
  "transfer_discrepancy_rejected",
  "transfer_incoming",
  "transfer_synced",
  "reconciliation",
  "treatment_use",
  "waste",
  "recall",
  "status_change",
  "backorder_created",
  "backorder_fulfilled",
  "supplier_return",
];

const words = (s: string) => s.replace(/_/g, " ");

/** The before → after of each changed field, one line each (values as the engine formatted them). */
export function ChangeList({ changes }: { changes: readonly AuditChange[] }) {
  const { t } = useTranslation();
  if (changes.length === 0) return null;
  return (
    <ul className="changes small" aria-label={t("Changes")}>
      {changes.map((c, i) => (
        <li key={`${c.field}-${i}`}>
          <span className="muted">{t(words(c.field))}:</span> {c.before ?? "—"} → {c.after ?? "—"}
        </li>
      ))}
    </ul>
  );
}

function auditColumns(t: TFunction, fmt: Formatters): Column<AuditEntry>[] {
  return [
    { header: t("Seq"), className: "num", cell: (e) => e.seq },
    { header: t("When"), cell: (e) => fmt.instant(e.created_at) },
    { header: t("Area"), cell: (e) => t(CATEGORY_LABEL.get(e.category) ?? words(e.category)) },
    {
      header: t("What happened"),
      cell: (e) => (
        <>
          {/* The summary is the engine's sentence about this event (names and numbers in it). */}
          <span>{e.summary || t(words(e.kind || e.change_type))}</span>
          <ChangeList changes={e.changes ?? []} />
        </>
      ),
    },
    { header: t("Product"), cell: (e) => e.product_name },
    { header: t("Batch"), cell: (e) => e.batch_number },
    {
      header: t("Stock before → after"),
      className: "num",
      cell: (e) => (e.previous_quantity !== null || e.new_quantity !== null ? `${fmt.qty(e.previous_quantity)} → ${fmt.qty(e.new_quantity)}` : ""),
    },
    { header: t("By"), cell: (e) => e.user_name },
    { header: t("Notes"), cell: (e) => e.notes },
    { header: t("Hash"), cell: (e) => <code title={e.hash}>{e.hash.slice(0, 10)}…</code> },
  ];
}

export function AuditScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const columns = useMemo(() => auditColumns(t, fmt), [t, fmt]);
  const [category, setCategory] = useState<AuditCategory | "">("");
  const [productId, setProductId] = useState("");
  const [changeType, setChangeType] = useState<ChangeType | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [limit, setLimit] = useState(200);
  const [notice, setNotice] = useState("");
  const filter: AuditCsvFilter = {
    category: category || undefined,
    product_id: productId || undefined,
    change_type: changeType || undefined,
    from: fmt.dayStart(from),
    to: fmt.dayStart(to, true),
  };
  const trail = useAuditPages(filter, limit);
  const exporter = useMutation<AuditCsv, ApiError, AuditCsvFilter>({ mutationFn: exportAuditCsv });
  const saver = useSaveText();

  async function exportCsv() {
    setNotice("");
    const out = await exporter.mutateAsync(filter).catch(() => null);
    if (!out) return;
    const path = await saver.mutateAsync({ text: out.csv, fileName: `audit-${fmt.today()}.csv` }).catch(() => null);
    if (path) setNotice(t("Exported {{count}} events to {{name}}.", { count: out.rows, name: path }));
  }

  return (
    <Screen
      title={t("Audit trail")}
      actions={
        <button type="button" onClick={() => void exportCsv()} disabled={exporter.isPending}>
          {exporter.isPending ? t("Exporting…") : t("Export CSV")}
        </button>
      }
    >
      <Verification />
      <Notice>{notice}</Notice>
      <ErrorMessage error={exporter.error ?? saver.error} />
      <div className="toolbar">
        <Field label={t("Area")}>
          {(id) => (
            <select id={id} name="category" value={category} onChange={(e) => setCategory(e.target.value as AuditCategory | "")}>
              <option value="">{t("All areas")}</option>
              {CATEGORIES.map((c) => (
                <option key={c.category} value={c.category}>
                  {t(c.label)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ProductPicker value={productId} onChange={setProductId} allowAll />
        <Field label={t("Change type")}>
          {(id) => (
            <select id={id} value={changeType} onChange={(e) => setChangeType(e.target.value as ChangeType | "")}>
              <option value="">{t("All")}</option>
              {CHANGE_TYPES.map((c) => (
                <option key={c} value={c}>
                  {t(words(c))}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateFilter label={t("From")} value={from} onChange={setFrom} />
        <DateFilter label={t("To")} value={to} onChange={setTo} />
        <LatestLimit value={limit} onChange={setLimit} />
      </div>
      <DataTable
        label={t("Audit events")}
        columns={columns}
        rows={trail.data?.pages.flat()}
        rowKey={(e) => e.id}
        rowAttributes={(e) => ({ "data-change": e.change_type, "data-kind": e.kind, "data-category": e.category })}
        empty={t("No events match.")}
        error={trail.error}
        loading={{ pending: trail.isPending, what: t("audit events") }}
      />
      {trail.hasNextPage && (
        <div className="form-actions">
          <button type="button" onClick={() => void trail.fetchNextPage()} disabled={trail.isFetchingNextPage}>
            {trail.isFetchingNextPage ? t("Loading…") : t("Older events (next {{count}})", { count: limit })}
          </button>
        </div>
      )}
    </Screen>
  );
}

/** The trail, `limit` events a page, each page before the last one's sequence. */
function useAuditPages(filter: AuditCsvFilter, limit: number) {
  const onUnauthenticated = useOnUnauthenticated();
  const query = useInfiniteQuery<AuditEntry[], ApiError, InfiniteData<AuditEntry[]>, readonly unknown[], number | undefined>({
    // Under the command key, so the shell's data-changed event refreshes it.
    queryKey: [COMMAND_KEY, "get_audit_trail", filter, limit],
    queryFn: ({ pageParam }) => getAuditTrail({ ...filter, limit, before_seq: pageParam }),
    initialPageParam: undefined,
    getNextPageParam: (last) => (last.length < limit ? undefined : last[last.length - 1]?.seq),
  });
  const error = query.error;
  useEffect(() => {
    if (error?.kind === "unauthenticated") onUnauthenticated(error);
  }, [error, onUnauthenticated]);
  return query;
}

function Verification() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const verify = useCommandMutation("verify");
  const report: VerifyReport | undefined = verify.data;
  return (
    <div className="panel" aria-label={t("Ledger verification")}>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => verify.mutate({})} disabled={verify.isPending}>
          {verify.isPending ? t("Verifying…") : t("Verify ledger")}
        </button>
        {report && (
          <p role="status" data-testid="verify-result" className={report.ok ? "badge ok" : "badge bad"}>
            {report.ok
              ? t("Ledger verified: {{events}} events, {{batches}} batches — hash chain intact, stock matches.", {
                  events: fmt.qty(String(report.events_checked)),
                  batches: fmt.qty(String(report.batches_checked)),
                })
              : t("Ledger verification FAILED: {{count}} problems.", { count: report.problems.length })}
          </p>
        )}
      </div>
      <ErrorMessage error={verify.error} />
      {report && report.problems.length > 0 && (
        <ul aria-label={t("Verification problems")}>
          {report.problems.map((p, i) => (
            <li key={i}>
              <strong>{p.kind}</strong>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
