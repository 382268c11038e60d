// First start: create the store and its first administrator.
import { useState, type FormEvent } from "react";

import { setupStore } from "../../api";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";

function defaultTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function SetupScreen({ status, onDone }: { status: AppStatus; onDone: () => void }) {
  const [storeName, setStoreName] = useState("");
  const [storeCode, setStoreCode] = useState("");
  const [timezone, setTimezone] = useState(defaultTimeZone);
  const [currency, setCurrency] = useState("NGN");
  const [adminName, setAdminName] = useState("");
  const [pin, setPin] = useState("");
  const [pinAgain, setPinAgain] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (pin !== pinAgain) {
      setError({ kind: "invalid_input", message: "The two PINs differ. Type the same PIN twice.", details: { field: "admin_pin" } });
      return;
    }
    setBusy(true);
    try {
      await setupStore({
        store_name: storeName.trim(),
        store_code: optional(storeCode),
        timezone: optional(timezone),
        currency: optional(currency),
        admin_name: adminName.trim(),
        admin_pin: pin,
      });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="card wide" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome to PharmaPOS</h1>
        <p>Set up this store. You can change the details later.</p>
        <fieldset>
          <legend>Store</legend>
          <div className="grid two">
            <Field label="Store name">
              {(id) => (
                <input id={id} name="store_name" value={storeName} onChange={(e) => setStoreName(e.target.value)} autoFocus required />
              )}
            </Field>
            <Field label="Store code" hint="Short code on receipts; made from the name if empty">
              {(id) => <input id={id} name="store_code" value={storeCode} onChange={(e) => setStoreCode(e.target.value)} />}
            </Field>
            <Field label="Time zone" hint="IANA name, e.g. Africa/Lagos; expiry uses this store's date">
              {(id) => <input id={id} name="timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} />}
            </Field>
            <Field label="Currency" hint="ISO code, e.g. NGN">
              {(id) => <input id={id} name="currency" value={currency} onChange={(e) => setCurrency(e.target.value)} />}
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>First administrator</legend>
          <div className="grid three">
            <Field label="Administrator name">
              {(id) => <input id={id} name="admin_name" value={adminName} onChange={(e) => setAdminName(e.target.value)} required />}
            </Field>
            <Field label="PIN" hint="4 to 12 digits">
              {(id) => (
                <input id={id} name="admin_pin" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} required />
              )}
            </Field>
            <Field label="PIN again">
              {(id) => (
                <input id={id} name="admin_pin_again" type="password" inputMode="numeric" autoComplete="new-password" value={pinAgain} onChange={(e) => setPinAgain(e.target.value)} required />
              )}
            </Field>
          </div>
        </fieldset>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Creating the store…" : "Create store"}
          </button>
        </div>
        <p className="muted small">
          Database: <code>{status.db_path}</code>
        </p>
      </form>
    </main>
  );
}
