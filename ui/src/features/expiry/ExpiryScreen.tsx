// Expiring and expired batches, and the auto-expire action that takes every
// batch expiring within N days out of sale in one step (audited). Before it
// acts, a confirmation lists the batches it will take out of sale and what
// their stock is worth at cost: the engine's dry run of the same command,
// so the preview is the rule that acts, not a copy of it.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { BatchTable, ExpiryLegend } from "../../components/BatchTable";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

const WINDOWS = [7, 14, 30, 60, 90, 180] as const;

export function ExpiryScreen({ initialDays = 30 }: { initialDays?: number }) {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(initialDays);
  const expiring = useCommandQuery("get_expiring_batches", { days });
  const expired = useCommandQuery("get_expired_batches", {});

  return (
    <Screen title={t("Expiry")} actions={<ExpiryLegend />}>
      <AutoExpire />
      <div className="toolbar">
        <Field label={t("Expiring within")}>
          {(id) => (
            <select id={id} value={days} onChange={(e) => setDays(Number(e.target.value))} autoFocus>
              {WINDOWS.map((w) => (
                <option key={w} value={w}>
                  {t("{{count}} days", { count: w })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <h2>{t("Expiring within {{count}} days (FEFO)", { count: days })}</h2>
      <ErrorMessage error={expiring.error} />
      {expiring.isPending ? (
        <Loading what={t("expiring batches")} />
      ) : (
        <BatchTable
          batches={expiring.data ?? []}
          label={t("Expiring batches")}
          showValue
          empty={t("Nothing expires within {{count}} days.", { count: days })}
        />
      )}
      <h2>{t("Expired")}</h2>
      <ErrorMessage error={expired.error} />
      {expired.isPending ? (
        <Loading what={t("expired batches")} />
      ) : (
        <BatchTable batches={expired.data ?? []} label={t("Expired batches")} showValue empty={t("No expired stock.")} />
      )}
    </Screen>
  );
}

/** The horizon typed, when it is a whole number of days the engine takes (0–3650). */
function parseDays(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,4}$/.test(s)) return null;
  const n = Number(s);
  return n <= 3650 ? n : null;
}

function AutoExpire() {
  const { t } = useTranslation();
  const [days, setDays] = useState("0");
  const [invalid, setInvalid] = useState(false);
  const [confirming, setConfirming] = useState<number | null>(null);
  const expire = useCommandMutation("expire_batches_within_days");
  const [done, setDone] = useState("");

  function ask(e: FormEvent) {
    e.preventDefault();
    setDone("");
    const n = parseDays(days);
    setInvalid(n === null);
    if (n !== null) {
      expire.reset();
      setConfirming(n);
    }
  }

  async function run(n: number) {
    const result = await expire.mutateAsync({ days: n }).catch(() => null);
    if (result) {
      setConfirming(null);
      setDone(
        result.count === 0
          ? t("No batch needed expiring.")
          : t("Marked {{count}} batches as expired; they can no longer be sold.", { count: result.count }),
      );
    }
  }

  return (
    <>
      <form className="panel" onSubmit={ask} aria-label={t("Expire batches")}>
        <div className="toolbar">
          <Field
            label={t("Expire batches expiring within (days)")}
            hint={t("0 = expiry date before today")}
            error={invalid ? t("Enter a whole number of days from 0 to 3650.") : undefined}
          >
            {(id) => <input id={id} name="expire_days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} size={6} />}
          </Field>
          <button type="submit" className="danger">
            {t("Mark as expired…")}
          </button>
        </div>
        <Notice>{done}</Notice>
      </form>
      {confirming !== null && (
        <ExpireConfirm days={confirming} busy={expire.isPending} error={expire.error} onConfirm={() => void run(confirming)} onCancel={() => setConfirming(null)} />
      )}
    </>
  );
}

function ExpireConfirm({
  days,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  days: number;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  // What a real run would mark, and their value at cost, changing nothing.
  const preview = useCommandQuery("expire_batches_within_days", { days, dry_run: true });
  const pending = preview.isPending;
  const batches = preview.data?.batches ?? [];
  return (
    <ConfirmDialog
      title={pending ? t("Mark batches as expired?") : t("Mark {{count}} batches as expired?", { count: batches.length })}
      confirmLabel={t("Expire {{count}} batches", { count: batches.length })}
      busyLabel={t("Expiring…")}
      onConfirm={onConfirm}
      onCancel={onCancel}
      busy={busy}
      error={error}
      confirmDisabled={pending || batches.length === 0}
    >
      <ErrorMessage error={preview.error} />
      {pending ? (
        <Loading what={t("the batches")} />
      ) : batches.length === 0 ? (
        <p>{t("No available batch expires before that day: nothing to mark.")}</p>
      ) : (
        <>
          <p>
            {t("These batches will never be sold again. Their stock stays on hand until written off.")}{" "}
            <strong data-testid="expire-total">{t("Stock value at cost: {{value}}", { value: fmt.money(preview.data?.value ?? "0") })}</strong>
          </p>
          <BatchTable batches={batches} label={t("Batches to mark as expired")} showValue />
        </>
      )}
    </ConfirmDialog>
  );
}
