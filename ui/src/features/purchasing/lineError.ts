// The engine names a line's field `lines[i].<field>` (create/update) or
// `lines.<i>.<field>` (receive); fieldError only compares the last part, so
// a line's error is found here by its whole path.
import i18next from "i18next";

import { toApiError } from "../../api/errors";
import { plainSentence, reasonOf } from "../../components/errorText";

/** The words to show at line `i`'s `field` when `error` is about it. */
export function lineError(error: unknown, i: number, field: string): string | undefined {
  if (error === null || error === undefined) return undefined;
  const e = toApiError(error);
  if (e.field !== `lines[${i}].${field}` && e.field !== `lines.${i}.${field}`) return undefined;
  return reasonOf(e) ?? plainSentence(e, i18next.t);
}
