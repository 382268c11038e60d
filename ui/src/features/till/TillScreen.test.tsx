import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { BatchView } from "../../bindings/BatchView";
import type { CartLineView } from "../../bindings/CartLineView";
import type { CartView } from "../../bindings/CartView";
import type { Receipt } from "../../bindings/Receipt";
import type { ScanResult } from "../../bindings/ScanResult";
import { TillScreen } from "./TillScreen";
import { GS } from "./scanner";

afterEach(() => clearMocks());

/** A fake Web Audio: records each tone (waveform and frequency). */
const tones: { type: string; frequency: number }[] = [];
/** How many times an audio context was suspended. */
const contexts = { suspended: 0, resumed: 0 };
class FakeAudioContext {
  state = "running";
  currentTime = 0;
  destination = {};
  resume = vi.fn(async () => {
    this.state = "running";
    contexts.resumed++;
  });
  suspend = vi.fn(async () => {
    this.state = "suspended";
    contexts.suspended++;
  });
  close = vi.fn(async () => undefined);
  createOscillator() {
    const osc = {
      type: "sine",
      frequency: { setValueAtTime: (f: number) => tones.push({ type: osc.type, frequency: f }) },
      connect: () => undefined,
      start: () => undefined,
      stop: () => undefined,
    };
    return osc;
  }
  createGain() {
    return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: () => undefined };
  }
}
beforeEach(() => {
  tones.length = 0;
  contexts.suspended = 0;
  contexts.resumed = 0;
  localStorage.clear();
  vi.stubGlobal("AudioContext", FakeAudioContext);
});
afterEach(() => vi.unstubAllGlobals());

const USER = { id: "u1", name: "Bola", role: "cashier" as const, store_id: "s1", head_office: false, stores: [{ store_id: "s1", role: "cashier" as const }] };

function line(over: Partial<CartLineView>): CartLineView {
  return {
    line_id: "l1", line_no: 1, product_id: "p1", sku: "PARA500", name: "Paracetamol 500mg", unit: "pack", allow_fractional: false,
    prescription_only: false, prescription_reference: null, quantity: "1", batch_id: null, batch_number: null, batch_expiry: null,
    list_price: "20", unit_price: "20", price_overridden_by: null, discount: null, discount_approved_by: null, gross: "20",
    line_discount: "0", cart_discount: "0", tax_rate: "0", tax: "0", total: "20", available: "50", short: false, ...over,
  };
}

function cart(lines: CartLineView[], total = "0"): CartView {
  return {
    cart_id: "c1", store_id: "s1", terminal_id: "till-1", user_id: "u1", user_name: "Bola", status: "open", customer_name: null, note: null,
    discount: null, discount_approved_by: null, prices_include_tax: true, lines,
    totals: { subtotal: total, discount: "0", tax: "0", total_before_rounding: total, rounding: "0", total, taxes: [] },
    holds: [], held_at: null, hold_expires_at: null, sale_id: null, created_at: "2026-11-22T10:00:00Z", updated_at: "2026-11-22T10:00:00Z",
  };
}

function scanResult(over: Partial<ScanResult>): ScanResult {
  return {
    code: "x", parsed: null,
    product: { id: "p1", sku: "PARA500", name: "Paracetamol 500mg", unit: "pack", allow_fractional: false, prescription_only: false, price: "20", tax_rate: "0" },
    batch: null, decision: "fefo", refusal: null, message: "", quantity: "1", prescription_only: false, price: "20", available: "50", ...over,
  };
}

function batchView(over: Partial<BatchView>): BatchView {
  return {
    batch_id: "b1", product_id: "p1", product_name: "Paracetamol 500mg", sku: "PARA500", unit: "pack", store_id: "s1", batch_number: "P-1",
    serial_number: null, expiry_date: "2027-01-31", manufacture_date: null, initial_quantity: "50", quantity: "50", reserved: "0", available: "50",
    cost_price: "12", supplier_id: null, supplier_name: null, received_date: "2026-11-01", location: null, status: "available", status_reason: null,
    days_to_expiry: 70, expiry_band: "ok", ...over,
  };
}

