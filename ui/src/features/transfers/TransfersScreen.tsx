// Transfers between stores. Two tabs: what this store sends (outgoing) and
// what it receives (incoming), each a list with the transfer's status. A
// transfer opens in a dialog that shows its lines, what shipped by batch and
// its discrepancies, with the actions its status and this store's side allow
// (the engine decides; a button shows only when the role may run its command):
// the source requests, approves, ships (carrier, tracking) or cancels; the
// destination receives per shipped lot (received, damaged, "that's all");
// the source resolves discrepancies. "New transfer" drafts one to another
// store: lines by product search with a quantity and an optional batch.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { DiscrepancyResolution } from "../../bindings/DiscrepancyResolution";
import type { Transfer } from "../../bindings/Transfer";
import type { TransferDirection } from "../../bindings/TransferDirection";
import type { TransferStatus } from "../../bindings/TransferStatus";
import type { TransferSummary } from "../../bindings/TransferSummary";
import { DataTable, type Column } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

const STATUS_LABEL: Record<TransferStatus, string> = {
  draft: "Draft",
  requested: "Waiting for approval",
  approved: "Approved",
  in_transit: "In transit",
  partially_received: "Partly received",
  received: "Received",
  cancelled: "Cancelled",
};

const RESOLUTIONS: readonly { value: DiscrepancyResolution; label: string }[] = [
  { value: "lost_in_transit", label: "Lost in transit" },
  { value: "returned", label: "Returned to the source" },
  { value: "written_off", label: "Written off" },
];

export function StatusBadge({ status }: { status: TransferStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(STATUS_LABEL[status])}</span>;
}

function columns(t: TFunction, fmt: ReturnType<typeof useFormat>, open: (id: string) => void): Column<TransferSummary>[] {
  return [
    { header: t("Transfer"), cell: (r) => r.label },
    { header: t("From"), cell: (r) => r.from_store_name },
    { header: t("To"), cell: (r) => r.to_store_name },
    { header: t("What"), cell: (r) => r.contents },
    { header: t("Status"), cell: (r) => <StatusBadge status={r.status} /> },
    { header: t("Open discrepancies"), className: "num", cell: (r) => (r.open_discrepancies > 0 ? r.open_discrepancies : "") },
    { header: t("Drafted"), cell: (r) => fmt.instant(r.created_at) },
    {
      label: t("Actions"),
      cell: (r) => (
        <button type="button" onClick={() => open(r.id)} aria-label={t("Open transfer {{label}}", { label: r.label })}>
          {t("Open")}
        </button>
      ),
    },
  ];
}

