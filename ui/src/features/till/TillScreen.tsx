// The till: sell (scan or search, cart, payment, receipt), held carts,
// returns and voids, and the shift (open with a float, X report, close with
// the counted cash → Z report). Keyboard first: a scanner works without
// clicking anywhere; F2 or / search; F4 pay; F6 hold; F7 held carts;
// F8 returns; F9 shift; Esc goes back.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { ApiError, call, toApiError, type CommandName, type CommandRequest, type CommandResponse } from "../../api";
import type { CartLineView } from "../../bindings/CartLineView";
import type { CartView } from "../../bindings/CartView";
import type { DiscountKind } from "../../bindings/DiscountKind";
import type { ProductHit } from "../../bindings/ProductHit";
import type { Receipt } from "../../bindings/Receipt";
import type { ScanResult } from "../../bindings/ScanResult";
import type { ShiftReport } from "../../bindings/ShiftReport";
import type { SignedInUser } from "../../bindings/SignedInUser";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { i18next } from "../../i18n";
import { useFormat } from "../../lib/locale";
import { COMMAND_KEY, useCommandQuery, useTillConfig } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import { useOnUnauthenticated } from "../shell/session";
import { ApprovalPrompt, type Approver, type PendingApproval } from "./ApprovalPrompt";
import { BatchPicker } from "./BatchPicker";
import { CartTable } from "./CartTable";
import { HeldCartsPanel } from "./HeldCartsPanel";
import { PaymentPanel } from "./PaymentPanel";
import { ReceiptView } from "./ReceiptView";
import { ReturnsPanel } from "./ReturnsPanel";
import { OpenShiftForm, ShiftPanel, ZReport } from "./ShiftPanel";
import { ShortagePanel, type Shortage } from "./ShortagePanel";
import { GS } from "./scanner";
import { RESTORE_ON_SCAN, SCAN_TARGET_ATTR, useScanner } from "./useScanner";

/** The commands that answer the cart. */
type CartCommand = { [K in CommandName]: CommandResponse<K> extends CartView ? K : never }[CommandName];

type Mode = "sale" | "pay" | "receipt" | "held" | "returns" | "shift";

const MODES: { id: Mode; label: () => string; key: string }[] = [
  { id: "sale", label: () => i18next.t("Sale"), key: "Esc" },
  { id: "held", label: () => i18next.t("Held carts"), key: "F7" },
  { id: "returns", label: () => i18next.t("Returns & voids"), key: "F8" },
  { id: "shift", label: () => i18next.t("Shift"), key: "F9" },
];

export function TillScreen({ user }: { user: SignedInUser }) {
  // The till id is the shell's (command line, environment or its config file).
  const { t } = useTranslation();
  const till = useTillConfig();
  if (!till.data) {
    return (
      <Screen title={t("Till")}>
        {till.isLoading && <Loading what={t("this till's id")} />}
        <ErrorMessage error={till.error} />
        {till.error && <p className="muted">{t("An administrator can set this till's id under Settings.")}</p>}
      </Screen>
    );
  }
  return <TillAt user={user} terminalId={till.data.till_id} />;
}

