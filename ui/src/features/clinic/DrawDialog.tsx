// A draw: units given to a patient from this vial (and, for a treatment that
// spans two vials, from a second one of the same product), by treatment area
// (fractions like 12.5; the areas add up to the draw), with the appointment
// and an optional price per unit. The practitioner is picked from the store's
// practitioners (left empty, the engine names the signed-in user).
// A vial past its window is refused (vial_beyond_use): a manager may approve
// an override (name from the store's approvers and PIN), or the vial closes.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api";
import type { TreatmentSource } from "../../bindings/TreatmentSource";
import type { VialSession } from "../../bindings/VialSession";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Dialog } from "../../components/Dialog";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { compareDecimal, isDecimal, sumDecimals } from "../../lib/decimal";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useApprovers } from "../till/approvers";
import { PatientPicker } from "./PatientPicker";

const FIELDS = { patient_id: "Patient", units: "Units from this vial", areas: "Areas", price_per_unit: "Price per unit", appointment_ref: "Appointment" };

type AreaRow = { area: string; units: string };

export function DrawDialog({
  session,
  onClose,
  onDone,
  onCloseVial,
}: {
  session: VialSession;
  onClose: () => void;
  onDone: () => void;
  /** The vial is past its window and the user chose to close it. */
  onCloseVial: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [patientId, setPatientId] = useState("");
  const [practitioner, setPractitioner] = useState("");
  const practitioners = useCommandQuery("list_practitioners", {});
  const [units, setUnits] = useState("");
  const [appointment, setAppointment] = useState("");
  const [price, setPrice] = useState("");
  const [areas, setAreas] = useState<AreaRow[]>([{ area: "", units: "" }]);
  const [second, setSecond] = useState(false);
  const [secondId, setSecondId] = useState("");
  const [secondUnits, setSecondUnits] = useState("");
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  const [override, setOverride] = useState(false);
  const [approver, setApprover] = useState("");
  const [pin, setPin] = useState("");
  const others = useCommandQuery("list_vial_sessions", { status: "active", product_id: session.product_id, limit: 500 }, { enabled: second });
  const otherVials = (others.data?.rows ?? []).filter((v) => v.session_id !== session.session_id);
  const approvers = useApprovers(override);
  const draw = useCommandMutation("record_treatment");

  const beyondUse = draw.error ? toApiError(draw.error).kind === "vial_beyond_use" : false;
  const used = areas.filter((a) => a.area.trim() !== "" || a.units.trim() !== "");
  const total = second ? sumDecimals([units, secondUnits]) : units.trim();

  function check(): { field: string; text: string } | null {
    if (!patientId) return { field: "patient_id", text: t("Choose the patient.") };
    if (!isDecimal(units)) return { field: "units", text: t("Enter the units drawn, e.g. 12.5.") };
    if (second && (!secondId || !isDecimal(secondUnits))) return { field: "second", text: t("Choose the second vial and its units.") };
    if (used.some((a) => !a.area.trim() || !isDecimal(a.units))) return { field: "areas", text: t("Give every area a name and its units.") };
    if (used.length > 0 && compareDecimal(sumDecimals(used.map((a) => a.units)), total) !== 0) {
      return { field: "areas", text: t("The areas add up to {{sum}}, the draw is {{total}}.", { sum: f.qty(sumDecimals(used.map((a) => a.units))), total: f.qty(total) }) };
    }
    return null;
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const p = check();
    setProblem(p);
    if (p) return;
    const sources: TreatmentSource[] = [{ session_id: session.session_id, units: units.trim() }];
    if (second) sources.push({ session_id: secondId, units: secondUnits.trim() });
    draw.mutate(
      {
        patient_id: patientId,
        practitioner_id: optional(practitioner),
        appointment_ref: optional(appointment),
        areas: used.length ? used.map((a) => ({ area: a.area.trim(), units: a.units.trim() })) : undefined,
        sources,
        price_per_unit: optional(price),
        ...(override ? { override_beyond_use: true, approver_name: approver || undefined, approver_pin: pin } : {}),
      },
      { onSuccess: onDone, onError: () => setPin("") },
    );
  }

  const err = (name: string) => (problem?.field === name ? problem.text : fieldError(draw.error, name, t));
  const setArea = (i: number, patch: Partial<AreaRow>) => setAreas((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Dialog title={t("Draw from {{product}}, lot {{lot}}", { product: session.product_name, lot: session.batch_number })} onClose={onClose} size="large">
      <form onSubmit={submit} className="grid">
        <p>
          {t("{{remaining}} left in the vial.", { remaining: f.qty(session.remaining, session.unit) })}
        </p>
        <Field label={t("Practitioner")} error={err("practitioner_id")}>
          {(id) => (
            <select id={id} value={practitioner} onChange={(e) => setPractitioner(e.target.value)}>
              <option value="">{t("Me")}</option>
              {(practitioners.data ?? []).map((p) => (
                <option key={p.id} value={p.id} translate="no">
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <PatientPicker value={patientId} onChange={setPatientId} error={err("patient_id")} />
        <div className="grid three">
          <Field label={t("Units from this vial")} error={err("units")}>
            {(id) => <input id={id} value={units} onChange={(e) => setUnits(e.target.value)} inputMode="decimal" />}
          </Field>
          <Field label={t("Appointment")} error={err("appointment_ref")}>
            {(id) => <input id={id} value={appointment} onChange={(e) => setAppointment(e.target.value)} />}
          </Field>
          <Field label={t("Price per unit")} hint={t("Leave empty for the product's price.")} error={err("price_per_unit")}>
            {(id) => <input id={id} value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" />}
          </Field>
        </div>
        <fieldset>
          <legend>{t("Areas")}</legend>
          {areas.map((a, i) => (
            <div className="area-row" key={i}>
              <Field label={t("Area {{n}}", { n: i + 1 })}>
                {(id) => <input id={id} value={a.area} onChange={(e) => setArea(i, { area: e.target.value })} />}
              </Field>
              <Field label={t("Units in area {{n}}", { n: i + 1 })}>
                {(id) => <input id={id} value={a.units} onChange={(e) => setArea(i, { units: e.target.value })} inputMode="decimal" />}
              </Field>
              {areas.length > 1 && (
                <button type="button" onClick={() => setAreas((rows) => rows.filter((_, j) => j !== i))} aria-label={t("Remove area {{n}}", { n: i + 1 })}>
                  <span aria-hidden="true">×</span>
                </button>
              )}
            </div>
          ))}
          <button type="button" onClick={() => setAreas((rows) => [...rows, { area: "", units: "" }])}>
            {t("Add an area")}
          </button>
          {err("areas") && (
            <p className="field-error" role="alert">
              {err("areas")}
            </p>
          )}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={second} onChange={(e) => setSecond(e.target.checked)} /> {t("Also from a second vial")}
        </label>
        {second && (
          <div className="grid two">
            <Field label={t("Second vial")} error={err("second")}>
              {(id) => (
                <select id={id} value={secondId} onChange={(e) => setSecondId(e.target.value)}>
                  <option value="">{otherVials.length ? t("Choose a vial") : t("No other open vial of this product")}</option>
                  {otherVials.map((v) => (
                    <option key={v.session_id} value={v.session_id}>
                      {t("Lot {{lot}} · {{remaining}} left", { lot: v.batch_number, remaining: f.qty(v.remaining, v.unit) })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("Units from the second vial")}>
              {(id) => <input id={id} value={secondUnits} onChange={(e) => setSecondUnits(e.target.value)} inputMode="decimal" />}
            </Field>
          </div>
        )}
        <ErrorMessage error={draw.error} fields={FIELDS} />
        {beyondUse && !override && (
          <div className="form-actions">
            <button type="button" onClick={() => setOverride(true)}>
              {t("Manager override…")}
            </button>
            <button type="button" className="danger" onClick={onCloseVial}>
              {t("Close vial…")}
            </button>
          </div>
        )}
        {override && (
          <fieldset>
            <legend>{t("Manager override")}</legend>
            <Field label={t("Approving manager")}>
              {(id) => (
                <select id={id} value={approver} onChange={(e) => setApprover(e.target.value)} required>
                  <option value="">{t("Choose a manager")}</option>
                  {(approvers.data ?? []).map((a) => (
                    <option key={a.id} value={a.name} translate="no">
                      {a.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("Manager's PIN")}>
              {(id) => <input id={id} type="password" value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" autoComplete="off" required />}
            </Field>
          </fieldset>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Back")}
          </button>
          <button type="submit" className="primary" disabled={draw.isPending}>
            {override ? t("Approve and record the draw") : t("Record the draw")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
