// The till: sell (scan or search, cart, payment, receipt), held carts,
// returns and voids, and the shift (open with a float, X report, close with
// the counted cash → Z report). Keyboard first: a scanner works without
// clicking anywhere; F2 or / search; F4 pay; F6 hold; F7 held carts;
// F8 returns; F9 shift; Esc goes back. Prompts, warnings and search
// results open in dialogs or popovers and messages in a strip at the
// bottom, so the cart and the Pay button never move under the cashier.
import { useCallback, useEffect, useRef, useState } from "react";
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
import { Kbd } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { i18next } from "../../i18n";
import { useFormat } from "../../lib/locale";
import { COMMAND_KEY, useCommandQuery, useTillConfig } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import { useOnUnauthenticated } from "../shell/session";
import { ApprovalPrompt, approvalFactsOf, type ApprovalFacts, type Approver, type PendingApproval } from "./ApprovalPrompt";
import { BatchPicker } from "./BatchPicker";
import { CartActions, ChangeDue, PayButton, TotalDue, Totals, type LastChange } from "./CartSide";
import { CartTable } from "./CartTable";
import { HeldCartsPanel } from "./HeldCartsPanel";
import { PaymentPanel } from "./PaymentPanel";
import { ProductSearch } from "./ProductSearch";
import { PrescriptionDialog, RefusalDialog } from "./Prompts";
import { ReceiptView } from "./ReceiptView";
import { ReturnsPanel } from "./ReturnsPanel";
import { OpenShiftForm, ShiftPanel, ZReport } from "./ShiftPanel";
import { ShortagePanel, type Shortage } from "./ShortagePanel";
import { GS } from "./scanner";
import { useScanSound } from "./scanSound";
import "./till.css";
import { SCAN_TARGET_ATTR, useScanner } from "./useScanner";
import { CounterPrint } from "./CounterPrint";

/** The commands that answer the cart. */
type CartCommand = { [K in CommandName]: CommandResponse<K> extends CartView ? K : never }[CommandName];

type Mode = "sale" | "pay" | "receipt" | "held" | "returns" | "shift";

