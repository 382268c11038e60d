// A vial's units as one bar: drawn, wasted, remaining. The segments grow by
// the engine's decimal strings themselves (CSS flex-grow takes "12.5"), so no
// quantity passes through a float; the figures are also said in words.
import { useTranslation } from "react-i18next";

import type { VialSession } from "../../bindings/VialSession";
import { useFormat } from "../../lib/locale";

export function UnitsBar({ session }: { session: Pick<VialSession, "units" | "drawn" | "wasted" | "remaining" | "unit"> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const words = t("{{drawn}} drawn, {{wasted}} wasted, {{remaining}} left of {{units}}", {
    drawn: f.qty(session.drawn),
    wasted: f.qty(session.wasted),
    remaining: f.qty(session.remaining),
    units: f.qty(session.units, session.unit),
  });
  return (
    <div className="units-bar-wrap">
      <div className="units-bar" aria-hidden="true">
        <span className="units-drawn" style={{ flexGrow: session.drawn }} />
        <span className="units-wasted" style={{ flexGrow: session.wasted }} />
        <span className="units-left" style={{ flexGrow: session.remaining }} />
      </div>
      <small className="units-words">{words}</small>
    </div>
  );
}
