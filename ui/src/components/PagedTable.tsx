// A page of a list the engine sorts, filters and counts in SQL: sortable
// column headers (aria-sort), "1–100 of 123,456", previous/next and the
// page size. The screen keeps the request (sort, filter, offset) and
// passes the engine's page; nothing is sorted or filtered here, so a list
// of a million rows costs the same as one of ten.
//
// TanStack Table was tried for this and left out: with sorting, filtering
// and paging in SQL its row models would sit unused, and the column model
// below is what the screens already use (DataTable).
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { DataTable, type Column, type RowAttributes } from "./DataTable";
import { useFormat } from "../lib/locale";

/** A column that the engine can sort by `sortKey`. */
export type PagedColumn<T, S extends string> = Column<T> & { sortKey?: S };

/** The list state a screen keeps and sends with its request. */
export interface PageState<S extends string> {
  sort: S;
  descending: boolean;
  limit: number;
  offset: number;
}

export const PAGE_SIZES = [50, 100, 200, 500] as const;

/** The first page of `state` sorted by `key` (same key flips the direction). */
export function sortBy<S extends string>(state: PageState<S>, key: S): PageState<S> {
  return key === state.sort ? { ...state, descending: !state.descending, offset: 0 } : { ...state, sort: key, descending: false, offset: 0 };
}

export function PagedTable<T, S extends string>({
  label,
  columns,
  page,
  state,
  onState,
  rowKey,
  rowAttributes,
  empty,
  error,
  loading,
  toolbar,
}: {
  label: string;
  columns: readonly PagedColumn<T, S>[];
  /** The engine's answer: this page's rows and how many match in all. */
  page: { rows: readonly T[]; total: number } | undefined;
  state: PageState<S>;
  onState: (next: PageState<S>) => void;
  rowKey: (row: T) => string;
  rowAttributes?: (row: T) => RowAttributes;
  empty?: ReactNode;
  error?: unknown;
  loading?: { pending: boolean; what: string };
  toolbar?: ReactNode;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const total = page?.total ?? 0;
  const first = total === 0 ? 0 : state.offset + 1;
  const last = Math.min(total, state.offset + (page?.rows.length ?? 0));

  const headed: Column<T>[] = columns.map((c) => {
    if (!c.sortKey) return c;
    const key = c.sortKey;
    const active = state.sort === key;
    return {
      ...c,
      header: (
        <button
          type="button"
          className="sort"
          aria-label={t("Sort by {{column}}", { column: typeof c.header === "string" ? c.header : c.label ?? "" })}
          onClick={() => onState(sortBy(state, key))}
        >
          {c.header}
          <span aria-hidden="true">{active ? (state.descending ? " ▼" : " ▲") : ""}</span>
        </button>
      ),
      ariaSort: active ? (state.descending ? "descending" : "ascending") : "none",
    };
  });

  return (
    <div className="paged">
      <div className="paged-bar">
        {toolbar}
        <span className="paged-count" role="status" data-testid="paged-count">
          {t("{{first}}–{{last}} of {{total}}", { first: f.qty(String(first)), last: f.qty(String(last)), total: f.qty(String(total)) })}
        </span>
        <label className="paged-size">
          {t("Rows per page")}{" "}
          <select value={state.limit} onChange={(e) => onState({ ...state, limit: Number(e.target.value), offset: 0 })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {f.qty(String(n))}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => onState({ ...state, offset: Math.max(0, state.offset - state.limit) })} disabled={state.offset === 0}>
          {t("Previous")}
        </button>
        <button type="button" onClick={() => onState({ ...state, offset: state.offset + state.limit })} disabled={last >= total}>
          {t("Next")}
        </button>
      </div>
      <DataTable label={label} columns={headed} rows={page?.rows} rowKey={rowKey} rowAttributes={rowAttributes} empty={empty} error={error} loading={loading} />
    </div>
  );
}
