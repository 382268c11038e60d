// Held carts of the store: resume one onto this till (its stock stays
// reserved until the cart changes), flagged when the hold has lapsed.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { call } from "../../api";
import type { CartView } from "../../bindings/CartView";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Loading } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";

export function HeldCartsPanel({ terminalId, currentCart, onResumed }: { terminalId: string; currentCart: CartView | null; onResumed: (v: CartView) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const held = useCommandQuery("list_held_carts", {});
  const [error, setError] = useState<unknown>(null);
  const blocked = currentCart !== null && currentCart.lines.length > 0;

  async function resume(cartId: string) {
    setError(null);
    try {
      onResumed(await call("resume_cart", { cart_id: cartId, terminal_id: terminalId }));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="panel" aria-label={t("Held carts")}>
      <h2>{t("Held carts")}</h2>
      {blocked && <p className="muted">{t("Finish, hold or cancel the cart on this till before resuming another.")}</p>}
      <ErrorMessage error={error ?? held.error} />
      {held.isLoading && <Loading what={t("held carts")} />}
      <div className="table-wrap">
        <table aria-label={t("Held carts")}>
          <thead>
            <tr>
              <th>{t("Customer")}</th>
              <th>{t("Held by")}</th>
              <th>{t("Till")}</th>
              <th>{t("Held at")}</th>
              <th>{t("Hold until")}</th>
              <th className="num">{t("Lines")}</th>
              <th className="num">{t("Total")}</th>
              <th aria-label={t("Actions")} />
            </tr>
          </thead>
          <tbody>
            {(held.data ?? []).map((h, i) => (
              <tr key={h.cart_id} data-customer={h.customer_name ?? ""}>
                <td>{h.customer_name ?? "—"}</td>
                <td>{h.user_name}</td>
                <td>{h.terminal_id}</td>
                <td>{f.instant(h.held_at)}</td>
                <td>{h.hold_lapsed ? <span className="badge exp-expired">{t("lapsed — stock no longer reserved")}</span> : f.instant(h.hold_expires_at)}</td>
                <td className="num">{f.qty(String(h.lines))}</td>
                <td className="num">{f.money(h.total)}</td>
                <td>
                  <button type="button" className="primary" onClick={() => void resume(h.cart_id)} autoFocus={i === 0} disabled={blocked}>
                    {h.customer_name ? t("Resume {{customer}}", { customer: h.customer_name }) : t("Resume")}
                  </button>
                </td>
              </tr>
            ))}
            {held.data?.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  {t("No held carts.")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
