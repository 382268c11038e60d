// The "Appearance" dialog, open to everyone (nav bottom, and the sign-in
// screen): the theme and touch mode of this workstation. A change shows at
// once and is kept on this computer.
import { useTranslation } from "react-i18next";

import { Dialog } from "../../components/Dialog";
import { THEMES, useAppearance, type Theme } from "../../lib/appearance";

/** English t() keys for the themes, with a line on each. */
const THEME_WORDS: Record<Theme, { label: string; help: string }> = {
  light: { label: "Light", help: "Dark text on light backgrounds (default)." },
  dark: { label: "Dark", help: "Light text on dark backgrounds, easier in a dim shop." },
  "high-contrast": { label: "High contrast", help: "White and yellow on black, thick outlines." },
};

export function AppearanceDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [appearance, update] = useAppearance();
  return (
    <Dialog title={t("Appearance")} onClose={onClose} size="small" dismissOnOutsideClick>
      <p className="muted small">{t("These settings are kept on this computer, for everyone who uses it.")}</p>
      <fieldset>
        <legend>{t("Theme")}</legend>
        <div className="choice-list">
          {THEMES.map((theme) => (
            <label key={theme} className="checkbox choice">
              <input type="radio" name="theme" value={theme} checked={appearance.theme === theme} onChange={() => update({ theme })} />
              <span>
                <strong>{t(THEME_WORDS[theme].label)}</strong>
                <span className="muted small"> — {t(THEME_WORDS[theme].help)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" name="touch" checked={appearance.touch} onChange={(e) => update({ touch: e.target.checked })} />
        <span>
          <strong>{t("Touch mode")}</strong>
          <span className="muted small"> — {t("Bigger buttons and fields (at least 44 pixels) for a touch screen.")}</span>
        </span>
      </label>
      <div className="form-actions">
        <button type="button" className="primary" onClick={onClose}>
          {t("Done")}
        </button>
      </div>
    </Dialog>
  );
}