export function TransfersScreen({ storeId }: { storeId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayRun = useMayRun();
  const [direction, setDirection] = useState<TransferDirection>("outgoing");
  const [openId, setOpenId] = useState<string | null>(null);
  const [drafting, setDrafting] = useState(false);
  const [notice, setNotice] = useState("");
  const list = useCommandQuery("list_transfers", { direction });
  return (
    <Screen
      title={t("Transfers")}
      actions={
        mayRun("create_transfer") && (
          <button type="button" onClick={() => setDrafting(true)}>
            {t("New transfer")}
          </button>
        )
      }
    >
      <Notice>{notice}</Notice>
      <div className="tabs" role="tablist" aria-label={t("Direction")}>
        {(["outgoing", "incoming"] as const).map((d) => (
          <button key={d} type="button" role="tab" aria-selected={direction === d} onClick={() => setDirection(d)}>
            {d === "outgoing" ? t("Outgoing") : t("Incoming")}
          </button>
        ))}
      </div>
      <DataTable
        label={direction === "outgoing" ? t("Outgoing transfers") : t("Incoming transfers")}
        columns={columns(t, fmt, setOpenId)}
        rows={list.data}
        rowKey={(r) => r.id}
        rowAttributes={(r) => ({ "data-transfer": r.label })}
        empty={t("No transfers.")}
        error={list.error}
        loading={{ pending: list.isPending, what: t("transfers") }}
      />
      {drafting && (
        <NewTransferDialog
          storeId={storeId}
          onClose={() => setDrafting(false)}
          onDone={(tr) => {
            setDrafting(false);
            setNotice(t("Transfer {{label}} drafted to {{store}}.", { label: tr.label, store: tr.to_store_name }));
            setOpenId(tr.id);
          }}
        />
      )}
      {openId && <TransferDialog id={openId} storeId={storeId} onClose={() => setOpenId(null)} onDone={setNotice} />}
    </Screen>
  );
}

interface DraftLine {
  product_id: string;
  name: string;
  quantity: string;
  batch_id: string;
}

function NewTransferDialog({ storeId, onClose, onDone }: { storeId?: string; onClose: () => void; onDone: (t: Transfer) => void }) {
  const { t } = useTranslation();
  // Every active store, not only the ones this user works in: the destination
  // is usually a branch the sender has never signed in to.
  const stores = useCommandQuery("list_store_directory", {});
  const create = useCommandMutation("create_transfer");
  const [to, setTo] = useState("");
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [productId, setProductId] = useState("");
  const [productName, setProductName] = useState("");
  const [quantity, setQuantity] = useState("");
  const [batchId, setBatchId] = useState("");
  const [notes, setNotes] = useState("");
  const batches = useCommandQuery("get_store_inventory", { product_id: productId }, { enabled: !!productId });
  const destinations = (stores.data ?? []).filter((s) => s.id !== storeId);

  function addLine() {
    if (!productId || !quantity.trim()) return;
    setLines([...lines, { product_id: productId, name: productName, quantity: quantity.trim(), batch_id: batchId }]);
    setQuantity("");
    setBatchId("");
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const done = await create
      .mutateAsync({
        to_store_id: to,
        lines: lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity, batch_id: optional(l.batch_id) })),
        notes: optional(notes),
      })
      .catch(() => null);
    if (done) onDone(done);
  }

  return (
    <Dialog title={t("New transfer")} onClose={onClose} size="large">
      <form onSubmit={submit} aria-label={t("New transfer")}>
        <Field label={t("Destination store")} error={fieldError(create.error, "to_store_id", t)}>
          {(id) => (
            <select id={id} value={to} onChange={(e) => setTo(e.target.value)} required>
              <option value="">{t("Choose a store")}</option>
              {destinations.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>{t("Add a line")}</legend>
          <ProductPicker
            value={productId}
            onChange={(id, hit) => {
              setProductId(id);
              setProductName(hit?.product.name ?? "");
              setBatchId("");
            }}
          />
          <Field label={t("Quantity")}>{(id) => <input id={id} value={quantity} onChange={(e) => setQuantity(e.target.value)} />}</Field>
          <Field label={t("Batch (optional)")}>
            {(id) => (
              <select id={id} value={batchId} onChange={(e) => setBatchId(e.target.value)}>
                <option value="">{t("First to expire (FEFO)")}</option>
                {(batches.data ?? [])
                  .filter((b) => b.status === "available")
                  .map((b) => (
                    <option key={b.batch_id} value={b.batch_id}>
                      {b.batch_number}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <button type="button" onClick={addLine} disabled={!productId || !quantity.trim()}>
            {t("Add line")}
          </button>
        </fieldset>
        <ul aria-label={t("Lines")}>
          {lines.map((l, i) => (
            <li key={`${l.product_id}-${i}`}>
              {l.name} × {l.quantity}
              <button type="button" onClick={() => setLines(lines.filter((_, j) => j !== i))} aria-label={t("Remove {{name}}", { name: l.name })}>
                {t("Remove")}
              </button>
            </li>
          ))}
        </ul>
        <Field label={t("Notes")}>{(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
        <ErrorMessage error={create.error} />
        <button type="submit" disabled={!to || lines.length === 0 || create.isPending}>
          {t("Draft transfer")}
        </button>
      </form>
    </Dialog>
  );
}

function TransferDialog({ id, storeId, onClose, onDone }: { id: string; storeId?: string; onClose: () => void; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const q = useCommandQuery("get_transfer", { transfer_id: id });
  const tr = q.data;
  return (
    <Dialog title={tr ? t("Transfer {{label}}", { label: tr.label }) : t("Transfer")} onClose={onClose} size="large">
      <ErrorMessage error={q.error} />
      {tr && (
        <>
          <p>
            {t("From {{from}} to {{to}}", { from: tr.from_store_name, to: tr.to_store_name })} · <StatusBadge status={tr.status} />
            {tr.carrier && ` · ${t("Carrier")}: ${tr.carrier}`}
            {tr.tracking_number && ` · ${t("Tracking")}: ${tr.tracking_number}`}
          </p>
          <table aria-label={t("Lines")}>
            <thead>
              <tr>
                <th>{t("Product")}</th>
                <th>{t("Batch")}</th>
                <th className="num">{t("Requested")}</th>
                <th className="num">{t("Shipped")}</th>
                <th className="num">{t("Received")}</th>
                <th className="num">{t("Discrepancy")}</th>
              </tr>
            </thead>
            <tbody>
              {tr.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.product_name}</td>
                  <td>{i.batch_number ?? t("FEFO")}</td>
                  <td className="num">{fmt.qty(i.requested, i.unit)}</td>
                  <td className="num">{fmt.qty(i.shipped)}</td>
                  <td className="num">{fmt.qty(i.received)}</td>
                  <td className="num">{fmt.qty(i.discrepancy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Actions tr={tr} storeId={storeId} onDone={onDone} />
          <Discrepancies tr={tr} storeId={storeId} onDone={onDone} />
        </>
      )}
    </Dialog>
  );
}

function Actions({ tr, storeId, onDone }: { tr: Transfer; storeId?: string; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const isSource = !storeId || tr.from_store_id === storeId;
  const isDestination = !storeId || tr.to_store_id === storeId;
  const request = useCommandMutation("request_transfer");
  const approve = useCommandMutation("approve_transfer");
  const cancel = useCommandMutation("cancel_transfer");
  const [reason, setReason] = useState("");
  const facts = { label: tr.label };
  const error = request.error ?? approve.error ?? cancel.error;
  return (
    <div className="actions">
      <ErrorMessage error={error} />
      {isSource && tr.status === "draft" && mayRun("request_transfer") && (
        <button type="button" onClick={() => request.mutateAsync({ transfer_id: tr.id }).then(() => onDone(t("Transfer {{label}} requested.", facts)), () => null)}>
          {t("Request approval")}
        </button>
      )}
      {isSource && tr.status === "requested" && mayRun("approve_transfer") && (
        <button type="button" onClick={() => approve.mutateAsync({ transfer_id: tr.id }).then(() => onDone(t("Transfer {{label}} approved.", facts)), () => null)}>
          {t("Approve")}
        </button>
      )}
      {isSource && tr.status === "approved" && mayRun("ship_transfer") && <ShipForm tr={tr} onDone={onDone} />}
      {isSource && ["draft", "requested", "approved"].includes(tr.status) && mayRun("cancel_transfer") && (
        <form
          aria-label={t("Cancel the transfer")}
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutateAsync({ transfer_id: tr.id, reason }).then(() => onDone(t("Transfer {{label}} cancelled.", facts)), () => null);
          }}
        >
          <Field label={t("Reason to cancel")} error={fieldError(cancel.error, "reason", t)}>
            {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <button type="submit">{t("Cancel transfer")}</button>
        </form>
      )}
      {isDestination && ["in_transit", "partially_received"].includes(tr.status) && mayRun("receive_transfer") && (
        <ReceiveForm tr={tr} onDone={onDone} />
      )}
    </div>
  );
}

function ShipForm({ tr, onDone }: { tr: Transfer; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const ship = useCommandMutation("ship_transfer");
  const [carrier, setCarrier] = useState("");
  const [tracking, setTracking] = useState("");
  return (
    <form
      aria-label={t("Ship the transfer")}
      onSubmit={(e) => {
        e.preventDefault();
        ship
          .mutateAsync({ transfer_id: tr.id, carrier: optional(carrier), tracking_number: optional(tracking) })
          .then(() => onDone(t("Transfer {{label}} shipped.", { label: tr.label })), () => null);
      }}
    >
      <Field label={t("Carrier")}>{(id) => <input id={id} value={carrier} onChange={(e) => setCarrier(e.target.value)} />}</Field>
      <Field label={t("Tracking number")}>{(id) => <input id={id} value={tracking} onChange={(e) => setTracking(e.target.value)} />}</Field>
      <ErrorMessage error={ship.error} />
      <button type="submit">{t("Ship")}</button>
    </form>
  );
}

function ReceiveForm({ tr, onDone }: { tr: Transfer; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const receive = useCommandMutation("receive_transfer");
  const open = tr.lots.filter((l) => l.outstanding !== "0");
  const [received, setReceived] = useState<Record<string, string>>(() => Object.fromEntries(open.map((l) => [l.id, l.outstanding])));
  const [damaged, setDamaged] = useState<Record<string, string>>({});
  const [close, setClose] = useState(false);
  return (
    <form
      aria-label={t("Receive the transfer")}
      onSubmit={(e) => {
        e.preventDefault();
        receive
          .mutateAsync({
            transfer_id: tr.id,
            close,
            lines: open.map((l) => ({ lot_id: l.id, received: received[l.id]?.trim() || "0", damaged: damaged[l.id]?.trim() || "0" })),
          })
          .then(
            (done) => onDone(done ? t("Transfer {{label}} received.", { label: tr.label }) : t("Transfer {{label}} partly received.", { label: tr.label })),
            () => null,
          );
      }}
    >
      <table aria-label={t("Shipped batches")}>
        <thead>
          <tr>
            <th>{t("Product")}</th>
            <th>{t("Batch")}</th>
            <th>{t("Expiry")}</th>
            <th className="num">{t("Expected")}</th>
            <th>{t("Received")}</th>
            <th>{t("Damaged")}</th>
          </tr>
        </thead>
        <tbody>
          {open.map((l, i) => (
            <tr key={l.id}>
              <td>{l.product_name}</td>
              <td>{l.batch_number}</td>
              <td>{l.expiry_date ? fmt.date(l.expiry_date) : ""}</td>
              <td className="num">{fmt.qty(l.outstanding, l.unit)}</td>
              <td>
                <input
                  aria-label={t("Received of batch {{batch}}", { batch: l.batch_number })}
                  value={received[l.id] ?? ""}
                  onChange={(e) => setReceived({ ...received, [l.id]: e.target.value })}
                  aria-invalid={Boolean(fieldError(receive.error, `lines[${i}].received`)) || undefined}
                />
              </td>
              <td>
                <input
                  aria-label={t("Damaged of batch {{batch}}", { batch: l.batch_number })}
                  value={damaged[l.id] ?? ""}
                  onChange={(e) => setDamaged({ ...damaged, [l.id]: e.target.value })}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label>
        <input type="checkbox" checked={close} onChange={(e) => setClose(e.target.checked)} /> {t("That's all (what is missing is recorded short)")}
      </label>
      <ErrorMessage error={receive.error} />
      <button type="submit">{t("Receive")}</button>
    </form>
  );
}

function Discrepancies({ tr, storeId, onDone }: { tr: Transfer; storeId?: string; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayRun = useMayRun();
  const isSource = !storeId || tr.from_store_id === storeId;
  const resolve = useCommandMutation("resolve_discrepancy");
  const approve = useCommandMutation("approve_discrepancy");
  const [choice, setChoice] = useState<Record<string, DiscrepancyResolution>>({});
  if (tr.discrepancies.length === 0) return null;
  return (
    <section aria-label={t("Discrepancies")}>
      <h3>{t("Discrepancies")}</h3>
      <ErrorMessage error={resolve.error ?? approve.error} />
      <ul>
        {tr.discrepancies.map((d) => (
          <li key={d.id} data-discrepancy={d.batch_number}>
            {t("{{quantity}} {{kind}} of {{product}} batch {{batch}} ({{value}} at cost)", {
              quantity: fmt.qty(d.quantity),
              kind: d.kind === "short" ? t("short") : t("damaged"),
              product: d.product_name,
              batch: d.batch_number,
              value: fmt.money(d.value),
            })}
            {" · "}
            {d.status === "resolved"
              ? t("Resolved: {{how}}", { how: t(RESOLUTIONS.find((r) => r.value === d.resolution)?.label ?? "") })
              : d.status === "pending_approval"
                ? t("Waiting for a manager")
                : t("Open")}
            {isSource && d.status === "open" && mayRun("resolve_discrepancy") && (
              <>
                <select
                  aria-label={t("Resolution of {{batch}}", { batch: d.batch_number })}
                  value={choice[d.id] ?? "lost_in_transit"}
                  onChange={(e) => setChoice({ ...choice, [d.id]: e.target.value as DiscrepancyResolution })}
                >
                  {RESOLUTIONS.map((r) => (
                    <option key={r.value} value={r.value}>
                      {t(r.label)}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  onClick={() =>
                    resolve
                      .mutateAsync({ discrepancy_id: d.id, resolution: choice[d.id] ?? "lost_in_transit" })
                      .then((r) => onDone(r.status === "resolved" ? t("Discrepancy resolved.") : t("The resolution waits for a manager's approval.")), () => null)
                  }
                >
                  {t("Resolve")}
                </button>
              </>
            )}
            {isSource && d.status === "pending_approval" && mayRun("approve_discrepancy") && (
              <button type="button" onClick={() => approve.mutateAsync({ discrepancy_id: d.id }).then(() => onDone(t("Discrepancy resolved.")), () => null)}>
                {t("Approve resolution")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
