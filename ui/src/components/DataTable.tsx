// The list part of a list screen: its error, "Loading …" while the query is
// pending, then a scrollable table with one row per item and a line saying
// so when there is none. Each column gives its header and how to show an
// item in its cell, so headers and cells cannot drift apart.
import type { ReactNode } from "react";

import { ErrorMessage } from "./ErrorMessage";
import { Loading } from "./Screen";

export interface Column<T> {
  /** The header's text; leave it out for a column of buttons and give `label`. */
  header?: ReactNode;
  /** aria-label of the header cell, for a column without visible header ("Actions"). */
  label?: string;
  /** Class of the header and of every cell of the column, e.g. "num". */
  className?: string;
  /** Class of the cell only, fixed or per item, e.g. "small" or a warning. */
  cellClassName?: string | ((row: T) => string | undefined);
  /** What the item shows in this column. */
  cell: (row: T) => ReactNode;
  /** The header's aria-sort, for a column the list is (or can be) sorted by. */
  ariaSort?: "ascending" | "descending" | "none";
}

/** Attributes of an item's row, such as the data-* the tests find it by. */
export type RowAttributes = { className?: string } & { [attribute: `data-${string}`]: string | undefined };

/** The one row of a table with nothing to list, across all its columns. */
export function EmptyRow({ span, children }: { span: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={span} className="empty">
        {children}
      </td>
    </tr>
  );
}

function classes(...names: (string | undefined)[]): string | undefined {
  return names.filter(Boolean).join(" ") || undefined;
}

export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowAttributes,
  empty,
  error,
  loading,
}: {
  /** The table's aria-label. */
  label: string;
  columns: readonly Column<T>[];
  /** The items; undefined while there are none to show (pending or failed): then no empty line either. */
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  rowAttributes?: (row: T) => RowAttributes;
  /** Shown in the table when `rows` is an empty list. */
  empty?: ReactNode;
  /** A failure to show above the table (ErrorMessage shows nothing for null or undefined). */
  error?: unknown;
  /** While `pending`, "Loading {what}…" stands instead of the table. */
  loading?: { pending: boolean; what: string };
}) {
  return (
    <>
      <ErrorMessage error={error} />
      {loading?.pending ? (
        <Loading what={loading.what} />
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
          <table aria-label={label}>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i} className={c.className} aria-label={c.label} aria-sort={c.ariaSort}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(rows ?? []).map((row) => (
                <tr key={rowKey(row)} {...rowAttributes?.(row)}>
                  {columns.map((c, i) => (
                    <td key={i} className={classes(c.className, typeof c.cellClassName === "function" ? c.cellClassName(row) : c.cellClassName)}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
              {rows?.length === 0 && empty !== undefined && <EmptyRow span={columns.length}>{empty}</EmptyRow>}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
