// Expiring and expired batches, and the auto-expire action that takes every
// batch expiring within N days out of sale in one step (audited).
import { useState, type FormEvent } from "react";

import { BatchTable, ExpiryLegend } from "../../components/BatchTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

const WINDOWS = [7, 30, 90, 180] as const;

export function ExpiryScreen() {
  const [days, setDays] = useState<number>(30);
  const expiring = useCommandQuery("get_expiring_batches", { days });
  const expired = useCommandQuery("get_expired_batches", {});

  return (
    <Screen title="Expiry" actions={<ExpiryLegend />}>
      <AutoExpire />
      <div className="toolbar">
        <Field label="Expiring within">
          {(id) => (
            <select id={id} value={days} onChange={(e) => setDays(Number(e.target.value))} autoFocus>
              {WINDOWS.map((w) => (
                <option key={w} value={w}>
                  {w} days
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <h2>Expiring within {days} days (FEFO)</h2>
      <ErrorMessage error={expiring.error} />
      {expiring.isPending ? (
        <Loading what="expiring batches" />
      ) : (
        <BatchTable batches={expiring.data ?? []} label="Expiring batches" empty={`Nothing expires within ${days} days.`} />
      )}
      <h2>Expired</h2>
      <ErrorMessage error={expired.error} />
      {expired.isPending ? <Loading what="expired batches" /> : <BatchTable batches={expired.data ?? []} label="Expired batches" empty="No expired stock." />}
    </Screen>
  );
}

function AutoExpire() {
  const [days, setDays] = useState("0");
  const expire = useCommandMutation("expire_batches_within_days");
  const [done, setDone] = useState("");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone("");
    const n = Number(days.trim());
    const result = await expire.mutateAsync({ days: Number.isInteger(n) ? n : NaN }).catch(() => null);
    if (result) setDone(result.count === 0 ? "No batch needed expiring." : `Marked ${result.count} batch(es) as expired; they can no longer be sold.`);
  }

  return (
    <form className="panel" onSubmit={submit} aria-label="Expire batches">
      <div className="toolbar">
        <Field label="Expire batches expiring within (days)" hint="0 = expiry date today or earlier">
          {(id) => <input id={id} name="expire_days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} size={6} />}
        </Field>
        <button type="submit" className="danger" disabled={expire.isPending}>
          {expire.isPending ? "Expiring…" : "Mark as expired"}
        </button>
      </div>
      <ErrorMessage error={expire.error} />
      <Notice>{done}</Notice>
    </form>
  );
}
