// The cold chain: the store's storage locations (fridges, freezers,
// shelves, rooms) with the lots each holds and its newest temperature; for
// the chosen location its readings, a form to type one in and a data
// logger's CSV import (bad lines listed by number, nothing imported); and
// the excursions, each held lot released or disposed of by a manager. The
// rules (ranges, margin, tolerance) are the engine's: see docs/clinic.md.
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Excursion } from "../../bindings/Excursion";
import type { ExcursionKind } from "../../bindings/ExcursionKind";
import type { ExcursionLot } from "../../bindings/ExcursionLot";
import type { LocatedLot } from "../../bindings/LocatedLot";
import type { LocationKind } from "../../bindings/LocationKind";
import type { LotDecision } from "../../bindings/LotDecision";
import type { Reading } from "../../bindings/Reading";
import type { StorageLocation } from "../../bindings/StorageLocation";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable, type Column } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

type T = TFunction;

function kindLabel(t: T, k: LocationKind): string {
  switch (k) {
    case "fridge":
      return t("Fridge");
    case "freezer":
      return t("Freezer");
    case "shelf":
      return t("Shelf");
    case "room":
      return t("Room");
  }
}

export function excursionLabel(t: T, k: ExcursionKind): string {
  switch (k) {
    case "too_hot":
      return t("Too hot");
    case "too_cold":
      return t("Too cold");
    case "cumulative_hot":
      return t("Too long above range");
    case "cumulative_cold":
      return t("Too long below range");
  }
}

/** Now in the PC's local time as "YYYY-MM-DD HH:MM" (the engine reads it in the store's zone). */
function localNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function ColdChainScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState("");
  const [showRetired, setShowRetired] = useState(false);
  const locations = useCommandQuery("list_storage_locations", showRetired ? { include_retired: true } : {});
  const current = locations.data?.find((l) => l.location_id === chosen) ?? locations.data?.[0];

  const columns: readonly Column<StorageLocation>[] = [
    {
      header: t("Location"),
      cell: (l) => (
        <>
          <button type="button" className="link" aria-pressed={l.location_id === current?.location_id} onClick={() => setChosen(l.location_id)} translate="no">
            {l.name}
          </button>
          {!l.is_active && <span className="badge">{t("Retired")}</span>}
        </>
      ),
    },
    { header: t("Kind"), cell: (l) => kindLabel(t, l.kind) },
    { header: t("Lots"), className: "num", cell: (l) => l.lots.length },
    {
      header: t("Last reading"),
      cell: (l) => (l.last_celsius !== null && l.last_taken_at ? t("{{c}} °C at {{time}}", { c: f.qty(l.last_celsius), time: f.instant(l.last_taken_at) }) : t("None yet")),
    },
    {
      header: t("Open excursions"),
      className: "num",
      cell: (l) => (l.open_excursions > 0 ? <span className="badge severity-critical">{l.open_excursions}</span> : 0),
    },
  ];

  return (
    <Screen
      title={t("Cold chain")}
      actions={
        mayRun("create_storage_location") ? (
          <button type="button" onClick={() => setCreating(true)}>
            {t("New location…")}
          </button>
        ) : undefined
      }
    >
      <Notice>{notice}</Notice>
      <label className="inline">
        <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> {t("Show retired locations")}
      </label>
      <DataTable
        label={t("Storage locations")}
        columns={columns}
        rows={locations.data}
        rowKey={(l) => l.location_id}
        empty={t("No storage locations yet.")}
        error={locations.error}
        loading={{ pending: locations.isLoading, what: t("storage locations") }}
      />
      {current && <LocationDetail location={current} onNotice={setNotice} />}
      <Excursions onNotice={setNotice} />
      {creating && (
        <LocationDialog
          onClose={() => setCreating(false)}
          onDone={(l) => {
            setCreating(false);
            setChosen(l.location_id);
            setNotice(t("Created {{name}}.", { name: l.name }));
          }}
        />
      )}
    </Screen>
  );
}

