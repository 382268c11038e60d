// Opening a vial: the product (only products with injectable details), the
// lot (FEFO suggestion, the first preselected), the units in the vial
// (defaulted from the product's units per vial) and, when the product needs
// it, the reconstitution with the resulting strength shown per 0.1 mL before
// anything is saved.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Product } from "../../bindings/Product";
import type { VialSession } from "../../bindings/VialSession";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { divDecimal, shiftDecimal } from "../../lib/decimal";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { timeTodayToInstant } from "./time";

const FIELDS = { product_id: "Product", batch_id: "Lot", units: "Units in the vial", diluent: "Diluent", volume_ml: "Volume (mL)", reconstituted_at: "Reconstituted at" };

export function OpenVialDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (s: VialSession) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [query, setQuery] = useState("");
  const hits = useCommandQuery("search_products", { query: query.trim(), limit: 100 });
  const injectables = (hits.data ?? []).map((h) => h.product).filter((p) => p.injectable !== null);
  const [productId, setProductId] = useState("");
  const product: Product | undefined = injectables.find((p) => p.id === productId);
  const lots = useCommandQuery("suggest_vial_lots", { product_id: productId }, { enabled: productId !== "" });
  const [batchId, setBatchId] = useState("");
  const [units, setUnits] = useState("");
  const [diluent, setDiluent] = useState("");
  const [volume, setVolume] = useState("");
  const [at, setAt] = useState("");
  const open = useCommandMutation("open_vial_session");

  // The only injectable found is the one meant.
  const only = injectables.length === 1 ? injectables[0]?.id : undefined;
  useEffect(() => {
    if (!productId && only) setProductId(only);
  }, [only, productId]);
  // A new product: its first-expiring lot and its units per vial.
  useEffect(() => {
    setBatchId(lots.data?.[0]?.batch_id ?? "");
  }, [lots.data]);
  useEffect(() => {
    setUnits(product?.injectable?.units_per_vial ?? "");
  }, [product?.id, product?.injectable?.units_per_vial]);

  const needsReconstitution = product?.injectable?.reconstitution_required ?? false;
  const perMl = needsReconstitution ? divDecimal(units, volume, 3) : null;
  const perTenth = perMl === null ? null : shiftDecimal(perMl, 1);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!product) return;
    open.mutate(
      {
        product_id: product.id,
        batch_id: batchId || undefined,
        units: optional(units),
        reconstitution: needsReconstitution
          ? { diluent: diluent.trim(), volume_ml: volume.trim(), reconstituted_at: timeTodayToInstant(f, at) }
          : undefined,
      },
      { onSuccess: onOpened },
    );
  }

  const err = (name: string) => fieldError(open.error, name, t);
  return (
    <Dialog title={t("Open a vial")} onClose={onClose}>
      <form onSubmit={submit} className="grid">
        <Field label={t("Find product")}>
          {(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />}
        </Field>
        <Field label={t("Product")} error={err("product_id")}>
          {(id) => (
            <select id={id} value={productId} onChange={(e) => setProductId(e.target.value)} required>
              <option value="">{injectables.length ? t("Choose a product") : t("No injectable product matches")}</option>
              {injectables.map((p) => (
                <option key={p.id} value={p.id} translate="no">
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {product && (
          <Field label={t("Lot")} hint={t("First to expire first (FEFO).")} error={err("batch_id")}>
            {(id) => (
              <select id={id} value={batchId} onChange={(e) => setBatchId(e.target.value)} required>
                {(lots.data ?? []).length === 0 && <option value="">{lots.isLoading ? t("Loading…") : t("No lot can be opened")}</option>}
                {(lots.data ?? []).map((l) => (
                  <option key={l.batch_id} value={l.batch_id}>
                    {t("{{lot}} · expires {{date}} · {{free}} free", { lot: l.batch_number, date: f.date(l.expiry_date), free: f.qty(l.free, product.unit) })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {product && (
          <Field label={t("Units in the vial")} error={err("units")}>
            {(id) => <input id={id} value={units} onChange={(e) => setUnits(e.target.value)} inputMode="decimal" required />}
          </Field>
        )}
        {needsReconstitution && (
          <fieldset>
            <legend>{t("Reconstitution")}</legend>
            <Field label={t("Diluent")} hint={product?.injectable?.dilution_ratio ?? undefined} error={err("diluent")}>
              {(id) => <input id={id} value={diluent} onChange={(e) => setDiluent(e.target.value)} required />}
            </Field>
            <Field label={t("Volume (mL)")} error={err("volume_ml")}>
              {(id) => <input id={id} value={volume} onChange={(e) => setVolume(e.target.value)} inputMode="decimal" required />}
            </Field>
            <Field label={t("Reconstituted at")} hint={t("Time today; leave empty for now.")} error={err("reconstituted_at")}>
              {(id) => <input id={id} type="time" value={at} onChange={(e) => setAt(e.target.value)} />}
            </Field>
            <p role="status" data-testid="strength">
              {perTenth === null
                ? t("Enter the volume to see the strength.")
                : t("Strength: {{units}} per 0.1 mL", { units: f.qty(perTenth, product?.unit) })}
            </p>
          </fieldset>
        )}
        <ErrorMessage error={open.error} fields={FIELDS} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Cancel")}
          </button>
          <button type="submit" className="primary" disabled={!product || open.isPending}>
            {t("Open the vial")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
