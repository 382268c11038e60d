// The main window: navigation with shortcuts, the current screen, and the
// status bar. Alt+digit switches screens, Alt+L locks, F1 shows the keys.
import { useEffect, useMemo, useState } from "react";

import type { ApiError } from "../../api";
import type { SignedInUser } from "../../bindings/SignedInUser";
import type { AppStatus } from "../../bindings/shell/AppStatus";
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
import { firstScreen, isShortcut, screensFor, type ScreenId } from "./screens";
import { StatusBar } from "./StatusBar";
import { UnauthenticatedContext } from "./session";
import { StoreLocaleProvider, type StoreLocale } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { RoleContext, roleInStore } from "../../lib/permissions";

export function MainLayout({
  status,
  user,
  onLock,
  onSignOut,
  onUnauthenticated,
}: {
  status: AppStatus;
  user: SignedInUser;
  onLock: () => void;
  onSignOut: () => void;
  onUnauthenticated: (e: ApiError) => void;
}) {
  const role = roleInStore(user);
  const screens = useMemo(() => screensFor(role), [role]);
  const [current, setCurrent] = useState<ScreenId>(() => firstScreen(role));
  const [showKeys, setShowKeys] = useState(false);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const target = screens.find((s) => isShortcut(s, e));
        if (target) {
          e.preventDefault();
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
    locale: store?.locale ?? navigator.language ?? "en",
    currency: store?.currency ?? "USD",
    timeZone: store?.timezone ?? "UTC",
  };

  return (
    <UnauthenticatedContext.Provider value={onUnauthenticated}>
      <RoleContext.Provider value={role}>
      <StoreLocaleProvider store={storeLocale}>
      <div className="app">
        <nav className="nav" aria-label="Screens">
          <div className="brand">
            <img src="/icon.png" alt="" width={28} height={28} />
            <span>PharmaPOS</span>
          </div>
          <ul>
            {screens.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={s.id === current ? "nav-item active" : "nav-item"}
                  aria-current={s.id === current ? "page" : undefined}
                  aria-keyshortcuts={`Alt+${s.key}`}
                  onClick={() => setCurrent(s.id)}
                  data-screen={s.id}
                >
                  <span>{s.label}</span>
                  <Kbd>Alt+{s.key}</Kbd>
                </button>
              </li>
            ))}
          </ul>
          <div className="nav-bottom">
            <button type="button" className="nav-item" onClick={onLock} aria-keyshortcuts="Alt+L">
              <span>Lock</span>
              <Kbd>Alt+L</Kbd>
            </button>
            <button type="button" className="nav-item" onClick={onSignOut}>
              <span>Sign out</span>
            </button>
            <button type="button" className="nav-item" onClick={() => setShowKeys((v) => !v)} aria-keyshortcuts="F1">
              <span>Keys</span>
              <Kbd>F1</Kbd>
            </button>
          </div>
        </nav>
        <main className="content">
          {showKeys && <KeysHelp onClose={() => setShowKeys(false)} />}
          {current === "till" && <TillScreen user={user} />}
          {current === "products" && <ProductsScreen user={user} />}
          {current === "stock" && <StockScreen />}
          {current === "receiving" && <ReceivingScreen user={user} />}
          {current === "adjustments" && <AdjustmentsScreen user={user} />}
          {current === "expiry" && <ExpiryScreen />}
          {current === "suppliers" && <SuppliersScreen />}
          {current === "audit" && <AuditScreen />}
          {current === "users" && <UsersScreen />}
          {current === "backup" && <BackupScreen />}
          {current === "security" && <SecurityLogScreen />}
          {current === "settings" && <SettingsScreen />}
        </main>
        <StatusBar status={status} user={user} />
      </div>
      </StoreLocaleProvider>
      </RoleContext.Provider>
    </UnauthenticatedContext.Provider>
  );
}

function KeysHelp({ onClose }: { onClose: () => void }) {
  return (
    <aside className="keys-help" aria-label="Keyboard shortcuts">
      <h2>Keyboard</h2>
      <ul>
        <li>
          <Kbd>Alt+1</Kbd>…<Kbd>Alt+0</Kbd> switch screens (shown in the menu); <Kbd>Alt+1</Kbd> is the till; managers and admins: <Kbd>Alt+S</Kbd> security
          log; admins: <Kbd>Alt+,</Kbd> settings (this till's id)
        </li>
        <li>
          Till: scan anywhere, <Kbd>F2</Kbd> or <Kbd>/</Kbd> search, <Kbd>F4</Kbd> pay, <Kbd>F6</Kbd> hold, <Kbd>F7</Kbd> held carts, <Kbd>F8</Kbd> returns,{" "}
          <Kbd>F9</Kbd> shift
        </li>
        <li>
          <Kbd>Alt+L</Kbd> lock the till
        </li>
        <li>
          <Kbd>Tab</Kbd> / <Kbd>Shift+Tab</Kbd> move between fields, <Kbd>Enter</Kbd> submits a form
        </li>
        <li>
          <Kbd>/</Kbd> focuses the search box on lists
        </li>
        <li>
          <Kbd>Esc</Kbd> closes a form or this help
        </li>
      </ul>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </aside>
  );
}