function receipt(over: Partial<Receipt>): Receipt {
  return {
    sale_id: "x", sale_number: "LEK-S-000007", status: "completed", store: { name: "Lekki Pharmacy", code: "LEK", address: null, phone: null, currency: "NGN", header: null, footer: null },
    terminal_id: "till-1", cashier_id: "u1", cashier_name: "Bola", created_at: "", local_time: "2026-11-22 11:00", prices_include_tax: true,
    lines: [], taxes: [], subtotal: "20", discount: "0", tax: "0", rounding: "0", total: "20", payments: [{ tender: "cash", amount: "20", reference: null }], paid: "20", change: "0",
    cart_discount_approved_by: null, voided_at: null, voided_by: null, void_reason: null, ...over,
  } as Receipt;
}

type Calls = { name: string; input: Record<string, unknown> }[];

function renderTill(handle: (name: string, input: Record<string, unknown>) => unknown): Calls {
  const calls: Calls = [];
  mockIPC((cmd, args) => {
    if (cmd === "till_config") return { till_id: "till-1", source: "config_file", config_path: "/data/store.till.json", renamable: true };
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    if (name === "scan_to_cart") {
      // As the engine answers it: the scan, then the line when the pack may be sold.
      return (async () => {
        const scan = (await handle("scan_barcode", { code: input["code"] })) as ScanResult;
        if (scan.decision === "refused" || scan.prescription_only) return { scan };
        const batch_id = scan.decision === "use_batch" ? scan.batch?.batch_id : undefined;
        return { scan, cart: await handle("add_cart_line", { cart_id: input["cart_id"], product_id: scan.product.id, quantity: scan.quantity, batch_id }) };
      })();
    }
    if (name === "get_shift_report") return { status: "open", opened_at: "2026-11-22T08:00:00Z", terminal_id: "till-1" };
    if (name === "get_till_settings")
      return { tenders: ["cash", "card"], receipt_show_batch: true, receipt_show_expiry: true, cashier_discount_limit_percent: "10", cashier_refund_limit: "1000" };
    if (name === "list_approvers") return [{ id: "m1", name: "Ada Okafor" }, { id: "m2", name: "Chidi Eze" }];
    return handle(name, input);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TillScreen user={USER} />
    </QueryClientProvider>,
  );
  return calls;
}

/** A scanner: every key at once (jsdom timestamps are all but equal), then Enter. */
function scanKeys(code: string) {
  for (const key of code) fireEvent.keyDown(document.body, { key });
  fireEvent.keyDown(document.body, { key: "Enter" });
}

describe("TillScreen", () => {
  it("adds a scanned pack without any field focused, keeping GS1 group separators", async () => {
    let current = cart([]);
    const calls = renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "scan_barcode") return scanResult({ decision: "use_batch", batch: { batch_id: "b1", batch_number: "P-1", expiry_date: "2027-01-31", status: "available", available: "50" } });
      if (name === "add_cart_line") {
        current = cart([line({ batch_id: "b1", batch_number: "P-1" })], "20");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("table", { name: "Cart lines" });
    const code = `]d20109501101530003${GS}10P-1`;
    scanKeys(code);
    const row = await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    expect(within(row).getByText(/Batch P-1/)).toBeInTheDocument();
    expect(calls.find((c) => c.name === "scan_to_cart")?.input).toEqual({ cart_id: "c1", code });
    expect(screen.getByTestId("total-total")).toHaveTextContent("20.00");
  });

  it("sends the next scan only after the answer in flight, and shows the cart busy only when an answer is slow", async () => {
    let current = cart([]);
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const calls = renderTill(async (name, input) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "scan_barcode")
        return input["code"] === "5901234123457"
          ? scanResult({})
          : scanResult({ product: { ...scanResult({}).product, id: "p2", sku: "IBU200", name: "Ibuprofen 200mg" } });
      if (name === "add_cart_line") {
        const first = input["product_id"] === "p1";
        if (first) await slow;
        const added = first
          ? line({})
          : line({ line_id: "l2", line_no: 2, product_id: "p2", sku: "IBU200", name: "Ibuprofen 200mg", total: "30", gross: "30" });
        current = cart([...current.lines, added], first ? "20" : "50");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("table", { name: "Cart lines" });
    scanKeys("5901234123457");
    await waitFor(() => expect(calls.filter((c) => c.name === "scan_to_cart")).toHaveLength(1));
    scanKeys("4006381333931");
    // The first answer is slow: after a moment the cart's buttons say so.
    await waitFor(() => expect(screen.getByRole("button", { name: /Cancel cart/ })).toBeDisabled());
    expect(calls.filter((c) => c.name === "scan_to_cart")).toHaveLength(1);
    release();
    await screen.findByRole("row", { name: /Ibuprofen 200mg/ });
    expect(calls.filter((c) => c.name === "scan_to_cart").map((c) => c.input["code"])).toEqual(["5901234123457", "4006381333931"]);
    expect(screen.getAllByRole("row", { name: /Paracetamol 500mg|Ibuprofen 200mg/ })).toHaveLength(2);
    expect(screen.getByTestId("total-total")).toHaveTextContent("50.00");
    await waitFor(() => expect(screen.getByRole("button", { name: /Cancel cart/ })).toBeEnabled());
  });

  it("keeps the cart's buttons as they are while a quick scan is answered", async () => {
    let current = cart([line({})], "20");
    renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "scan_barcode") return scanResult({ product: { ...scanResult({}).product, id: "p2", sku: "IBU200", name: "Ibuprofen 200mg" } });
      if (name === "add_cart_line") {
        current = cart([...current.lines, line({ line_id: "l2", line_no: 2, product_id: "p2", sku: "IBU200", name: "Ibuprofen 200mg" })], "40");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    const pay = screen.getByRole("button", { name: /Pay/ });
    // Every state the Pay button passes through, from the scan to its line.
    const states: boolean[] = [];
    const watch = new MutationObserver(() => states.push((pay as HTMLButtonElement).disabled));
    watch.observe(pay, { attributes: true, attributeFilter: ["disabled"] });
    scanKeys("4006381333931");
    await screen.findByRole("row", { name: /Ibuprofen 200mg/ });
    watch.disconnect();
    expect(states).toEqual([]);
    expect(pay).toBeEnabled();
  });

  it("takes a burst typed into the search box as a scan and clears the box", async () => {
    let current = cart([]);
    const calls = renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "search_products") return [];
      if (name === "scan_barcode") return scanResult({});
      if (name === "add_cart_line") {
        current = cart([line({})], "20");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    const box = await screen.findByLabelText("Search products");
    box.focus();
    fireEvent.change(box, { target: { value: "5901234123457" } });
    for (const key of "5901234123457") fireEvent.keyDown(box, { key });
    fireEvent.keyDown(box, { key: "Enter" });
    await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    expect(calls.find((c) => c.name === "scan_to_cart")?.input).toEqual({ cart_id: "c1", code: "5901234123457" });
    expect(box).toHaveValue("");
  });

  it("a scan while the cursor sits in a quantity leaves the quantity alone", async () => {
    let current = cart([line({})], "20");
    const calls = renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "scan_barcode") return scanResult({ product: { ...scanResult({}).product, id: "p2", sku: "IBU200", name: "Ibuprofen 200mg" } });
      if (name === "add_cart_line") {
        current = cart([line({}), line({ line_id: "l2", line_no: 2, product_id: "p2", sku: "IBU200", name: "Ibuprofen 200mg" })], "40");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    const qty = await screen.findByLabelText("Quantity of Paracetamol 500mg");
    qty.focus();
    const code = "4006381333931";
    fireEvent.keyDown(qty, { key: code[0] });
    // What the browser would have typed into the field during the burst.
    fireEvent.change(qty, { target: { value: `1${code}` } });
    for (const key of code.slice(1)) fireEvent.keyDown(qty, { key });
    fireEvent.keyDown(qty, { key: "Enter" });
    await screen.findByRole("row", { name: /Ibuprofen 200mg/ });
    expect(screen.getByLabelText("Quantity of Paracetamol 500mg")).toHaveValue("1");
    expect(calls.find((c) => c.name === "scan_to_cart")?.input).toEqual({ cart_id: "c1", code });
    expect(calls.some((c) => c.name === "update_cart_line")).toBe(false);
  });

  it("asks for the prescription reference of a scanned prescription-only pack and adds it with the reference", async () => {
    let current = cart([]);
    const calls = renderTill((name, input) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "scan_barcode") return scanResult({ prescription_only: true });
      if (name === "add_cart_line") {
        if (!input["prescription_reference"])
          throw { kind: "prescription_required", message: "PARA500 is prescription-only: enter the prescription reference", details: { product_id: "p1", sku: "PARA500" } };
        current = cart([line({})], "20");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("table", { name: "Cart lines" });
    scanKeys("5901234123457");
    const prompt = await screen.findByRole("form", { name: "Prescription reference" });
    fireEvent.change(within(prompt).getByLabelText("Prescription reference"), { target: { value: "RX-42" } });
    fireEvent.click(within(prompt).getByRole("button", { name: "Add to cart" }));
    await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    const sent = calls.filter((c) => c.name === "add_cart_line");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.input).toMatchObject({ product_id: "p1", prescription_reference: "RX-42" });
  });

  it("shows a refused pack big and clear and adds nothing", async () => {
    const calls = renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return cart([]);
      if (name === "scan_barcode") return scanResult({ decision: "refused", refusal: "recalled", message: "batch P-9 is recalled: do not sell it" });
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("table", { name: "Cart lines" });
    scanKeys("5901234123457");
    const banner = await screen.findByTestId("scan-refusal");
    expect(banner).toHaveTextContent("RECALLED — do not sell");
    expect(banner).toHaveTextContent("batch P-9 is recalled");
    expect(calls.filter((c) => c.name === "scan_to_cart")).toHaveLength(1);
    expect(screen.queryByRole("row", { name: /Paracetamol 500mg/ })).toBeNull();
  });

  it("asks a manager picked from the list for their PIN, shows what they approve, and resends with it", async () => {
    let current = cart([line({})], "20");
    const calls = renderTill((name, input) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "set_line_discount") {
        if (!input["approver_pin"])
          throw {
            kind: "approval_required",
            message: "a 50% discount needs a manager's approval: give approver_name and approver_pin",
            details: { reason: "a 50% discount needs a manager's approval", measure: "percent", amount: "50", limit: "10", requested_by: "Bola" },
          };
        current = cart([line({ line_discount: "10", total: "10", discount: { kind: "percent", value: "50" } })], "10");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    fireEvent.click(await screen.findByRole("button", { name: "Discount Paracetamol 500mg" }));
    fireEvent.change(screen.getByLabelText("Line discount"), { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply line discount" }));
    const prompt = await screen.findByRole("form", { name: "Manager approval" });
    // The plain reason from the details, not the message's hint for API callers.
    expect(prompt).toHaveTextContent("a 50% discount needs a manager's approval.");
    expect(prompt).not.toHaveTextContent("approver_pin");
    // What the manager approves, in the engine's figures: the amount, the limit it passes, who asks.
    expect(within(prompt).getByTestId("approval-amount")).toHaveTextContent(/^50\s?%$/);
    expect(within(prompt).getByTestId("approval-limit")).toHaveTextContent(/^10\s?%$/);
    expect(within(prompt).getByTestId("approval-cashier")).toHaveTextContent("Bola");
    // Picked, not typed.
    fireEvent.click(await within(prompt).findByRole("radio", { name: "Ada Okafor" }));
    fireEvent.change(within(prompt).getByLabelText("Manager PIN"), { target: { value: "2580" } });
    fireEvent.click(within(prompt).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(screen.getByTestId("total-total")).toHaveTextContent("10.00"));
    const sent = calls.filter((c) => c.name === "set_line_discount");
    expect(sent).toHaveLength(2);
    expect(sent[1]?.input).toMatchObject({ discount: { kind: "percent", value: "50" }, approver_name: "Ada Okafor", approver_pin: "2580" });
    expect(calls.find((c) => c.name === "list_approvers")?.input).toEqual({});
  });

  it("completes a sale with one idempotency key, reused when the click is retried", async () => {
    const current = cart([line({})], "20");
    let attempts = 0;
    const calls = renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "complete_sale") {
        attempts++;
        if (attempts === 1) throw { kind: "storage", message: "database is busy", details: {} };
        return {
          sale_id: "x", sale_number: "LEK-S-000007", status: "completed", store: { name: "Lekki Pharmacy", code: "LEK", address: null, phone: null, currency: "NGN", header: null, footer: null },
          terminal_id: "till-1", cashier_id: "u1", cashier_name: "Bola", created_at: "", local_time: "2026-11-22 11:00", prices_include_tax: true,
          lines: [], taxes: [], subtotal: "20", discount: "0", tax: "0", rounding: "0", total: "20", payments: [{ tender: "cash", amount: "50", reference: null }], paid: "50", change: "30",
          cart_discount_approved_by: null, voided_at: null, voided_by: null, void_reason: null,
        };
      }
      throw new Error(`unexpected call ${name}`);
    });
    fireEvent.click(await screen.findByRole("button", { name: /Pay/ }));
    fireEvent.click(await screen.findByRole("button", { name: /^Cash/ }));
    fireEvent.change(screen.getByLabelText("Cash amount"), { target: { value: "50" } });
    expect(screen.getByTestId("pay-change")).toHaveTextContent("30.00");
    fireEvent.click(screen.getByRole("button", { name: /Complete sale/ }));
    await screen.findByText("database is busy");
    fireEvent.click(screen.getByRole("button", { name: /Complete sale/ }));
    expect(await screen.findByTestId("sale-number")).toHaveTextContent("LEK-S-000007");
    expect(screen.getByTestId("receipt-change")).toHaveTextContent("30.00");
    const ids = calls.filter((c) => c.name === "complete_sale").map((c) => c.input["sale_id"]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(calls.find((c) => c.name === "complete_sale")?.input["payments"]).toEqual([{ tender: "cash", amount: "50" }]);
  });

  it("sends a scan made right after a sale to the next cart, not the one sold", async () => {
    const sold = cart([line({})], "20");
    const opening: ((v: CartView) => void)[] = [];
    let sales = 0;
    const calls = renderTill((name, input) => {
      if (name === "get_cart") return sold;
      if (name === "open_cart") {
        if (sales === 0) return sold;
        // The next cart opens slowly: the scan comes before it is drawn.
        return new Promise<CartView>((resolve) => opening.push(resolve));
      }
      if (name === "complete_sale") {
        sales++;
        return receipt({ sale_number: "LEK-S-000008" });
      }
      if (name === "scan_barcode") return scanResult({ code: String(input["code"]) });
      if (name === "add_cart_line") return { ...cart([line({})], "20"), cart_id: String(input["cart_id"]) };
      throw new Error(`unexpected call ${name}`);
    });
    fireEvent.click(await screen.findByRole("button", { name: /Pay/ }));
    fireEvent.click(await screen.findByRole("button", { name: /^Cash/ }));
    fireEvent.change(screen.getByLabelText("Cash amount"), { target: { value: "20" } });
    fireEvent.click(screen.getByRole("button", { name: /Complete sale/ }));
    expect(await screen.findByTestId("sale-number")).toHaveTextContent("LEK-S-000008");
    scanKeys("5901234123457");
    // The till's own open_cart after the sale, and the scan's.
    await waitFor(() => expect(opening).toHaveLength(2));
    for (const open of opening) open({ ...cart([]), cart_id: "c2" });
    await waitFor(() => expect(calls.some((c) => c.name === "scan_to_cart")).toBe(true));
    const scans = calls.filter((c) => c.name === "scan_to_cart");
    expect(scans.map((c) => c.input["cart_id"])).toEqual(["c2"]);
  });

  it("changes a line's batch from the batch picker, and back to FEFO", async () => {
    let current = cart([line({})], "20");
    const calls = renderTill((name, input) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "get_store_inventory")
        return [
          batchView({}),
          batchView({ batch_id: "b2", batch_number: "P-2", expiry_date: "2027-09-30", available: "20" }),
          batchView({ batch_id: "b3", batch_number: "P-R", status: "recalled", available: "0" }),
        ];
      if (name === "update_cart_line") {
        current = input["use_fefo"] ? cart([line({})], "20") : cart([line({ batch_id: "b2", batch_number: "P-2", batch_expiry: "2027-09-30" })], "20");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    fireEvent.click(await screen.findByRole("button", { name: "Change the batch of Paracetamol 500mg" }));
    // A dialog above the cart, named by its heading.
    const picker = await screen.findByRole("dialog", { name: "Change the batch of Paracetamol 500mg" });
    expect(within(picker).queryByRole("button", { name: "Back to FEFO" })).toBeNull();
    expect(await within(picker).findByRole("button", { name: "Cannot be sold" })).toBeDisabled();
    fireEvent.click(within(picker).getByRole("button", { name: "Sell from P-2" }));
    const row = await screen.findByRole("row", { name: /Batch P-2/ });
    expect(row).toHaveTextContent("exp Sep 30, 2027");
    expect(screen.getByText("Paracetamol 500mg now sells from batch P-2.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "update_cart_line")?.input).toEqual({ cart_id: "c1", line_id: "l1", batch_id: "b2" });

    fireEvent.click(screen.getByRole("button", { name: "Change the batch of Paracetamol 500mg" }));
    const again = await screen.findByRole("dialog", { name: "Change the batch of Paracetamol 500mg" });
    const currentRow = await within(again).findByRole("row", { current: true });
    expect(currentRow).toHaveTextContent("P-2");
    fireEvent.click(within(again).getByRole("button", { name: "Back to FEFO" }));
    await waitFor(() => expect(screen.queryByText(/Batch P-2/)).toBeNull());
    expect(calls.filter((c) => c.name === "update_cart_line")[1]?.input).toEqual({ cart_id: "c1", line_id: "l1", use_fefo: true });
  });

  it("sells under the till id the shell keeps", async () => {
    const calls = renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return cart([]);
      throw new Error(`unexpected call ${name}`);
    });
    expect(await screen.findByTestId("till-id")).toHaveTextContent("Till till-1");
    await screen.findByRole("table", { name: "Cart lines" });
    expect(calls.find((c) => c.name === "get_shift_report")?.input).toEqual({ terminal_id: "till-1" });
    expect(calls.find((c) => c.name === "open_cart")?.input).toEqual({ terminal_id: "till-1" });
  });

  it("keeps the change due on screen, big, until the next sale's first line", async () => {
    let current = cart([line({})], "20");
    let opened = 0;
    renderTill((name) => {
      // The till opens c1 (one line); after the sale, the next cart c2.
      if (name === "open_cart") {
        if (opened++ > 0) current = { ...cart([]), cart_id: "c2" };
        return current;
      }
      if (name === "get_cart") return current;
      if (name === "complete_sale") return receipt({ payments: [{ tender: "cash", amount: "50", reference: null }], paid: "50", change: "30" });
      if (name === "scan_barcode") return scanResult({});
      if (name === "add_cart_line") {
        current = { ...cart([line({})], "20"), cart_id: "c2" };
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    fireEvent.click(await screen.findByRole("button", { name: /Pay/ }));
    fireEvent.click(await screen.findByRole("button", { name: /^Cash/ }));
    fireEvent.change(screen.getByLabelText("Cash amount"), { target: { value: "50" } });
    fireEvent.click(screen.getByRole("button", { name: /Complete sale/ }));
    expect(await screen.findByTestId("change-due-amount")).toHaveTextContent("$30.00");
    // Back to selling: the new, empty cart shows, and the change stays.
    fireEvent.click(await screen.findByRole("button", { name: /New sale/ }));
    await screen.findByRole("table", { name: "Cart lines" });
    expect(screen.getByTestId("change-due-amount")).toHaveTextContent("$30.00");
    // The next customer's first pack ends it.
    scanKeys("5901234123457");
    await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    await waitFor(() => expect(screen.queryByTestId("change-due")).toBeNull());
  });

  it("beeps for an accepted scan and buzzes for a refused one; the sound can be switched off for this workstation", async () => {
    let refuse = false;
    let current = cart([]);
    renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return current;
      if (name === "scan_barcode") return refuse ? scanResult({ decision: "refused", refusal: "expired", message: "expired" }) : scanResult({});
      if (name === "add_cart_line") {
        current = cart([line({})], "20");
        return current;
      }
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("table", { name: "Cart lines" });
    scanKeys("5901234123457");
    await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    expect(tones).toEqual([{ type: "sine", frequency: 1400 }]);
    // The audio is made suspended when the till opens, resumed by the scan's
    // key event, and suspended again once the tone has played (no audio
    // thread running between scans).
    expect(contexts.resumed).toBe(1);
    await waitFor(() => expect(contexts.suspended).toBe(2));

    refuse = true;
    scanKeys("5901234123457");
    await screen.findByTestId("scan-refusal");
    expect(contexts.resumed).toBe(2);
    expect(tones[1]).toEqual({ type: "square", frequency: 180 });
    fireEvent.click(screen.getByRole("button", { name: /Understood/ }));

    const toggle = screen.getByRole("button", { name: "Scan sound: on" });
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    fireEvent.click(toggle);
    expect(screen.getByRole("button", { name: "Scan sound: off" })).toHaveAttribute("aria-pressed", "false");
    expect(localStorage.getItem("pharmapos.till.scan-sound")).toBe("off");
    scanKeys("5901234123457");
    await screen.findByTestId("scan-refusal");
    expect(tones).toHaveLength(2);
  });

  it("starts silent when this workstation switched the sound off", async () => {
    localStorage.setItem("pharmapos.till.scan-sound", "off");
    renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return cart([]);
      if (name === "scan_barcode") return scanResult({ decision: "refused", refusal: "recalled", message: "recalled" });
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("button", { name: "Scan sound: off" });
    scanKeys("5901234123457");
    await screen.findByTestId("scan-refusal");
    expect(tones).toEqual([]);
  });

  it("opens prompts in dialogs that Esc closes, leaving the cart where it was", async () => {
    renderTill((name) => {
      if (name === "open_cart" || name === "get_cart") return cart([line({})], "20");
      if (name === "scan_barcode") return scanResult({ decision: "refused", refusal: "recalled", message: "recalled" });
      throw new Error(`unexpected call ${name}`);
    });
    await screen.findByRole("row", { name: /Paracetamol 500mg/ });
    scanKeys("5901234123457");
    const dialog = await screen.findByRole("alertdialog", { name: "RECALLED — do not sell" });
    await waitFor(() => expect(dialog).toContainElement(document.activeElement as HTMLElement));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(screen.getByRole("row", { name: /Paracetamol 500mg/ })).toBeInTheDocument();
  });
});