function LocationDetail({ location, onNotice }: { location: StorageLocation; onNotice: (m: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const [placing, setPlacing] = useState(false);
  const [editing, setEditing] = useState(false);
  const update = useCommandMutation("update_storage_location");
  const readings = useCommandQuery("list_readings", { location_id: location.location_id, limit: 20 });
  const lotColumns: readonly Column<LocatedLot>[] = [
    { header: t("Product"), cell: (l) => l.product_name },
    { header: t("Lot"), cell: (l) => l.batch_number },
    { header: t("Expiry"), cell: (l) => (l.expiry_date.startsWith("9999") ? t("No expiry") : f.date(l.expiry_date)) },
    { header: t("Quantity"), className: "num", cell: (l) => f.qty(l.quantity) },
    { header: t("Status"), cell: (l) => t(l.status) },
    {
      header: t("Range"),
      cell: (l) =>
        l.temperature_min_c !== null || l.temperature_max_c !== null
          ? t("{{min}} to {{max}} °C", { min: l.temperature_min_c !== null ? f.qty(l.temperature_min_c) : "…", max: l.temperature_max_c !== null ? f.qty(l.temperature_max_c) : "…" })
          : t("None set"),
    },
  ];
  const readingColumns: readonly Column<Reading>[] = [
    { header: t("Taken"), cell: (r) => f.instant(r.taken_at) },
    { header: t("°C"), className: "num", cell: (r) => f.qty(r.celsius) },
    { header: t("Source"), cell: (r) => (r.source === "import" ? t("Logger file") : t("Typed")) },
    { header: t("By"), cell: (r) => r.recorded_by },
  ];
  return (
    <section className="panel" aria-labelledby="location-title">
      <div className="toolbar">
        <h2 id="location-title">
          <span translate="no">{location.name}</span>
        </h2>
        {mayRun("update_storage_location") && (
          <>
            <button type="button" onClick={() => setEditing(true)}>
              {t("Edit…")}
            </button>
            <button
              type="button"
              disabled={update.isPending}
              onClick={() =>
                update.mutate(
                  { location_id: location.location_id, is_active: !location.is_active },
                  {
                    onSuccess: (l) =>
                      onNotice(l.is_active ? t("{{name}} is in use again.", { name: l.name }) : t("Retired {{name}}.", { name: l.name })),
                  },
                )
              }
            >
              {location.is_active ? t("Retire") : t("Bring back")}
            </button>
          </>
        )}
      </div>
      <ErrorMessage error={update.error} />
      <p className="muted">
        {t("Held at once beyond {{margin}} °C outside a product's range; more than {{minutes}} minutes outside within {{window}} minutes hold too.", {
          margin: f.qty(location.instant_margin_c),
          minutes: location.tolerance_minutes,
          window: location.window_minutes,
        })}
      </p>
      <div className="toolbar">
        <h3>{t("Lots here")}</h3>
        {mayRun("put_lot_in_location") && location.is_active && (
          <button type="button" onClick={() => setPlacing(true)}>
            {t("Put a lot here…")}
          </button>
        )}
      </div>
      <DataTable label={t("Lots in {{name}}", { name: location.name })} columns={lotColumns} rows={location.lots} rowKey={(l) => l.batch_id} empty={t("No lots here.")} />
      {mayRun("record_readings") && location.is_active && <ReadingForm location={location} onNotice={onNotice} />}
      <h3>{t("Readings")}</h3>
      <DataTable
        label={t("Readings of {{name}}", { name: location.name })}
        columns={readingColumns}
        rows={readings.data?.rows}
        rowKey={(r) => r.reading_id}
        empty={t("No readings yet.")}
        error={readings.error}
        loading={{ pending: readings.isLoading, what: t("readings") }}
      />
      {editing && (
        <LocationDialog
          location={location}
          onClose={() => setEditing(false)}
          onDone={(l) => {
            setEditing(false);
            onNotice(t("Saved {{name}}.", { name: l.name }));
          }}
        />
      )}
      {placing && (
        <PlaceLotDialog
          location={location}
          onClose={() => setPlacing(false)}
          onDone={(m) => {
            setPlacing(false);
            onNotice(m);
          }}
        />
      )}
    </section>
  );
}

function outcomeText(t: T, r: { recorded: number; duplicates: number; excursions: Excursion[] }): string {
  const base = t("Recorded {{count}} readings", { count: r.recorded });
  const dup = r.duplicates > 0 ? t(" ({{count}} already there)", { count: r.duplicates }) : "";
  const ex = r.excursions.length > 0 ? t(": excursion found, {{count}} lots on hold.", { count: r.excursions.reduce((n, e) => n + e.lots.length, 0) }) : ".";
  return base + dup + ex;
}

function ReadingForm({ location, onNotice }: { location: StorageLocation; onNotice: (m: string) => void }) {
  const { t } = useTranslation();
  const [takenAt, setTakenAt] = useState(localNow);
  const [celsius, setCelsius] = useState("");
  const record = useCommandMutation("record_readings");
  const importCsv = useCommandMutation("import_readings_csv");

  function submit(e: React.FormEvent) {
    e.preventDefault();
    record.mutate(
      { location_id: location.location_id, readings: [{ taken_at: takenAt.trim(), celsius: celsius.trim().replace(",", ".") }] },
      {
        onSuccess: (r) => {
          setCelsius("");
          onNotice(outcomeText(t, r));
        },
      },
    );
  }

  function importFile(file: File) {
    const reader = new FileReader();
    reader.onload = () =>
      importCsv.mutate({ location_id: location.location_id, csv: String(reader.result ?? "") }, { onSuccess: (r) => onNotice(outcomeText(t, r)) });
    reader.readAsText(file);
  }

  return (
    <form className="form-row" onSubmit={submit} aria-label={t("Record a reading")}>
      <Field label={t("Taken at (store time)")}>{(id) => <input id={id} value={takenAt} onChange={(e) => setTakenAt(e.target.value)} />}</Field>
      <Field label={t("Temperature (°C)")}>
        {(id) => <input id={id} value={celsius} onChange={(e) => setCelsius(e.target.value)} inputMode="decimal" required />}
      </Field>
      <button type="submit" className="primary" disabled={record.isPending || celsius.trim() === ""}>
        {t("Record reading")}
      </button>
      <Field label={t("Import a logger file (CSV)")} hint={t("A time column and a °C column; bad lines are listed and nothing is imported.")}>
        {(id) => (
          <input
            id={id}
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) importFile(file);
              e.target.value = "";
            }}
          />
        )}
      </Field>
      <ErrorMessage error={record.error ?? importCsv.error} />
    </form>
  );
}