function TillAt({ user, terminalId }: { user: SignedInUser; terminalId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const shift = useCommandQuery("get_shift_report", { terminal_id: terminalId }, { retry: false });
  const noShift = shift.error?.kind === "no_open_shift" || shift.error?.kind === "not_found";
  // A failed refetch keeps the old data: the error (no open shift) wins.
  const shiftOpen = !shift.error && shift.data?.status === "open";
  const [closed, setClosed] = useState<ShiftReport | null>(null);

  return (
    <Screen
      title={t("Till")}
      actions={
        <span className="muted" data-testid="till-id">
          {t("Till")} <strong>{terminalId}</strong>
          {shiftOpen ? ` · ${t("shift open since {{when}}", { when: f.instant(shift.data?.opened_at) })}` : ""}
        </span>
      }
    >
      {shift.isLoading && <Loading what={t("the shift")} />}
      {shift.error && !noShift && <ErrorMessage error={shift.error} />}
      {closed && <ZReport report={closed} onDismiss={() => setClosed(null)} />}
      {noShift && <OpenShiftForm terminalId={terminalId} />}
      {shiftOpen && <TillSession key={terminalId} user={user} terminalId={terminalId} onClosed={setClosed} />}
    </Screen>
  );
}

function TillSession({ user, terminalId, onClosed }: { user: SignedInUser; terminalId: string; onClosed: (z: ShiftReport) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const onUnauthenticated = useOnUnauthenticated();
  const settings = useCommandQuery("get_till_settings", {});
  const [mode, setModeRaw] = useState<Mode>("sale");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** Switches the till's panel; messages about the previous panel go. */
  const setMode = useCallback(
    (next: Mode) => {
      if (next !== mode) {
        setNotice(null);
        setError(null);
      }
      setModeRaw(next);
    },
    [mode],
  );
  const [cartId, setCartId] = useState<string | null>(null);
  const cartQ = useCommandQuery("get_cart", { cart_id: cartId ?? "" }, { enabled: cartId !== null });
  const cart = cartQ.data ?? null;
  const [refusal, setRefusal] = useState<ScanResult | null>(null);
  const [lastScan, setLastScan] = useState<ScanResult | null>(null);
  const [approval, setApproval] = useState<PendingApproval | null>(null);
  const [rxFor, setRxFor] = useState<{ productId: string; name: string; quantity?: string; batchId?: string } | null>(null);
  const [shortage, setShortage] = useState<Shortage | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState("");
  /** The batch picker: for a search hit (adds a line) or for a cart line (changes its batch). */
  const [pickFor, setPickFor] = useState<{ hit: ProductHit; line?: undefined } | { line: CartLineView; hit?: undefined } | null>(null);

  const apply = useCallback(
    (v: CartView) => {
      qc.setQueryData([COMMAND_KEY, "get_cart", { cart_id: v.cart_id }], v);
      setCartId(v.cart_id);
    },
    [qc],
  );

  const fail = useCallback(
    (e: unknown) => {
      const err = toApiError(e);
      if (err.kind === "unauthenticated" && !approval) onUnauthenticated(err);
      setError(err);
    },
    [approval, onUnauthenticated],
  );

  const openCart = useCallback(async () => {
    try {
      apply(await call("open_cart", { terminal_id: terminalId }));
    } catch (e) {
      fail(e);
    }
  }, [apply, fail, terminalId]);

  useEffect(() => {
    void openCart();
  }, [openCart]);

  // A cart that left "open" elsewhere (held, sold, cancelled): start a new one.
  useEffect(() => {
    if (cart && cart.status !== "open" && mode === "sale") void openCart();
  }, [cart, mode, openCart]);

  /** Runs a cart command; an approval_required answer opens the manager prompt. */
  async function cartOp<K extends CartCommand>(
    name: K,
    input: CommandRequest<K>,
    what?: string,
  ): Promise<boolean> {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      apply(await call(name, input));
      return true;
    } catch (e) {
      const err = toApiError(e);
      if (err.is("approval_required") && what) {
        setApproval({
          what,
          reason: err.details.reason,
          run: async (a: Approver) => apply(await call(name, { ...input, ...a })),
        });
      } else if (err.kind === "prescription_required" && name === "add_cart_line") {
        const i = input as CommandRequest<"add_cart_line">;
        setRxFor({ productId: i.product_id, name: t("this product"), quantity: i.quantity, batchId: i.batch_id });
      } else fail(err);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function addProduct(p: { productId: string; name: string; prescriptionOnly: boolean; quantity?: string; batchId?: string }) {
    if (!cart) return;
    if (p.prescriptionOnly) {
      setRxFor({ productId: p.productId, name: p.name, quantity: p.quantity, batchId: p.batchId });
      return;
    }
    await cartOp("add_cart_line", { cart_id: cart.cart_id, product_id: p.productId, quantity: p.quantity, batch_id: p.batchId });
  }

  async function onScan(code: string, fromField: HTMLElement | null) {
    if (fromField) setSearch("");
    if (mode !== "sale") {
      setReceipt(null);
      setMode("sale");
    }
    setRefusal(null);
    setLastScan(null);
    setError(null);
    try {
      const r = await call("scan_barcode", { code });
      if (r.decision === "refused") {
        setRefusal(r);
        return;
      }
      setLastScan(r);
      await addProduct({
        productId: r.product.id,
        name: r.product.name,
        prescriptionOnly: r.prescription_only,
        quantity: r.quantity,
        batchId: r.decision === "use_batch" ? r.batch?.batch_id : undefined,
      });
    } catch (e) {
      const err = toApiError(e);
      fail(new ApiError(err.kind, t("Scan {{code}}: {{message}}", { code: printable(code), message: err.message }), err.details));
    }
  }

  // Scanning the next customer's first pack while the receipt shows starts the next sale.
  // During payment too: a pack the customer adds goes to the cart (the amount fields are restored).
  const scanEnabled = (mode === "sale" || mode === "pay" || mode === "held" || mode === "receipt") && !approval && !rxFor;
  const scanner = useScanner((code, field) => void onScan(code, field), scanEnabled);

  const focusSearch = () => {
    if (scanner.inBurst()) return;
    setMode("sale");
    setTimeout(() => document.querySelector<HTMLInputElement>(`input[${SCAN_TARGET_ATTR}]`)?.focus(), 0);
  };
  useShortcut("f2", focusSearch);
  useShortcut("/", focusSearch, mode === "sale");
  useShortcut("f4", () => cart && cart.lines.length > 0 && setMode("pay"), mode === "sale");
  useShortcut("f7", () => setMode("held"));
  useShortcut("f8", () => setMode("returns"));
  useShortcut("f9", () => setMode("shift"));
  useShortcut(
    "escape",
    () => {
      if (approval) return setApproval(null);
      if (rxFor) return setRxFor(null);
      if (refusal) return setRefusal(null);
      if (pickFor) return setPickFor(null);
      if (mode === "receipt") {
        setReceipt(null);
        return setMode("sale");
      }
      if (mode !== "sale") return setMode("sale");
    },
    true,
  );

  const lineActions = {
    setQuantity: (l: CartLineView, quantity: string) => void cartOp("update_cart_line", { cart_id: cart?.cart_id ?? "", line_id: l.line_id, quantity }),
    remove: (l: CartLineView) => void cartOp("remove_cart_line", { cart_id: cart?.cart_id ?? "", line_id: l.line_id }),
    discount: (l: CartLineView, kind: DiscountKind, value: string | null) =>
      void cartOp(
        "set_line_discount",
        { cart_id: cart?.cart_id ?? "", line_id: l.line_id, discount: value === null ? undefined : { kind, value } },
        t("Discount on {{name}}", { name: l.name }),
      ),
    overridePrice: (l: CartLineView, unitPrice: string | null) =>
      void cartOp(
        "override_line_price",
        { cart_id: cart?.cart_id ?? "", line_id: l.line_id, unit_price: unitPrice ?? undefined },
        t("Price of {{name}}", { name: l.name }),
      ),
    shortage: (l: CartLineView) =>
      setShortage({ productId: l.product_id, name: l.name, unit: l.unit, requested: l.quantity, available: l.available, lineId: l.line_id }),
    batch: (l: CartLineView) => {
      setSearch("");
      setPickFor({ line: l });
    },
  };

  /** Pins a cart line to a batch (or back to FEFO with null). */
  async function setLineBatch(l: CartLineView, batch: { batch_id: string; batch_number: string } | null) {
    if (!cart) return;
    const ok = await cartOp(
      "update_cart_line",
      batch ? { cart_id: cart.cart_id, line_id: l.line_id, batch_id: batch.batch_id } : { cart_id: cart.cart_id, line_id: l.line_id, use_fefo: true },
    );
    if (ok)
      setNotice(
        batch
          ? t("{{name}} now sells from batch {{batch}}.", { name: l.name, batch: batch.batch_number })
          : t("{{name}} sells FEFO stock again (earliest expiry first).", { name: l.name }),
      );
  }

  function onPayError(e: unknown) {
    const err = toApiError(e);
    if (err.is("insufficient_stock") && cart) {
      const pid = err.details.product_id;
      const line = cart.lines.find((l) => l.product_id === pid) ?? cart.lines.find((l) => l.short);
      if (line) {
        setShortage({
          productId: line.product_id,
          name: line.name,
          unit: line.unit,
          requested: err.details.requested,
          available: err.details.available,
          lineId: line.line_id,
        });
        setMode("sale");
      }
    }
  }

  async function hold(customer: string) {
    if (!cart) return;
    if (await cartOp("hold_cart", { cart_id: cart.cart_id, customer_name: customer.trim() || undefined })) {
      setNotice(
        customer.trim()
          ? t("Held the cart for {{customer}}; its stock is reserved.", { customer: customer.trim() })
          : t("Held the cart; its stock is reserved."),
      );
      await openCart();
    }
  }

  async function cancel() {
    if (!cart) return;
    if (await cartOp("cancel_cart", { cart_id: cart.cart_id })) {
      setNotice(t("Cart cancelled."));
      await openCart();
    }
  }

  const tenders = settings.data?.tenders ?? ["cash", "card"];

  return (
    <div className="till">
      <nav className="till-modes" aria-label={t("Till")}>
        {MODES.map((m) => (
          <button
            key={m.id}
            type="button"
            className={mode === m.id || (m.id === "sale" && (mode === "pay" || mode === "receipt")) ? "active" : ""}
            aria-pressed={mode === m.id}
            onClick={() => setMode(m.id)}
          >
            {m.label()} <Kbd>{t(m.key)}</Kbd>
          </button>
        ))}
      </nav>

      {refusal && <RefusalBanner scan={refusal} onDismiss={() => setRefusal(null)} />}
      {approval && (
        <ApprovalPrompt
          pending={approval}
          onCancel={() => setApproval(null)}
          onDone={() => {
            setApproval(null);
            setNotice(t("{{what}}: approved.", { what: approval.what }));
          }}
        />
      )}
      {rxFor && cart && (
        <PrescriptionPrompt
          name={rxFor.name}
          onCancel={() => setRxFor(null)}
          onSubmit={async (ref) => {
            const ok = await cartOp("add_cart_line", {
              cart_id: cart.cart_id,
              product_id: rxFor.productId,
              quantity: rxFor.quantity,
              batch_id: rxFor.batchId,
              prescription_reference: ref,
            });
            if (ok) setRxFor(null);
          }}
        />
      )}
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      <Notice>{notice}</Notice>

      {mode === "receipt" && receipt && (
        <div className="receipt-screen">
          <ReceiptView receipt={receipt} showBatch={settings.data?.receipt_show_batch ?? true} showExpiry={settings.data?.receipt_show_expiry ?? true} />
          <div className="form-actions no-print">
            <button type="button" onClick={() => window.print()}>
              {t("Print receipt")}
            </button>
            <button
              type="button"
              className="primary"
              autoFocus
              onClick={() => {
                setReceipt(null);
                setMode("sale");
              }}
            >
              {t("New sale")} <Kbd>{t("Esc")}</Kbd>
            </button>
          </div>
        </div>
      )}

      {(mode === "sale" || mode === "pay") && (
        <div className="till-grid">
          <div className="till-main">
            {mode === "sale" && (
              <ProductSearch
                value={search}
                onChange={setSearch}
                onPick={(h) => {
                  setSearch("");
                  void addProduct({ productId: h.product.id, name: h.product.name, prescriptionOnly: h.product.prescription_only });
                }}
                onPickBatch={(h) => {
                  setSearch("");
                  setPickFor({ hit: h });
                }}
              />
            )}
            {pickFor?.hit && (
              <BatchPicker
                productId={pickFor.hit.product.id}
                name={pickFor.hit.product.name}
                onClose={() => setPickFor(null)}
                onPick={(batch) => {
                  const h = pickFor.hit;
                  setPickFor(null);
                  void addProduct({
                    productId: h.product.id,
                    name: h.product.name,
                    prescriptionOnly: h.product.prescription_only,
                    batchId: batch.batch_id,
                  });
                }}
              />
            )}
            {pickFor?.line && (
              <BatchPicker
                productId={pickFor.line.product_id}
                name={pickFor.line.name}
                currentBatchId={pickFor.line.batch_id}
                onClose={() => setPickFor(null)}
                onPick={(batch) => {
                  const l = pickFor.line;
                  setPickFor(null);
                  void setLineBatch(l, batch);
                }}
                onFefo={() => {
                  const l = pickFor.line;
                  setPickFor(null);
                  void setLineBatch(l, null);
                }}
              />
            )}
            {/* A plain barcode (no batch on it) needs no note: FEFO is invisible to the cashier. */}
            {lastScan && lastScan.message && !(lastScan.decision === "fefo" && !lastScan.parsed?.batch) && (
              <p className="scan-note" role="status" data-testid="scan-note">
                {t("{{product}}: {{message}}", { product: lastScan.product.name, message: lastScan.message })}
              </p>
            )}
            {shortage && (
              <ShortagePanel
                shortage={shortage}
                onSellAvailable={async () => {
                  if (!cart) return;
                  const ok = await cartOp("update_cart_line", { cart_id: cart.cart_id, line_id: shortage.lineId, quantity: shortage.available });
                  if (ok)
                    setNotice(t("Quantity of {{name}} set to the {{quantity}} available.", { name: shortage.name, quantity: f.qty(shortage.available) }));
                }}
                onClose={() => setShortage(null)}
              />
            )}
            {cart ? <CartTable cart={cart} actions={lineActions} busy={busy} /> : <Loading what={t("the cart")} />}
          </div>
          <aside className="till-side">
            {cart && <Totals cart={cart} />}
            {cart && mode === "sale" && (
              <CartActions
                cart={cart}
                busy={busy}
                onPay={() => setMode("pay")}
                onHold={hold}
                onCancel={cancel}
                onCartDiscount={(kind, value) =>
                  void cartOp("set_cart_discount", { cart_id: cart.cart_id, discount: value === null ? undefined : { kind, value } }, t("Cart discount"))
                }
              />
            )}
          </aside>
          {mode === "pay" && cart && (
            <div className="till-pay">
              <PaymentPanel
                cart={cart}
                tenders={tenders}
                roundingIncrement={settings.data?.rounding_increment ?? "0"}
                onCancel={() => setMode("sale")}
                onError={onPayError}
                onPaid={(r) => {
                  setReceipt(r);
                  setMode("receipt");
                  setLastScan(null);
                  void openCart();
                }}
              />
            </div>
          )}
        </div>
      )}

      {mode === "held" && (
        <HeldCartsPanel
          terminalId={terminalId}
          currentCart={cart}
          onResumed={(v) => {
            apply(v);
            setMode("sale");
            setNotice(v.customer_name ? t("Resumed the cart of {{customer}}.", { customer: v.customer_name }) : t("Resumed the cart."));
          }}
        />
      )}
      {mode === "returns" && <ReturnsPanel terminalId={terminalId} tenders={tenders} user={user} defaultDisposition={settings.data?.return_disposition ?? "quarantine"} />}
      {mode === "shift" && <ShiftPanel terminalId={terminalId} onClosed={onClosed} />}
    </div>
  );
}

/** Control characters made visible in messages (GS → ␝). */
function printable(code: string): string {
  return code.split(GS).join("␝");
}

function refusalTitle(refusal: string | null): string {
  switch (refusal) {
    case "expired":
      return i18next.t("EXPIRED — do not sell");
    case "recalled":
      return i18next.t("RECALLED — do not sell");
    case "quarantine":
      return i18next.t("IN QUARANTINE — do not sell");
    case "damaged":
      return i18next.t("DAMAGED — do not sell");
    default:
      return i18next.t("REFUSED — do not sell");
  }
}

function RefusalBanner({ scan, onDismiss }: { scan: ScanResult; onDismiss: () => void }) {
  const { t } = useTranslation();
  const batch = scan.batch?.batch_number ?? scan.parsed?.batch ?? null;
  return (
    <div className="refusal" role="alert" data-testid="scan-refusal" data-refusal={scan.refusal ?? ""}>
      <div className="refusal-title">{refusalTitle(scan.refusal)}</div>
      <div className="refusal-product">
        {scan.product.name}
        {batch ? ` · ${t("batch {{batch}}", { batch })}` : ""}
      </div>
      <p>{scan.message}</p>
      <p className="small">{t("Put the pack aside for the pharmacist. Scan another pack to continue.")}</p>
      <button type="button" onClick={onDismiss}>
        {t("Understood")} <Kbd>{t("Esc")}</Kbd>
      </button>
    </div>
  );
}

function ProductSearch({
  value,
  onChange,
  onPick,
  onPickBatch,
}: {
  value: string;
  onChange: (v: string) => void;
  onPick: (h: ProductHit) => void;
  onPickBatch: (h: ProductHit) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = value.trim();
  const hits = useCommandQuery("search_products", { query: q, limit: 8 }, { enabled: q.length > 0 });
  const list = q ? (hits.data ?? []) : [];
  const [sel, setSel] = useState(0);
  const [seenQ, setSeenQ] = useState(q);
  if (seenQ !== q) {
    setSeenQ(q);
    setSel(0);
  }
  return (
    <div className="till-search">
      <Field label={t("Search products")} hint={t("Name, SKU or barcode — F2 or / to come here, ↑↓ to choose, Enter adds, Shift+Enter chooses the batch")}>
        {(id) => (
          <input
            id={id}
            type="search"
            {...{ [SCAN_TARGET_ATTR]: "" }}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") {
                e.preventDefault();
                setSel((s) => Math.min(s + 1, list.length - 1));
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                setSel((s) => Math.max(s - 1, 0));
              } else if (e.key === "Enter") {
                e.preventDefault();
                const h = list[sel];
                if (h) (e.shiftKey ? onPickBatch : onPick)(h);
              } else if (e.key === "Escape") {
                onChange("");
                (e.target as HTMLInputElement).blur();
              }
            }}
            aria-controls="till-hits"
            aria-activedescendant={list[sel] ? `hit-${list[sel].product.id}` : undefined}
          />
        )}
      </Field>
      {q && (
        <ul id="till-hits" className="hits" role="listbox" aria-label={t("Matching products")}>
          {list.map((h, i) => (
            <li
              key={h.product.id}
              id={`hit-${h.product.id}`}
              role="option"
              aria-selected={i === sel}
              className={i === sel ? "selected" : ""}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(h);
              }}
              data-sku={h.product.sku}
            >
              <span className="hit-name">
                {h.product.name} <span className="muted small">{h.product.sku}</span>
                {h.product.prescription_only && <span className="badge rx">{t("Rx")}</span>}
              </span>
              <span className="hit-stock">{f.qty(h.available, h.product.unit)}</span>
              <span className="hit-price">{f.money(h.product.selling_price)}</span>
              <span className="hit-expiry small">{h.nearest_expiry ? t("exp {{date}}", { date: f.date(h.nearest_expiry) }) : t("no dated stock")}</span>
              <button
                type="button"
                className="link small"
                tabIndex={-1}
                aria-label={t("Choose the batch of {{name}}", { name: h.product.name })}
                onMouseDown={(e) => {
                  e.preventDefault();
                  e.stopPropagation();
                  onPickBatch(h);
                }}
              >
                {t("batch…")}
              </button>
            </li>
          ))}
          {hits.isSuccess && list.length === 0 && <li className="muted">{t("No product matches “{{query}}”.", { query: q })}</li>}
        </ul>
      )}
    </div>
  );
}

