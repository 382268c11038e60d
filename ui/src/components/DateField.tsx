// A calendar date picked, never typed as free text: React Aria's DatePicker
// (day, month and year segments in the store's order, arrow keys step them,
// a calendar pop-up) over the "YYYY-MM-DD" strings the engine speaks. An
// incomplete date is "" (nothing chosen), so a form never sends half a date.
//
// React Aria keeps the last complete date while a segment is being retyped;
// if the user leaves the field with a segment blank, the field shows that
// date again, so what is shown is always what the form sends.
//
// The error text sits under the field; React Aria points the segments'
// aria-describedby at it and sets aria-invalid. `name` adds a hidden input
// with the ISO date, for forms read by name.
import { parseDate, type CalendarDate } from "@internationalized/date";
import { useContext, useEffect, useRef, type ContextType, type FocusEvent, type RefObject } from "react";
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  DateFieldStateContext,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  Label,
  Popover,
  Text,
} from "react-aria-components";
import { useTranslation } from "react-i18next";

const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** "2027-03-31" as a calendar date; null for "" or anything else. */
export function toCalendarDate(value: string | null | undefined): CalendarDate | null {
  if (!value || !YMD.test(value)) return null;
  try {
    return parseDate(value);
  } catch {
    return null;
  }
}

/** A calendar date as "2027-03-31"; "" for none. */
export function fromCalendarDate(date: CalendarDate | null | undefined): string {
  return date ? date.toString() : "";
}

type FieldState = ContextType<typeof DateFieldStateContext>;
type DateSegmentType = NonNullable<FieldState>["segments"][number];

/** A segment that hands the field's state to the picker (for the blur check). */
function Segment({ segment, stateRef }: { segment: DateSegmentType; stateRef: RefObject<FieldState> }) {
  const state = useContext(DateFieldStateContext);
  useEffect(() => {
    stateRef.current = state;
  });
  return <DateSegment segment={segment} className="date-segment" />;
}

export function DateField({
  label,
  value,
  onChange,
  error,
  hint,
  name,
  isRequired,
  autoFocus,
  min,
  max,
  wide,
}: {
  label: string;
  /** "YYYY-MM-DD" or "". */
  value: string;
  /** Called with "YYYY-MM-DD", or "" when the date is cleared or incomplete. */
  onChange: (value: string) => void;
  /** Plain-words error shown under the field. */
  error?: string | null;
  hint?: string;
  name?: string;
  isRequired?: boolean;
  autoFocus?: boolean;
  /** Earliest and latest dates the calendar offers, "YYYY-MM-DD". */
  min?: string;
  max?: string;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  const fieldState = useRef<FieldState>(null);
  function onGroupBlur(e: FocusEvent<HTMLElement>) {
    if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
    const state = fieldState.current;
    if (state?.value && state.segments.some((s) => s.isEditable && s.isPlaceholder)) state.setValue(state.value);
  }
  return (
    <DatePicker
      className={["field", "date-field", wide ? "wide" : "", error ? "invalid" : ""].filter(Boolean).join(" ")}
      value={toCalendarDate(value)}
      onChange={(d) => onChange(fromCalendarDate(d))}
      granularity="day"
      isInvalid={!!error}
      validationBehavior="aria"
      isRequired={isRequired}
      autoFocus={autoFocus}
      minValue={toCalendarDate(min) ?? undefined}
      maxValue={toCalendarDate(max) ?? undefined}
      name={name}
      shouldForceLeadingZeros
    >
      <Label>{label}</Label>
      <Group className="date-group" onBlur={onGroupBlur}>
        <DateInput className="date-input">{(segment) => <Segment segment={segment} stateRef={fieldState} />}</DateInput>
        <Button className="date-button" aria-label={t("Open the calendar")}>
          <span aria-hidden="true">{"▾"}</span>
        </Button>
      </Group>
      {hint && (
        <Text slot="description" className="hint">
          {hint}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover" placement="bottom start">
        <Dialog className="calendar-dialog" aria-label={t("Calendar")}>
          <Calendar className="calendar">
            <header className="calendar-head">
              <Button slot="previous" aria-label={t("Previous month")}>
                <span aria-hidden="true">{"‹"}</span>
              </Button>
              <Heading />
              <Button slot="next" aria-label={t("Next month")}>
                <span aria-hidden="true">{"›"}</span>
              </Button>
            </header>
            <CalendarGrid className="calendar-grid">{(date) => <CalendarCell date={date} className="calendar-cell" />}</CalendarGrid>
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  );
}