function PlaceLotDialog({ location, onClose, onDone }: { location: StorageLocation; onClose: () => void; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [query, setQuery] = useState("");
  const [batch, setBatch] = useState("");
  const batches = useCommandQuery("list_batches", { query: query.trim() || undefined, limit: 50 });
  const place = useCommandMutation("put_lot_in_location");
  const rows = batches.data?.rows ?? [];
  const chosen = rows.find((r) => r.batch_id === batch);
  return (
    <Dialog title={t("Put a lot in {{name}}", { name: location.name })} onClose={onClose} size="small">
      <Field label={t("Find a lot")}>{(id) => <input id={id} value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />}</Field>
      <Field label={t("Lot")}>
        {(id) => (
          <select id={id} value={batch} onChange={(e) => setBatch(e.target.value)}>
            <option value="">{t("Choose a lot")}</option>
            {rows.map((r) => (
              <option key={r.batch_id} value={r.batch_id}>
                {t("{{product}} lot {{lot}} ({{qty}})", { product: r.product_name, lot: r.batch_number, qty: f.qty(r.quantity) })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={place.error ?? batches.error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!chosen || place.isPending}
          onClick={() =>
            chosen &&
            place.mutate(
              { batch_id: chosen.batch_id, location_id: location.location_id },
              { onSuccess: () => onDone(t("Lot {{lot}} is now in {{name}}.", { lot: chosen.batch_number, name: location.name })) },
            )
          }
        >
          {t("Put it here")}
        </button>
      </div>
    </Dialog>
  );
}

/** A whole number of minutes in `min`..`max`, or why not. */
function minutes(t: T, text: string, min: number, max: number): number | string {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    return t("Enter whole minutes from {{min}} to {{max}}.", { min, max });
  }
  return n;
}

/** Creates a location, or edits one (`location` given). */
function LocationDialog({ location, onClose, onDone }: { location?: StorageLocation; onClose: () => void; onDone: (l: StorageLocation) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(location?.name ?? "");
  const [kind, setKind] = useState<LocationKind>(location?.kind ?? "fridge");
  const [margin, setMargin] = useState(location?.instant_margin_c ?? "2");
  const [tolerance, setTolerance] = useState(String(location?.tolerance_minutes ?? 30));
  const [windowText, setWindowText] = useState(String(location?.window_minutes ?? 1440));
  const create = useCommandMutation("create_storage_location");
  const update = useCommandMutation("update_storage_location");
  const tol = minutes(t, tolerance, 0, 10080);
  const win = minutes(t, windowText, 1, 43200);
  const pending = create.isPending || update.isPending;
  function save() {
    if (typeof tol === "string" || typeof win === "string") return;
    const fields = { name: name.trim(), kind, instant_margin_c: margin.trim(), tolerance_minutes: tol, window_minutes: win };
    if (location) update.mutate({ location_id: location.location_id, ...fields }, { onSuccess: onDone });
    else create.mutate(fields, { onSuccess: onDone });
  }
  return (
    <Dialog title={location ? t("Edit {{name}}", { name: location.name }) : t("New storage location")} onClose={onClose} size="small">
      <Field label={t("Name")}>{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} autoFocus />}</Field>
      <Field label={t("Kind")}>
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as LocationKind)}>
            {(["fridge", "freezer", "shelf", "room"] as const).map((k) => (
              <option key={k} value={k}>
                {kindLabel(t, k)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("A single reading this far outside a product's range holds its lots (°C)")}>
        {(id) => <input id={id} value={margin} onChange={(e) => setMargin(e.target.value)} inputMode="decimal" />}
      </Field>
      <Field label={t("Minutes outside the range tolerated per window")} error={typeof tol === "string" ? tol : undefined}>
        {(id) => <input id={id} value={tolerance} onChange={(e) => setTolerance(e.target.value)} inputMode="numeric" />}
      </Field>
      <Field label={t("Window (minutes)")} error={typeof win === "string" ? win : undefined}>
        {(id) => <input id={id} value={windowText} onChange={(e) => setWindowText(e.target.value)} inputMode="numeric" />}
      </Field>
      <ErrorMessage error={location ? update.error : create.error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        <button type="button" className="primary" disabled={!name.trim() || pending || typeof tol === "string" || typeof win === "string"} onClick={save}>
          {location ? t("Save") : t("Create")}
        </button>
      </div>
    </Dialog>
  );
}

type Decide = { excursion: Excursion; lot: ExcursionLot; decision: LotDecision };

function Excursions({ onNotice }: { onNotice: (m: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const [openOnly, setOpenOnly] = useState(true);
  const [deciding, setDeciding] = useState<Decide | null>(null);
  const list = useCommandQuery("list_excursions", { open_only: openOnly });
  const rows = list.data?.rows ?? [];
  return (
    <section className="panel" aria-labelledby="excursions-title">
      <div className="toolbar">
        <h2 id="excursions-title">{t("Excursions")}</h2>
        <label className="check">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> {t("Open only")}
        </label>
      </div>
      <ErrorMessage error={list.error} />
      {!list.isLoading && rows.length === 0 && <p className="muted">{openOnly ? t("No lots are on hold.") : t("No excursions yet.")}</p>}
      {rows.map((e) => (
        <article key={e.excursion_id} className="excursion" aria-label={t("Excursion at {{name}}", { name: e.location_name })}>
          <h3>
            {excursionLabel(t, e.kind)} · <span translate="no">{e.location_name}</span> · <span translate="no">{f.instant(e.detected_at)}</span>
          </h3>
          <p className="muted">
            {e.kind === "cumulative_hot" || e.kind === "cumulative_cold"
              ? t("{{minutes}} minutes outside the limit of {{limit}} °C (extreme {{peak}} °C).", { minutes: e.minutes_outside, limit: f.qty(e.limit_c), peak: f.qty(e.peak_c) })
              : t("{{peak}} °C against a limit of {{limit}} °C.", { peak: f.qty(e.peak_c), limit: f.qty(e.limit_c) })}
          </p>
          <DataTable
            label={t("Lots held at {{name}}", { name: e.location_name })}
            columns={[
              { header: t("Product"), cell: (l: ExcursionLot) => l.product_name },
              { header: t("Lot"), cell: (l: ExcursionLot) => l.batch_number },
              { header: t("Quantity"), className: "num", cell: (l: ExcursionLot) => f.qty(l.quantity) },
              {
                header: t("Decision"),
                cell: (l: ExcursionLot) =>
                  l.decision
                    ? t("{{decision}} by {{who}}", { decision: l.decision === "released" ? t("Released") : t("Disposed of"), who: l.decided_by ?? "" })
                    : t("On hold"),
              },
              {
                label: t("Actions"),
                cell: (l: ExcursionLot) =>
                  !l.decision && mayRun("decide_excursion_lot") ? (
                    <span className="row-actions">
                      <button type="button" onClick={() => setDeciding({ excursion: e, lot: l, decision: "release" })}>
                        {t("Release…")}
                      </button>
                      <button type="button" className="danger" onClick={() => setDeciding({ excursion: e, lot: l, decision: "dispose" })}>
                        {t("Dispose…")}
                      </button>
                    </span>
                  ) : null,
              },
            ]}
            rows={e.lots}
            rowKey={(l) => l.batch_id}
          />
        </article>
      ))}
      {deciding && (
        <DecideDialog
          pending={deciding}
          onClose={() => setDeciding(null)}
          onDone={(m) => {
            setDeciding(null);
            onNotice(m);
          }}
        />
      )}
    </section>
  );
}

function DecideDialog({ pending, onClose, onDone }: { pending: Decide; onClose: () => void; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [note, setNote] = useState("");
  const decide = useCommandMutation("decide_excursion_lot");
  const { lot, excursion, decision } = pending;
  const release = decision === "release";
  return (
    <ConfirmDialog
      title={release ? t("Release lot {{lot}}", { lot: lot.batch_number }) : t("Dispose of lot {{lot}}", { lot: lot.batch_number })}
      confirmLabel={release ? t("Release") : t("Dispose")}
      tone={release ? "primary" : "danger"}
      busy={decide.isPending}
      error={decide.error}
      onCancel={onClose}
      onConfirm={() =>
        decide.mutate(
          { excursion_id: excursion.excursion_id, batch_id: lot.batch_id, decision, note: note.trim() || undefined },
          {
            onSuccess: () =>
              onDone(release ? t("Lot {{lot}} is available again.", { lot: lot.batch_number }) : t("Lot {{lot}} was written off as waste.", { lot: lot.batch_number })),
          },
        )
      }
    >
      <p>
        {release
          ? t("{{qty}} of {{product}} go back on sale.", { qty: f.qty(lot.quantity), product: lot.product_name })
          : t("All {{qty}} left of {{product}} are written off as waste.", { qty: f.qty(lot.quantity), product: lot.product_name })}
      </p>
      <Field label={t("Note")}>{(id) => <textarea id={id} value={note} onChange={(e) => setNote(e.target.value)} rows={2} />}</Field>
    </ConfirmDialog>
  );
}
