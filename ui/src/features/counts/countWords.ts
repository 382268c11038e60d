// The words of a count's status and type, shared by the list and the sheet.
// The English text is the i18n key (translated where it is shown, with t()).
import type { CountStatus } from "../../bindings/CountStatus";
import type { CountType } from "../../bindings/CountType";
import type { LineFilter } from "../../bindings/LineFilter";

export const STATUS_LABEL: Record<CountStatus, string> = {
  draft: "Draft",
  in_progress: "Counting",
  completed: "Completed",
  approved: "Approved",
  posted: "Posted",
  cancelled: "Cancelled",
};

export const STATUSES: readonly CountStatus[] = ["draft", "in_progress", "completed", "approved", "posted", "cancelled"];

export const TYPE_LABEL: Record<CountType, string> = {
  full: "Full",
  cycle: "Cycle",
  spot: "Spot",
  category: "Category",
};

export const TYPES: readonly CountType[] = ["full", "cycle", "spot", "category"];

/** The sheet's line filters (get_count's `lines`), "" for every line. */
export const LINE_FILTERS: readonly { value: LineFilter | ""; label: string }[] = [
  { value: "", label: "All lines" },
  { value: "uncounted", label: "Not counted yet" },
  { value: "counted", label: "Counted" },
  { value: "variance", label: "With a variance" },
  { value: "flagged", label: "Flagged at posting" },
];
