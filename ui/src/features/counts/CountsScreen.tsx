// Physical counts (issue 12). The store's counts, newest first, paged by the
// engine (list_counts) and filtered by status; each opens its count sheet
// (CountSheetDialog): start it, enter or scan what is on the shelf, complete,
// approve, post or cancel it, as its status and the user's role allow (the
// engine decides every step). "New count" drafts one (NewCountDialog) and
// opens its sheet, ready to start. Variances of a blind count are hidden
// from counters until it is completed: the engine sends them as null.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { CountStatus } from "../../bindings/CountStatus";
import type { CountSummary } from "../../bindings/CountSummary";
import { Field } from "../../components/Field";
import { PagedTable, type PagedColumn, type PageState } from "../../components/PagedTable";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandQuery } from "../../lib/queries";
import { CountSheetDialog, CountStatusBadge } from "./CountSheetDialog";
import { STATUSES, STATUS_LABEL, TYPE_LABEL } from "./countWords";
import { NewCountDialog } from "./NewCountDialog";

/** The list's order is the engine's (newest first); there is nothing to sort by. */
type Order = "newest";

function columns(t: TFunction, fmt: ReturnType<typeof useFormat>, open: (id: string) => void): PagedColumn<CountSummary, Order>[] {
  return [
    { header: t("Count"), cell: (c) => t("Count {{number}}", { number: c.number }) },
    { header: t("Type"), cell: (c) => (c.blind ? t("{{type}}, blind", { type: t(TYPE_LABEL[c.count_type]) }) : t(TYPE_LABEL[c.count_type])) },
    {
      header: t("Status"),
      cell: (c) => (
        <>
          <CountStatusBadge status={c.status} />
          {c.needs_approval && c.status === "completed" && <span className="badge warn">{t("Needs approval")}</span>}
        </>
      ),
    },
    { header: t("Created"), cell: (c) => t("{{who}}, {{when}}", { who: c.created_by_name, when: fmt.instant(c.created_at) }) },
    { header: t("Counted"), className: "num", cell: (c) => t("{{counted}} of {{lines}}", { counted: fmt.qty(String(c.counted_lines)), lines: fmt.qty(String(c.lines)) }) },
    {
      header: t("Variance at cost"),
      className: "num",
      cell: (c) => (c.variance_cost === null ? <span className="muted">{t("hidden")}</span> : fmt.money(c.variance_cost)),
    },
    {
      label: t("Actions"),
      cell: (c) => (
        <button type="button" onClick={() => open(c.id)} aria-label={t("Open count {{number}}", { number: c.number })}>
          {t("Open")}
        </button>
      ),
    },
  ];
}

export function CountsScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayRun = useMayRun();
  const [status, setStatus] = useState<CountStatus | "">("");
  const [page, setPage] = useState<PageState<Order>>({ sort: "newest", descending: true, limit: 50, offset: 0 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [drafting, setDrafting] = useState(false);
  const [notice, setNotice] = useState("");
  const list = useCommandQuery("list_counts", { status: status || undefined, limit: page.limit, offset: page.offset });
  return (
    <Screen
      title={t("Counts")}
      actions={
        mayRun("create_count") && (
          <button type="button" onClick={() => setDrafting(true)}>
            {t("New count")}
          </button>
        )
      }
    >
      <Notice>{notice}</Notice>
      <PagedTable
        label={t("Counts of the store")}
        columns={columns(t, fmt, setOpenId)}
        page={list.data}
        state={page}
        onState={setPage}
        rowKey={(c) => c.id}
        rowAttributes={(c) => ({ "data-count": String(c.number), "data-status": c.status })}
        empty={t("No counts.")}
        error={list.error}
        loading={{ pending: list.isPending, what: t("counts") }}
        toolbar={
          <Field label={t("Status")}>
            {(id) => (
              <select
                id={id}
                value={status}
                onChange={(e) => {
                  setStatus(e.target.value as CountStatus | "");
                  setPage({ ...page, offset: 0 });
                }}
              >
                <option value="">{t("Any status")}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(STATUS_LABEL[s])}
                  </option>
                ))}
              </select>
            )}
          </Field>
        }
      />
      {drafting && (
        <NewCountDialog
          onClose={() => setDrafting(false)}
          onDone={(c) => {
            setDrafting(false);
            setNotice(t("Count {{number}} drafted with {{count}} lines.", { number: c.number, count: c.lines }));
            setOpenId(c.id);
          }}
        />
      )}
      {openId && <CountSheetDialog id={openId} onClose={() => setOpenId(null)} onDone={setNotice} />}
    </Screen>
  );
}
