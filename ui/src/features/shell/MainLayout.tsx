// The main window: navigation with shortcuts, the current screen, and the
// status bar. Alt+digit switches screens, Alt+L locks, F1 shows the keys
// (a dialog that Esc closes).
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";

import type { ApiError } from "../../api";
import type { SignedInUser } from "../../bindings/SignedInUser";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { Dialog } from "../../components/Dialog";
import { Kbd } from "../../components/Field";
import { AdjustmentsScreen } from "../adjustments/AdjustmentsScreen";
import { AuditScreen } from "../audit/AuditScreen";
import { BackupScreen } from "../backup/BackupScreen";
import { ExpiryScreen } from "../expiry/ExpiryScreen";
import { ProductsScreen } from "../products/ProductsScreen";
import { ReceivingScreen } from "../receiving/ReceivingScreen";
import { SecurityLogScreen } from "../security/SecurityLogScreen";
import { SettingsScreen } from "../settings/SettingsScreen";
import { StockScreen } from "../stock/StockScreen";
import { SuppliersScreen } from "../suppliers/SuppliersScreen";
import { UsersScreen } from "../users/UsersScreen";
import { TillScreen } from "../till/TillScreen";
import { BackordersScreen } from "../backorders/BackordersScreen";
import { ClinicReportScreen } from "../clinic/ClinicReportScreen";
import { PatientsScreen } from "../clinic/PatientsScreen";
import { RecallsScreen } from "../clinic/RecallsScreen";
import { VialsScreen } from "../clinic/VialsScreen";
import { CategoriesScreen } from "../categories/CategoriesScreen";
import { DashboardScreen } from "../dashboard/DashboardScreen";
import { ShiftsScreen } from "../shifts/ShiftsScreen";
import type { ProductSort } from "../../bindings/ProductSort";
import { NavigationContext, type NavigationTarget } from "../../lib/navigation";
import { AppearanceDialog } from "./AppearanceDialog";
import { firstScreen, isShortcut, screensFor, type ScreenId } from "./screens";
import { AlertsScreen } from "../alerts/AlertsScreen";
import { AlertNavBadge } from "../alerts/AlertBadge";
import { ColdChainScreen } from "../coldchain/ColdChainScreen";
import { ReorderScreen } from "../reorder/ReorderScreen";
import { TransfersScreen } from "../transfers/TransfersScreen";
import { PurchaseOrdersScreen } from "../purchasing/PurchaseOrdersScreen";
import { ApprovalsScreen } from "../approvals/ApprovalsScreen";
import { CountsScreen } from "../counts/CountsScreen";
import { ImportScreen } from "../onboarding/ImportScreen";
import { ReportsScreen } from "../reports/ReportsScreen";
import { StatusBar } from "./StatusBar";
import { UnauthenticatedContext } from "./session";
import { StoreLocaleProvider, usableLocale, type StoreLocale } from "../../lib/locale";
import { I18nProvider } from "react-aria-components";
import { useCommandQuery } from "../../lib/queries";
import { RoleContext, roleInStore } from "../../lib/permissions";

