// One count: its header and figures, its next steps (CountActions), and its
// sheet, a page at a time in walking order (get_count: location, product,
// expiry, batch), filtered by the engine's line filter and a search. Per
// line: product, batch, expiry, the system quantity it is compared with
// (hidden in a blind count from counters until completed: the engine sends
// null and `reveals` is false), the counted quantity (entered here while
// counting), and the variance in units, percent and at cost.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { CountLine } from "../../bindings/CountLine";
import type { CountStatus } from "../../bindings/CountStatus";
import type { CountSummary } from "../../bindings/CountSummary";
import type { LineFilter } from "../../bindings/LineFilter";
import type { PostedCount } from "../../bindings/PostedCount";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { PagedTable, type PagedColumn, type PageState } from "../../components/PagedTable";
import { Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandQuery } from "../../lib/queries";
import { CountActions, PostedResult } from "./CountActions";
import { CountedCell, ScanField } from "./CountEntry";
import { LINE_FILTERS, STATUS_LABEL, TYPE_LABEL } from "./countWords";

export function CountStatusBadge({ status }: { status: CountStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(STATUS_LABEL[status])}</span>;
}

/** The sheet's order is the engine's walking order. */
type Order = "sheet";

function lineColumns(
  t: TFunction,
  fmt: ReturnType<typeof useFormat>,
  count: CountSummary,
  editable: boolean,
  onRecorded: (l: CountLine) => void,
): PagedColumn<CountLine, Order>[] {
  const cols: PagedColumn<CountLine, Order>[] = [
    { header: "#", className: "num", cell: (l) => l.line_no },
    { header: t("Location"), cell: (l) => l.location ?? "" },
    { header: t("Product"), cell: (l) => (l.added ? t("{{product}} (found while counting)", { product: l.product_name }) : l.product_name) },
    { header: t("Batch"), cell: (l) => l.batch_number },
    { header: t("Expiry"), cell: (l) => (l.expiry_date ? fmt.date(l.expiry_date) : t("none")) },
  ];
  if (count.reveals) cols.push({ header: t("System"), className: "num", cell: (l) => fmt.qty(l.system_quantity, l.unit) });
  cols.push({ header: t("Counted"), cell: (l) => <CountedCell countId={count.id} line={l} editable={editable} onRecorded={onRecorded} /> });
  if (count.reveals)
    cols.push(
      { header: t("Variance"), className: "num", cell: (l) => fmt.qty(l.variance) },
      { header: t("Variance %"), className: "num", cell: (l) => fmt.percent(l.variance_percent) },
      { header: t("Variance at cost"), className: "num", cell: (l) => fmt.money(l.variance_cost) },
    );
  cols.push({
    header: t("Line"),
    cell: (l) => (l.status === "flagged" ? <span className="warn">{t("Flagged: {{reason}}", { reason: l.flag_reason ?? "" })}</span> : t(LINE_STATUS[l.status])),
  });
  return cols;
}

const LINE_STATUS: Record<CountLine["status"], string> = { pending: "To count", counted: "Counted", posted: "Posted", flagged: "Flagged" };

