// A searchable picker (React Aria ComboBox): type to narrow a long list (the
// time zones), arrow keys and Enter pick, the button shows the whole list.
// The value is the text in the box: picking an option puts its id there,
// and a value that is not in the list may still be typed (the engine checks
// it), so the field works like any text field for the form around it.
//
// The input comes straight after its label (as in Field), its error text
// sits under it with aria-describedby and aria-invalid set by React Aria.
import { useMemo, useState } from "react";
import { Button, ComboBox, FieldError, Input, Label, ListBox, ListBoxItem, Popover, Text } from "react-aria-components";
import { useTranslation } from "react-i18next";

export interface ComboOption {
  /** The value (what the box holds once picked). */
  id: string;
  /** More words shown and searched with it ("Nigerian Naira"). */
  detail?: string;
}

/** Lower case, "_" and "/" as spaces: "new york" finds "America/New_York". */
function norm(s: string): string {
  return s.toLocaleLowerCase().replace(/[_/]+/g, " ");
}

export function ComboField({
  label,
  value,
  onChange,
  options,
  hint,
  error,
  isRequired,
  autoFocus,
  maxShown = 200,
  wide,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly ComboOption[];
  hint?: string;
  error?: string | null;
  isRequired?: boolean;
  autoFocus?: boolean;
  /** At most this many matches are listed (type more to narrow). */
  maxShown?: number;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  // The button (or arrow key) shows the whole list; typing filters it.
  const [showAll, setShowAll] = useState(false);
  const shown = useMemo(() => {
    const q = norm(value.trim());
    const matches = showAll || !q ? options : options.filter((o) => norm(o.id).includes(q) || (o.detail && norm(o.detail).includes(q)));
    return matches.slice(0, maxShown);
  }, [options, value, showAll, maxShown]);
  const selected = options.some((o) => o.id === value) ? value : null;

  return (
    <ComboBox
      className={["field", "combo-field", wide ? "wide" : "", error ? "invalid" : ""].filter(Boolean).join(" ")}
      items={shown}
      inputValue={value}
      onInputChange={(v) => {
        setShowAll(false);
        onChange(v);
      }}
      selectedKey={selected}
      onSelectionChange={(key) => {
        if (key !== null) onChange(String(key));
      }}
      onOpenChange={(open, trigger) => setShowAll(open && trigger === "manual")}
      allowsCustomValue
      allowsEmptyCollection
      isInvalid={!!error}
      validationBehavior="aria"
      isRequired={isRequired}
      autoFocus={autoFocus}
    >
      <Label>{label}</Label>
      <Input className="combo-input" />
      <Button className="combo-button" aria-label={t("Show the list: {{label}}", { label })}>
        <span aria-hidden="true">{"▾"}</span>
      </Button>
      {hint && (
        <Text slot="description" className="hint">
          {hint}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover combo-popover" placement="bottom start">
        <ListBox className="combo-list" renderEmptyState={() => <p className="empty">{t("Nothing matches.")}</p>}>
          {(o: ComboOption) => (
            <ListBoxItem id={o.id} textValue={o.id} className="combo-option">
              <span className="combo-id">{o.id}</span>
              {o.detail && <span className="combo-detail muted small">{o.detail}</span>}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