export function MainLayout({
  status,
  user,
  onLock,
  onSignOut,
  onUnauthenticated,
  banner,
}: {
  status: AppStatus;
  user: SignedInUser;
  onLock: () => void;
  onSignOut: () => void;
  onUnauthenticated: (e: ApiError) => void;
  /** Shown above the screens (the demo store's banner). */
  banner?: ReactNode;
}) {
  const { t } = useTranslation();
  const role = roleInStore(user);
  const screens = useMemo(() => screensFor(role), [role]);
  const [current, setCurrent] = useState<ScreenId>(() => firstScreen(role));
  // What a screen opened from another (a dashboard figure) starts filtered by.
  const [filter, setFilter] = useState<Record<string, string>>({});
  const open = (id: ScreenId) => {
    setFilter({});
    setCurrent(id);
  };
  const navigate = useCallback(
    (target: NavigationTarget) => {
      const entry = screens.find((s) => s.id === target.screen);
      if (!entry) return;
      setFilter(target.filter ?? {});
      setCurrent(entry.id);
    },
    [screens],
  );
  const [showKeys, setShowKeys] = useState(false);
  const [showAppearance, setShowAppearance] = useState(false);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const target = screens.find((s) => isShortcut(s, e));
        if (target) {
          e.preventDefault();
          setFilter({});
          setCurrent(target.id);
          return;
        }
        if (e.key.toLowerCase() === "l" || e.code === "KeyL") {
          e.preventDefault();
          onLock();
        }
      }
      if (e.key === "F1") {
        e.preventDefault();
        setShowKeys((v) => !v);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [screens, onLock]);

  // Move focus to the new screen's heading so keyboard users land in it.
  useEffect(() => {
    document.getElementById("screen-title")?.focus();
  }, [current]);

  const stores = useCommandQuery("list_stores", {});
  const store = stores.data?.find((s) => s.id === user.store_id) ?? stores.data?.[0];
  const storeLocale: StoreLocale = {
    locale: store?.locale ?? "en",
    currency: store?.currency ?? "USD",
    timeZone: store?.timezone ?? "UTC",
  };

  return (
    <UnauthenticatedContext.Provider value={onUnauthenticated}>
      <RoleContext.Provider value={role}>
      <StoreLocaleProvider store={storeLocale}>
      <I18nProvider locale={usableLocale(storeLocale.locale)}>
      <NavigationContext.Provider value={navigate}>
      <div className={status.demo ? "app demo" : "app"}>
        {banner}
        <nav className="nav" aria-label={t("Screens")}>
          <div className="brand">
            <img src="/icon.png" alt="" width={28} height={28} />
            <span>{t("PharmaPOS")}</span>
          </div>
          <ul>
            {screens.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={s.id === current ? "nav-item active" : "nav-item"}
                  aria-current={s.id === current ? "page" : undefined}
                  aria-keyshortcuts={`Alt+${s.key}`}
                  onClick={() => open(s.id)}
                  data-screen={s.id}
                >
                  <span>{t(s.label)}</span>
                  {s.id === "alerts" && <AlertNavBadge />}
                  <Kbd>Alt+{s.key}</Kbd>
                </button>
              </li>
            ))}
          </ul>
          <div className="nav-bottom">
            <button type="button" className="nav-item" onClick={onLock} aria-keyshortcuts="Alt+L">
              <span>{t("Lock")}</span>
              <Kbd>Alt+L</Kbd>
            </button>
            <button type="button" className="nav-item" onClick={onSignOut}>
              <span>{t("Sign out")}</span>
            </button>
            <button type="button" className="nav-item" onClick={() => setShowKeys((v) => !v)} aria-keyshortcuts="F1">
              <span>{t("Keys")}</span>
              <Kbd>F1</Kbd>
            </button>
            <button type="button" className="nav-item" onClick={() => setShowAppearance(true)} aria-haspopup="dialog">
              <span>{t("Appearance")}</span>
            </button>
          </div>
        </nav>
        <main className="content">
          {showKeys && <KeysHelp onClose={() => setShowKeys(false)} />}
          {showAppearance && <AppearanceDialog onClose={() => setShowAppearance(false)} />}
          {current === "dashboard" && <DashboardScreen />}
          {current === "till" && <TillScreen user={user} />}
          {current === "products" && <ProductsScreen initialSort={filter["sort"] as ProductSort | undefined} />}
          {current === "stock" && (
            <StockScreen initialWithinDays={filter["within_days"]} initialProductId={filter["product_id"]} initialProductQuery={filter["product_query"]} />
          )}
          {current === "receiving" && <ReceivingScreen />}
          {current === "adjustments" && <AdjustmentsScreen />}
          {current === "expiry" && <ExpiryScreen initialDays={filter["within_days"] ? Number(filter["within_days"]) : undefined} />}
          {current === "suppliers" && <SuppliersScreen />}
          {current === "audit" && <AuditScreen />}
          {current === "users" && <UsersScreen />}
          {current === "backup" && <BackupScreen />}
          {current === "security" && <SecurityLogScreen />}
          {current === "settings" && <SettingsScreen />}
          {current === "shifts" && <ShiftsScreen />}
          {current === "backorders" && <BackordersScreen />}
          {current === "vials" && <VialsScreen />}
          {current === "recalls" && <RecallsScreen />}
          {current === "patients" && <PatientsScreen />}
          {current === "transfers" && <TransfersScreen storeId={store?.id} />}
          {current === "purchasing" && <PurchaseOrdersScreen />}
          {current === "clinic-report" && <ClinicReportScreen />}
          {current === "categories" && <CategoriesScreen />}
          {current === "import" && <ImportScreen />}
          {current === "alerts" && <AlertsScreen />}
          {current === "coldchain" && <ColdChainScreen />}
          {current === "reorder" && <ReorderScreen />}
          {current === "counts" && <CountsScreen />}
          {current === "approvals" && <ApprovalsScreen />}
          {current === "reports" && <ReportsScreen />}
        </main>
        <StatusBar status={status} user={user} />
      </div>
      </NavigationContext.Provider>
      </I18nProvider>
      </StoreLocaleProvider>
      </RoleContext.Provider>
    </UnauthenticatedContext.Provider>
  );
}

function KeysHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Dialog title={t("Keyboard shortcuts")} onClose={onClose} dismissOnOutsideClick className="keys-help">
      <ul>
        <li>
          <Trans t={t} components={{ k: <Kbd /> }}>
            {"<k>Alt+1</k>…<k>Alt+0</k> switch screens (shown in the menu); <k>Alt+1</k> is the till; managers and admins: <k>Alt+S</k> security log; admins: <k>Alt+,</k> settings (this till's id)"}
          </Trans>
        </li>
        <li>
          <Trans t={t} components={{ k: <Kbd /> }}>
            {"Till: scan anywhere, <k>F2</k> or <k>/</k> search, <k>F4</k> pay, <k>F6</k> hold, <k>F7</k> held carts, <k>F8</k> returns, <k>F9</k> shift"}
          </Trans>
        </li>
        <li>
          <Trans t={t} components={{ k: <Kbd /> }}>
            {"<k>Alt+L</k> lock the till"}
          </Trans>
        </li>
        <li>
          <Trans t={t} components={{ k: <Kbd /> }}>
            {"<k>Tab</k> / <k>Shift+Tab</k> move between fields, <k>Enter</k> submits a form"}
          </Trans>
        </li>
        <li>
          <Trans t={t} components={{ k: <Kbd /> }}>
            {"<k>/</k> focuses the search box on lists"}
          </Trans>
        </li>
        <li>
          <Trans t={t} components={{ k: <Kbd /> }}>
            {"<k>Esc</k> closes a form, a dialog or this help"}
          </Trans>
        </li>
      </ul>
      <div className="form-actions">
        <button type="button" onClick={onClose} autoFocus>
          {t("Close")}
        </button>
      </div>
    </Dialog>
  );
}
