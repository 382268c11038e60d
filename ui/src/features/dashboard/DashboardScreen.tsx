// A manager's home: today's takings and margin, the last 30 days, stock and
// expiring value, low stock and what waits for approval. Every figure comes
// from the engine's ledger and documents (get_dashboard), in the store's
// currency and days; each opens the list it sums.
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { BarChart } from "../../components/BarChart";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Loading, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useNavigate, type NavigationTarget } from "../../lib/navigation";
import { useCommandQuery } from "../../lib/queries";
import { isZeroMoney } from "../till/money";

function Tile({
  label,
  value,
  detail,
  target,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  target?: NavigationTarget;
  tone?: "warn" | "bad";
  testId: string;
}) {
  const navigate = useNavigate();
  const body = (
    <>
      <span className="tile-label">{label}</span>
      <strong className="tile-value" data-testid={testId}>
        {value}
      </strong>
      {detail && <span className="tile-detail">{detail}</span>}
    </>
  );
  return navigate && target ? (
    <button type="button" className={tone ? `tile ${tone}` : "tile"} onClick={() => navigate(target)}>
      {body}
    </button>
  ) : (
    <div className={tone ? `tile ${tone}` : "tile"}>{body}</div>
  );
}

export function DashboardScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const dash = useCommandQuery("get_dashboard", {});
  const d = dash.data;

  const chart = useMemo(() => {
    const days = d?.last_30_days ?? [];
    return {
      categories: days.map((x) => x.date),
      series: [
        { label: t("Sales"), color: "var(--chart-1, #0e7a64)", values: days.map((x) => x.total) },
        { label: t("Margin"), color: "var(--chart-2, #1967d2)", values: days.map((x) => x.margin) },
      ],
    };
  }, [d, t]);

  return (
    <Screen title={t("Dashboard")}>
      <ErrorMessage error={dash.error} />
      {dash.isLoading && <Loading what={t("the dashboard")} />}
      {d && (
        <>
          <p className="muted">{t("Today, {{date}}, in the store's time zone.", { date: f.date(d.date) })}</p>
          <div className="tiles" role="list">
            <div role="listitem">
              <Tile
                testId="dash-sales-today"
                label={t("Sales today")}
                value={f.money(d.today.total)}
                detail={t("{{count}} sales", { count: d.today.sales_count })}
                target={{ screen: "shifts" }}
              />
            </div>
            <div role="listitem">
              <Tile
                testId="dash-margin-today"
                label={t("Margin today")}
                value={f.money(d.today.margin)}
                detail={t("Cost {{cost}} · tax {{tax}}", { cost: f.money(d.today.cost), tax: f.money(d.today.tax) })}
                target={{ screen: "shifts" }}
              />
            </div>
            <div role="listitem">
              <Tile
                testId="dash-stock-value"
                label={t("Stock value")}
                value={f.money(d.stock_value)}
                detail={t("{{count}} batches", { count: d.stock_batches })}
                target={{ screen: "stock" }}
              />
            </div>
            {d.expiring.map((e) => (
              <div role="listitem" key={e.within_days}>
                <Tile
                  testId={`dash-expiring-${e.within_days}`}
                  label={t("Expiring within {{days}} days", { days: e.within_days })}
                  value={f.money(e.value)}
                  detail={t("{{count}} batches", { count: e.batches })}
                  tone={e.within_days <= 30 && e.batches > 0 ? "warn" : undefined}
                  target={{ screen: "expiry", filter: { within_days: String(e.within_days) } }}
                />
              </div>
            ))}
            <div role="listitem">
              <Tile
                testId="dash-expired"
                label={t("Expired, still on the shelf")}
                value={f.money(d.expired_value)}
                tone={isZeroMoney(d.expired_value) ? undefined : "bad"}
                target={{ screen: "expiry", filter: { expired: "1" } }}
              />
            </div>
            <div role="listitem">
              <Tile
                testId="dash-low-stock"
                label={t("Low stock")}
                value={f.qty(String(d.low_stock))}
                detail={t("products at or below their reorder point")}
                tone={d.low_stock > 0 ? "warn" : undefined}
                target={{ screen: "products", filter: { sort: "on_hand" } }}
              />
            </div>
            <div role="listitem">
              <Tile
                testId="dash-pending"
                label={t("Waiting for approval")}
                value={f.qty(String(d.pending_approvals))}
                detail={t("requests in the approvals queue")}
                tone={d.pending_approvals > 0 ? "warn" : undefined}
                target={{ screen: "approvals" }}
              />
            </div>
          </div>
          <section className="panel" aria-label={t("Sales over the last 30 days")}>
            <h2>{t("Sales over the last 30 days")}</h2>
            <BarChart label={t("Sales and margin by day")} xLabel={t("Day")} categories={chart.categories} series={chart.series} format={f.money} />
          </section>
        </>
      )}
    </Screen>
  );
}