/** How long a cart command runs before the cart's buttons show it busy. */
const BUSY_SHOWN_AFTER_MS = 150;

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
  // Every cart command answers the whole cart, which `apply` stores: fresh until the
  // shell says the data changed (then it is refetched), never fetched again just
  // because it was stored.
  const cartQ = useCommandQuery("get_cart", { cart_id: cartId ?? "" }, { enabled: cartId !== null, staleTime: Infinity });
  // The cart a command just answered, drawn in the same render as the rest of
  // that answer (the query cache tells its readers a task later: a scan's
  // line would wait for a second render). A refetch after it wins.
  const [answered, setAnswered] = useState<{ view: CartView; at: number } | null>(null);
  const cart =
    answered && answered.view.cart_id === cartId && answered.at >= cartQ.dataUpdatedAt ? answered.view : (cartQ.data ?? null);
  const [refusal, setRefusal] = useState<ScanResult | null>(null);
  const [lastScan, setLastScan] = useState<ScanResult | null>(null);
  const [approval, setApproval] = useState<PendingApproval | null>(null);
  const [rxFor, setRxFor] = useState<{ productId: string; name: string; quantity?: string; batchId?: string } | null>(null);
  const [shortage, setShortage] = useState<Shortage | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  /** The last sale's change: shown big until the next sale's first line. */
  const [lastChange, setLastChange] = useState<(LastChange & { cartId: string }) | null>(null);
  // The next sale has started (a line in a cart other than the one just
  // paid): the last change is history. Adjusted while rendering, not in an
  // effect, so the scan that adds the line paints once.
  if (lastChange && cart && cart.cart_id !== lastChange.cartId && cart.lines.length > 0) setLastChange(null);
  const sound = useScanSound();
  // Cart commands run one at a time, in order: the next (a scan, an edit, Pay)
  // waits for the answer in flight, so an older cart never lands on a newer
  // one. The cart's buttons show busy only when an answer is slow: a scan's
  // few milliseconds would flash every button disabled and back, repainting
  // the cart twice while the answer is on its way.
  const [busy, setBusy] = useState(false);
  const inFlight = useRef<Promise<unknown> | null>(null);
  const serialised = useCallback(<T,>(work: () => Promise<T>): Promise<T> => {
    const before = inFlight.current;
    let run: Promise<T> | null = null;
    run = (async () => {
      if (before) await before.catch(() => undefined);
      const shown = window.setTimeout(() => setBusy(true), BUSY_SHOWN_AFTER_MS);
      try {
        return await work();
      } finally {
        window.clearTimeout(shown);
        if (inFlight.current === run) {
          inFlight.current = null;
          setBusy(false);
        }
      }
    })();
    inFlight.current = run;
    return run;
  }, []);
  /** Runs `then` once the cart command in flight (if any) has answered. */
  const afterInFlight = (then: () => void) => void (inFlight.current ?? Promise.resolve()).catch(() => undefined).then(then);
  const [search, setSearch] = useState("");
  /** The batch picker: for a search hit (adds a line) or for a cart line (changes its batch). */
  const [pickFor, setPickFor] = useState<{ hit: ProductHit; line?: undefined } | { line: CartLineView; hit?: undefined } | null>(null);

  // The till's current cart as the last answer named it (null after a sale,
  // until the next cart is open). A scan reads it when its turn comes, not
  // from the render it started in: one queued behind Pay would otherwise go
  // to the cart just sold.
  const currentCartId = useRef<string | null>(null);
  const apply = useCallback(
    (v: CartView) => {
      currentCartId.current = v.cart_id;
      const queryKey = [COMMAND_KEY, "get_cart", { cart_id: v.cart_id }];
      // A get_cart still in flight was read before this change: cancelled (it would
      // otherwise land after, and draw the older cart until the next refetch).
      void qc.cancelQueries({ queryKey, exact: true });
      const at = Date.now();
      qc.setQueryData(queryKey, v, { updatedAt: at });
      setAnswered({ view: v, at });
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
    approvalFacts?: ApprovalFacts,
  ): Promise<boolean> {
    setError(null);
    setNotice(null);
    try {
      apply(await serialised(() => call(name, input)));
      return true;
    } catch (e) {
      const err = toApiError(e);
      if (err.is("approval_required") && approvalFacts) {
        setApproval({
          ...approvalFacts,
          cashier: user.name,
          ...approvalFactsOf(err.details, f),
          reason: err.details.reason,
          run: async (a: Approver) => apply(await call(name, { ...input, ...a })),
        });
      } else if (err.kind === "prescription_required" && name === "add_cart_line") {
        const i = input as CommandRequest<"add_cart_line">;
        setRxFor({ productId: i.product_id, name: t("this product"), quantity: i.quantity, batchId: i.batch_id });
      } else fail(err);
      return false;
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
    // Inside the scan's key event: WebKit starts audio only from a user gesture.
    sound.prime();
    if (fromField) setSearch("");
    if (mode !== "sale") {
      setReceipt(null);
      setMode("sale");
    }
    // (The last scan's note stays until this scan's answer replaces it: clearing
    // it here would cost a render and a paint while the answer is on its way.)
    setRefusal(null);
    setError(null);
    setNotice(null);
    try {
      const { scan: r, cart: added } = await serialised(async () => {
        // A scan before the till's cart has loaded, or right after a sale: open_cart
        // answers the till's open cart (the same one the till is opening).
        const cartId = currentCartId.current ?? (await call("open_cart", { terminal_id: terminalId })).cart_id;
        // One round trip: the engine scans and, when the pack may be sold, adds the line.
        return call("scan_to_cart", { cart_id: cartId, code });
      });
      if (r.decision === "refused") {
        sound.play("refused");
        setLastScan(null);
        setRefusal(r);
        return;
      }
      sound.play("accepted");
      setLastScan(r);
      if (added) apply(added);
      else
        setRxFor({
          productId: r.product.id,
          name: r.product.name,
          quantity: r.quantity,
          batchId: r.decision === "use_batch" ? r.batch?.batch_id : undefined,
        });
    } catch (e) {
      const err = toApiError(e);
      sound.play("refused");
      setLastScan(null);
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
  useShortcut("f4", () => cart && cart.lines.length > 0 && afterInFlight(() => setMode("pay")), mode === "sale");
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

  const discountLimit = settings.data
    ? t("{{percent}} for a cashier", { percent: f.percent(settings.data.cashier_discount_limit_percent) })
    : undefined;
  /** A discount in words: "50% of ₦40.00", "₦5.00 off ₦40.00". */
  const discountAmount = (kind: DiscountKind, value: string, of: string) =>
    kind === "percent"
      ? t("{{percent}} of {{amount}}", { percent: f.percent(value), amount: f.money(of) })
      : t("{{discount}} off {{amount}}", { discount: f.money(value), amount: f.money(of) });

  const lineActions = {
    setQuantity: (l: CartLineView, quantity: string) => void cartOp("update_cart_line", { cart_id: cart?.cart_id ?? "", line_id: l.line_id, quantity }),
    remove: (l: CartLineView) => void cartOp("remove_cart_line", { cart_id: cart?.cart_id ?? "", line_id: l.line_id }),
    discount: (l: CartLineView, kind: DiscountKind, value: string | null) =>
      void cartOp(
        "set_line_discount",
        { cart_id: cart?.cart_id ?? "", line_id: l.line_id, discount: value === null ? undefined : { kind, value } },
        {
          what: t("Discount on {{name}}", { name: l.name }),
          amount: value === null ? undefined : discountAmount(kind, value, l.gross),
          limit: discountLimit,
        },
      ),
    overridePrice: (l: CartLineView, unitPrice: string | null) =>
      void cartOp(
        "override_line_price",
        { cart_id: cart?.cart_id ?? "", line_id: l.line_id, unit_price: unitPrice ?? undefined },
        {
          what: t("Price of {{name}}", { name: l.name }),
          amount: unitPrice === null ? undefined : t("{{price}} instead of {{list}}", { price: f.money(unitPrice), list: f.money(l.list_price) }),
          limit: t("any change of a list price"),
        },
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
      <div className="till-bar">
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
        <button
          type="button"
          className="scan-sound-toggle"
          aria-pressed={sound.on}
          onClick={sound.toggle}
          title={t("A beep for each accepted scan, a buzz for a refused one (this workstation)")}
        >
          {sound.on ? t("Scan sound: on") : t("Scan sound: off")}
        </button>
      </div>

      {refusal && <RefusalDialog scan={refusal} onDismiss={() => setRefusal(null)} />}
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
        <PrescriptionDialog
          name={rxFor.name}
          error={error}
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
      {shortage && (
        <ShortagePanel
          shortage={shortage}
          onSellAvailable={async () => {
            if (!cart) return;
            const ok = await cartOp("update_cart_line", { cart_id: cart.cart_id, line_id: shortage.lineId, quantity: shortage.available });
            if (ok) setNotice(t("Quantity of {{name}} set to the {{quantity}} available.", { name: shortage.name, quantity: f.qty(shortage.available) }));
          }}
          onClose={() => setShortage(null)}
          error={error}
          notice={notice}
        />
      )}
      {mode === "pay" && cart && (
        <PaymentPanel
          cart={cart}
          tenders={tenders}
          roundingIncrement={settings.data?.rounding_increment ?? "0"}
          isScanning={scanner.inBurst}
          onCancel={() => setMode("sale")}
          onError={onPayError}
          onPaid={(r) => {
            setReceipt(r);
            setLastChange({ cartId: cart.cart_id, saleNumber: r.sale_number, change: r.change, paid: r.paid, total: r.total });
            setMode("receipt");
            setLastScan(null);
            currentCartId.current = null;
            void openCart();
          }}
        />
      )}

      {mode === "receipt" && receipt && (
        <div className="receipt-screen">
          <ReceiptView receipt={receipt} showBatch={settings.data?.receipt_show_batch ?? true} showExpiry={settings.data?.receipt_show_expiry ?? true} />
          <div className="receipt-side no-print">
            {lastChange && <ChangeDue last={lastChange} />}
            <div className="form-actions">
              <CounterPrint document="receipt" id={receipt.sale_id} label={t("Print receipt")} auto />
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
            <p className="small muted">{t("Scanning the next customer's first pack starts the next sale.")}</p>
          </div>
        </div>
      )}

      {(mode === "sale" || mode === "pay") && (
        <div className="till-grid">
          <div className="till-main">
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
            {cart ? <CartTable cart={cart} actions={lineActions} busy={busy} /> : <Loading what={t("the cart")} />}
          </div>
          <aside className="till-side" aria-label={t("Payment and cart actions")}>
            {cart && (
              <>
                <TotalDue cart={cart} />
                <PayButton cart={cart} busy={busy} onPay={() => afterInFlight(() => setMode("pay"))} />
                <Totals cart={cart} />
                <CartActions
                  cart={cart}
                  busy={busy}
                  onHold={hold}
                  onCancel={cancel}
                  onCartDiscount={(kind, value) =>
                    void cartOp(
                      "set_cart_discount",
                      { cart_id: cart.cart_id, discount: value === null ? undefined : { kind, value } },
                      { what: t("Cart discount"), amount: value === null ? undefined : discountAmount(kind, value, cart.totals.subtotal), limit: discountLimit },
                    )
                  }
                />
              </>
            )}
            {lastChange && <ChangeDue last={lastChange} />}
          </aside>
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

      {/* Messages float at the bottom of the window: they never push the cart or the Pay button. */}
      <div className="till-messages" aria-live="polite">
        {/* A plain barcode (no batch on it) needs no note: FEFO is invisible to the cashier. */}
        {lastScan && lastScan.message && !(lastScan.decision === "fefo" && !lastScan.parsed?.batch) && (
          <p className="scan-note" role="status" data-testid="scan-note">
            {t("{{product}}: {{message}}", { product: lastScan.product.name, message: lastScan.message })}
          </p>
        )}
        {/* While a prompt is open its own errors show inside it. */}
        {!rxFor && !shortage && <ErrorMessage error={error} onDismiss={() => setError(null)} />}
        {!shortage && <Notice>{notice}</Notice>}
      </div>
    </div>
  );
}

/** Control characters made visible in messages (GS → ␝). */
function printable(code: string): string {
  return code.split(GS).join("␝");
}
