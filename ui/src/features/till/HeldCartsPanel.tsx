// Held carts of the store: resume one onto this till (its stock stays
// reserved until the cart changes), flagged when the hold has lapsed.
import { useState } from "react";

import { call } from "../../api";
import type { CartView } from "../../bindings/CartView";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Loading } from "../../components/Screen";
import { formatInstant } from "../../lib/format";
import { useCommandQuery } from "../../lib/queries";
import { showMoney } from "./money";

export function HeldCartsPanel({ terminalId, currentCart, onResumed }: { terminalId: string; currentCart: CartView | null; onResumed: (v: CartView) => void }) {
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
    <section className="panel" aria-label="Held carts">
      <h2>Held carts</h2>
      {blocked && <p className="muted">Finish, hold or cancel the cart on this till before resuming another.</p>}
      <ErrorMessage error={error ?? held.error} />
      {held.isLoading && <Loading what="held carts" />}
      <div className="table-wrap">
        <table aria-label="Held carts">
          <thead>
            <tr>
              <th>Customer</th>
              <th>Held by</th>
              <th>Till</th>
              <th>Held at</th>
              <th>Hold until</th>
              <th className="num">Lines</th>
              <th className="num">Total</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(held.data ?? []).map((h, i) => (
              <tr key={h.cart_id} data-customer={h.customer_name ?? ""}>
                <td>{h.customer_name ?? "—"}</td>
                <td>{h.user_name}</td>
                <td>{h.terminal_id}</td>
                <td>{formatInstant(h.held_at)}</td>
                <td>{h.hold_lapsed ? <span className="badge exp-expired">lapsed — stock no longer reserved</span> : formatInstant(h.hold_expires_at)}</td>
                <td className="num">{h.lines}</td>
                <td className="num">{showMoney(h.total)}</td>
                <td>
                  <button type="button" className="primary" onClick={() => void resume(h.cart_id)} autoFocus={i === 0} disabled={blocked}>
                    Resume{h.customer_name ? ` ${h.customer_name}` : ""}
                  </button>
                </td>
              </tr>
            ))}
            {held.data?.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  No held carts.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