function Totals({ cart }: { cart: CartView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const x = cart.totals;
  return (
    <dl className="totals" aria-label={t("Totals")} data-testid="totals">
      <dt>{t("Subtotal")}</dt>
      <dd data-testid="total-subtotal">{f.money(x.subtotal)}</dd>
      <dt>{t("Discounts")}</dt>
      <dd data-testid="total-discount">{f.money(x.discount)}</dd>
      <dt>{cart.prices_include_tax ? t("Tax (included)") : t("Tax (added)")}</dt>
      <dd data-testid="total-tax">{f.money(x.tax)}</dd>
      {x.taxes.map((r) => (
        <TaxLineRow key={r.rate} rate={r.rate} tax={r.tax} />
      ))}
      <dt>{t("Rounding")}</dt>
      <dd data-testid="total-rounding">{f.money(x.rounding)}</dd>
      <dt className="grand">{t("Total")}</dt>
      <dd className="grand" data-testid="total-total">
        {f.money(x.total)}
      </dd>
    </dl>
  );
}

function TaxLineRow({ rate, tax }: { rate: string; tax: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <dt className="small muted">{t("at {{rate}}", { rate: f.percent(rate) })}</dt>
      <dd className="small muted">{f.money(tax)}</dd>
    </>
  );
}

function CartActions({
  cart,
  busy,
  onPay,
  onHold,
  onCancel,
  onCartDiscount,
}: {
  cart: CartView;
  busy: boolean;
  onPay: () => void;
  onHold: (customer: string) => Promise<void>;
  onCancel: () => Promise<void>;
  onCartDiscount: (kind: DiscountKind, value: string | null) => void;
}) {
  const { t } = useTranslation();
  const [holding, setHolding] = useState(false);
  const [customer, setCustomer] = useState("");
  const [kind, setKind] = useState<DiscountKind>(cart.discount?.kind ?? "percent");
  const [value, setValue] = useState(cart.discount?.value ?? "");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const empty = cart.lines.length === 0;
  useShortcut("f6", () => !empty && setHolding(true));

  async function submitHold(e: FormEvent) {
    e.preventDefault();
    await onHold(customer);
    setHolding(false);
    setCustomer("");
  }

  return (
    <div className="cart-actions">
      <button type="button" className="primary big" onClick={onPay} disabled={empty || busy} aria-keyshortcuts="F4">
        {t("Pay")} <Kbd>{t("F4")}</Kbd>
      </button>
      <form
        className="inline-form"
        aria-label={t("Cart discount")}
        onSubmit={(e) => {
          e.preventDefault();
          onCartDiscount(kind, value.trim() === "" ? null : value.trim());
        }}
      >
        <label>
          {t("Cart discount")}{" "}
          <select value={kind} onChange={(e) => setKind(e.target.value as DiscountKind)} aria-label={t("Cart discount kind")}>
            <option value="percent">%</option>
            <option value="amount">{t("amount")}</option>
          </select>
        </label>
        <input aria-label={t("Cart discount value")} {...RESTORE_ON_SCAN} value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" size={6} />
        <button type="submit" disabled={empty} aria-label={t("Apply cart discount")}>
          {t("Apply")}
        </button>
      </form>
      {holding ? (
        <form className="inline-form" aria-label={t("Hold the cart")} onSubmit={submitHold}>
          <Field label={t("Customer name")} hint={t("To find the cart again")}>
            {(id) => <input id={id} value={customer} onChange={(e) => setCustomer(e.target.value)} autoFocus />}
          </Field>
          <button type="submit" className="primary">
            {t("Hold cart")}
          </button>
          <button type="button" onClick={() => setHolding(false)}>
            {t("Back")}
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setHolding(true)} disabled={empty || busy} aria-keyshortcuts="F6">
          {t("Hold")} <Kbd>{t("F6")}</Kbd>
        </button>
      )}
      {confirmCancel ? (
        <div className="inline-form" role="group" aria-label={t("Confirm cancel")}>
          <span>{t("Cancel this cart?")}</span>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmCancel(false);
              void onCancel();
            }}
          >
            {t("Yes, cancel cart")}
          </button>
          <button type="button" onClick={() => setConfirmCancel(false)}>
            {t("No")}
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirmCancel(true)} disabled={empty || busy}>
          {t("Cancel cart")}
        </button>
      )}
    </div>
  );
}

function PrescriptionPrompt({ name, onSubmit, onCancel }: { name: string; onSubmit: (ref: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [ref, setRef] = useState("");
  return (
    <form
      className="panel approval"
      aria-label={t("Prescription reference")}
      onSubmit={(e) => {
        e.preventDefault();
        if (ref.trim()) void onSubmit(ref.trim());
      }}
    >
      <h2>{t("Prescription needed")}</h2>
      <p>{t("{{name}} is prescription-only. Enter the prescription's reference; it is kept with the sale.", { name })}</p>
      <div className="grid three">
        <Field label={t("Prescription reference")}>{(id) => <input id={id} value={ref} onChange={(e) => setRef(e.target.value)} autoFocus required />}</Field>
        <div className="form-actions">
          <button type="submit" className="primary">
            {t("Add to cart")}
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")}
          </button>
        </div>
      </div>
    </form>
  );
}