export function CountSheetDialog({ id, onClose, onDone }: { id: string; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayRun = useMayRun();
  const [filter, setFilter] = useState<LineFilter | "">("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState<PageState<Order>>({ sort: "sheet", descending: false, limit: 100, offset: 0 });
  const [notice, setNotice] = useState("");
  const [posted, setPosted] = useState<PostedCount | null>(null);
  const q = useCommandQuery("get_count", {
    count_id: id,
    lines: filter || undefined,
    search: search.trim() || undefined,
    limit: page.limit,
    offset: page.offset,
  });
  const count = q.data?.count;
  const editable = count?.status === "in_progress" && mayRun("record_count");
  // The shell's data-changed event refreshes every read; the sheet also asks
  // at once so the next step's button shows without waiting for it.
  const refresh = () => void q.refetch();
  const recorded = () => refresh();
  return (
    <Dialog title={count ? t("Count {{number}}", { number: count.number }) : t("Count")} onClose={onClose} size="large">
      <ErrorMessage error={q.error} />
      {count && (
        <>
          <Header count={count} />
          <Notice>{notice}</Notice>
          {posted && <PostedResult posted={posted} />}
          <CountActions
            count={count}
            onChanged={(message, p) => {
              setNotice(message);
              onDone(message);
              if (p) setPosted(p);
              refresh();
            }}
          />
          {editable && <ScanField countId={count.id} onRecorded={recorded} />}
          {!count.reveals && <p className="muted">{t("Blind count: system quantities and variances show once the count is completed.")}</p>}
          <PagedTable
            label={t("Count sheet")}
            columns={lineColumns(t, fmt, count, editable, recorded)}
            page={q.data ? { rows: q.data.lines, total: q.data.total } : undefined}
            state={page}
            onState={setPage}
            rowKey={(l) => l.id}
            rowAttributes={(l) => ({ "data-batch": l.batch_number, "data-line": l.status })}
            empty={t("No lines.")}
            toolbar={
              <>
                <Field label={t("Show")}>
                  {(fid) => (
                    <select
                      id={fid}
                      value={filter}
                      onChange={(e) => {
                        setFilter(e.target.value as LineFilter | "");
                        setPage({ ...page, offset: 0 });
                      }}
                    >
                      {LINE_FILTERS.filter((f) => f.value !== "variance" || count.reveals).map((f) => (
                        <option key={f.value} value={f.value}>
                          {t(f.label)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t("Find on the sheet")} hint={t("Product, SKU or batch number")}>
                  {(fid) => (
                    <input
                      id={fid}
                      type="search"
                      value={search}
                      onChange={(e) => {
                        setSearch(e.target.value);
                        setPage({ ...page, offset: 0 });
                      }}
                    />
                  )}
                </Field>
              </>
            }
          />
        </>
      )}
    </Dialog>
  );
}

function Header({ count: c }: { count: CountSummary }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <dl className="facts" aria-label={t("The count")}>
      <dt>{t("Status")}</dt>
      <dd>
        <CountStatusBadge status={c.status} />
        {c.needs_approval && c.status === "completed" && ` ${t("Some variances pass the store's thresholds: a manager approves before posting.")}`}
      </dd>
      <dt>{t("Type")}</dt>
      <dd>{c.blind ? t("{{type}}, blind", { type: t(TYPE_LABEL[c.count_type]) }) : t(TYPE_LABEL[c.count_type])}</dd>
      <dt>{t("Created")}</dt>
      <dd>{t("{{who}}, {{when}}", { who: c.created_by_name, when: fmt.instant(c.created_at) })}</dd>
      {c.started_at && (
        <>
          <dt>{t("Started")}</dt>
          <dd>{fmt.instant(c.started_at)}</dd>
        </>
      )}
      {c.completed_at && (
        <>
          <dt>{t("Completed")}</dt>
          <dd>{fmt.instant(c.completed_at)}</dd>
        </>
      )}
      {c.approved_at && (
        <>
          <dt>{t("Approved")}</dt>
          <dd>{t("{{who}}, {{when}}", { who: c.approved_by_name ?? "", when: fmt.instant(c.approved_at) })}</dd>
        </>
      )}
      {c.posted_at && (
        <>
          <dt>{t("Posted")}</dt>
          <dd>{fmt.instant(c.posted_at)}</dd>
        </>
      )}
      {c.cancelled_at && (
        <>
          <dt>{t("Cancelled")}</dt>
          <dd>{t("{{when}}: {{reason}}", { when: fmt.instant(c.cancelled_at), reason: c.cancel_reason ?? "" })}</dd>
        </>
      )}
      <dt>{t("Counted")}</dt>
      <dd data-testid="count-progress">{t("{{counted}} of {{lines}}", { counted: fmt.qty(String(c.counted_lines)), lines: fmt.qty(String(c.lines)) })}</dd>
      {c.variance_lines !== null && (
        <>
          <dt>{t("Variance")}</dt>
          <dd data-testid="count-variance">
            {t("{{count}} lines differ, {{value}} at cost", { count: c.variance_lines, value: fmt.money(c.variance_cost) })}
          </dd>
        </>
      )}
      {c.notes && (
        <>
          <dt>{t("Notes")}</dt>
          <dd>{c.notes}</dd>
        </>
      )}
    </dl>
  );
}
