//! # pharmapos-commands
//!
//! The one command layer. Every engine operation is listed here exactly once;
//! the desktop shell, the CLI and the tests all reach the engine through
//! [`dispatch`], so no operation is wired twice. Each entry carries its name,
//! summary, required permission, whether it writes, and its request and
//! response types, from which the UI's TypeScript bindings are generated
//! (`cargo test -p pharmapos-commands` writes `ui/src/bindings/`; CI fails
//! when the committed files differ), and `docs/reference.md` is generated
//! from the same table and a demo run through it (the `reference` module's
//! test fails when the committed copy is stale).

#![forbid(unsafe_code)]

use pharmapos_engine::alerts::list::{
    AcknowledgeAlert, DismissAlert, ListAlerts, RecordAlertNotification, ResolveAlert,
};
use pharmapos_engine::alerts::reorder::ListReorderRecommendations;
use pharmapos_engine::alerts::sweep::{GetAlertSettings, RunAlertSweep, UpdateAlertSettings};
use pharmapos_engine::approval::ListApprovers;
use pharmapos_engine::audit::{ExportAuditCsv, GetAuditTrail, Verify};
use pharmapos_engine::auth::{Permission, Role};
use pharmapos_engine::catalogue::assignments::{AssignUserStore, ListUserStores, RemoveUserStore};
use pharmapos_engine::catalogue::categories::{CreateCategory, ListCategories};
use pharmapos_engine::catalogue::customers::{CreateCustomer, ListCustomers, UpdateCustomer};
use pharmapos_engine::catalogue::product_list::ListProducts;
use pharmapos_engine::catalogue::products::{
    CreateProduct, DeleteProduct, GetProduct, SearchProducts, UpdateProduct,
};
use pharmapos_engine::catalogue::stores::{
    CreateStore, ListStoreDirectory, ListStores, UpdateStore,
};
use pharmapos_engine::catalogue::suppliers::{
    CreateSupplier, GetSupplier, ListSuppliers, UpdateSupplier,
};
use pharmapos_engine::catalogue::users::{CreateUser, ListUsers, UpdateUser};
use pharmapos_engine::clinic::patients::{CreatePatient, ListPatients, UpdatePatient};
use pharmapos_engine::clinic::recalls::{
    DisposeBatch, ImportFdaRecalls, ListRecalls, RecordRecall,
};
use pharmapos_engine::clinic::report::GetClinicReport;
use pharmapos_engine::clinic::settings::{
    GetClinicSettings, ListVialPolicies, SetVialPolicy, UpdateClinicSettings,
};
use pharmapos_engine::clinic::trace::{ExportLotTraceCsv, TraceLot};
use pharmapos_engine::clinic::treatments::{GetPatientHistory, ListPractitioners, RecordTreatment};
use pharmapos_engine::clinic::vials::{
    CloseVialSession, GetVialSession, ListVialSessions, OpenVialSession, SuggestVialLots,
    SweepVials,
};
use pharmapos_engine::clinic::waste::{ListWaste, RecordWaste};
use pharmapos_engine::coldchain::excursions::{DecideExcursionLot, ListExcursions};
use pharmapos_engine::coldchain::locations::{
    CreateStorageLocation, ListStorageLocations, PutLotInLocation, UpdateStorageLocation,
};
use pharmapos_engine::coldchain::readings::{ImportReadingsCsv, ListReadings, RecordReadings};
use pharmapos_engine::control::approvals::ListApprovals;
use pharmapos_engine::control::counts::lifecycle::{
    ApproveCount, CancelCount, CompleteCount, CreateCount, StartCount,
};
use pharmapos_engine::control::counts::post::PostCount;
use pharmapos_engine::control::counts::reconcile::ReconcileInventory;
use pharmapos_engine::control::counts::record::RecordCount;
use pharmapos_engine::control::counts::{GetCount, ListCounts};
use pharmapos_engine::control::freeze::SetStockFreezeDate;
use pharmapos_engine::control::transfers::{
    ApproveDiscrepancy, ApproveTransfer, CancelTransfer, CreateTransfer, GetPendingTransfers,
    GetTransfer, InitiateTransfer, ListTransfers, ReceiveTransfer, RejectDiscrepancy,
    RequestTransfer, ResolveDiscrepancy, ShipTransfer,
};
use pharmapos_engine::onboarding::export::ExportOnboardingCsv;
use pharmapos_engine::onboarding::{PreviewImport, RunImport};
use pharmapos_engine::op::parse_request_for;
use pharmapos_engine::purchasing::{
    ApprovePurchaseOrder, CancelPurchaseOrder, ConfirmPurchaseOrder, CreatePurchaseOrder,
    DraftOrdersFromReorder, GetPurchaseOrder, GetVendorPerformance, ListPurchaseOrders,
    ReceivePurchaseOrder, RejectPurchaseOrder, SetPurchaseOrderLimit, SetPurchaseOrderPayment,
    ShipPurchaseOrder, SubmitPurchaseOrder, UpdatePurchaseOrder,
};
use pharmapos_engine::reports::aging::GetBatchAging;
use pharmapos_engine::reports::dashboard::GetDashboard;
use pharmapos_engine::reports::expiry::GetExpiryRisk;
use pharmapos_engine::reports::export::ExportReportCsv;
use pharmapos_engine::reports::movements::GetMovementLog;
use pharmapos_engine::reports::sales::GetSalesReport;
use pharmapos_engine::reports::valuation::GetStockValuation;
use pharmapos_engine::reports::waste::GetWasteReport;
use pharmapos_engine::sales::cart::{
    AddCartLine, CancelCart, GetCart, OpenCart, RemoveCartLine, UpdateCartLine,
};
use pharmapos_engine::sales::complete::CompleteSale;
use pharmapos_engine::sales::discounts::{OverrideLinePrice, SetCartDiscount, SetLineDiscount};
use pharmapos_engine::sales::holds::{HoldCart, ListHeldCarts, ResumeCart};
use pharmapos_engine::sales::receipt::{FindSale, GetReceipt, ListSales};
use pharmapos_engine::sales::returns::{ReturnItems, VoidSale};
use pharmapos_engine::sales::scan::{ScanBarcode, ScanToCart};
use pharmapos_engine::sales::settings::{GetTillSettings, UpdateTillSettings};
use pharmapos_engine::sales::shift_list::ListShifts;
use pharmapos_engine::sales::shifts::{CloseShift, GetShiftReport, OpenShift};
use pharmapos_engine::security::ListSecurityLog;
use pharmapos_engine::stock::adjust::{
    AdjustStock, ApproveAdjustment, ListAdjustments, RejectAdjustment, ReturnToSupplier,
    WriteoffBatch,
};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::backorders::{
    CancelBackorder, CreateBackorder, FulfillBackorder, ListBackorders,
};
use pharmapos_engine::stock::batch_list::ListBatches;
use pharmapos_engine::stock::delivery::{ParseScan, ReceiveDelivery};
use pharmapos_engine::stock::expiry::{
    ExpireBatchesWithinDays, GetExpiredBatches, GetExpiringBatches,
};
use pharmapos_engine::stock::queries::{GetBatch, GetProductStock, GetStoreInventory};
use pharmapos_engine::stock::receipts::{ListReceipts, ReverseReceipt};
use pharmapos_engine::stock::receive::ReceiveStock;
use pharmapos_engine::stock::reservations::{
    ConfirmReservation, ListReservations, ReleaseExpiredReservations, ReleaseReservation,
    ReserveStock,
};
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::sync::{ConfigureSync, GetSyncStatus};
use pharmapos_engine::{Db, Error, ErrorKind, Operation, Result, Session};
use serde_json::Value;
use ts_rs::{TypeVisitor, TS};

#[cfg(test)]
mod reference;

/// One command: metadata plus the function that runs it.
pub struct CommandSpec {
    /// Name used by the CLI and the UI.
    pub name: &'static str,
    /// One-line description.
    pub summary: &'static str,
    /// Permission the acting user needs.
    pub permission: Permission,
    /// Whether it changes the database (the shell emits "data-changed").
    pub writes: bool,
    /// Whether a request may name the acting user as seed 003 does (`user_id`).
    pub names_acting_user: bool,
    /// TypeScript declaration of the request.
    pub request_decl: fn() -> String,
    /// TypeScript name of the request type.
    pub request_name: fn() -> String,
    /// TypeScript name of the response type.
    pub response_name: fn() -> String,
    /// The request type's doc comment (the operation's rules), as JSDoc.
    pub request_docs: fn() -> Option<String>,
    /// The response type's doc comment, as JSDoc.
    pub response_docs: fn() -> Option<String>,
    /// The request type's Rust path (`pharmapos_engine::stock::receive::ReceiveStock`):
    /// its engine area groups the reference.
    pub request_path: fn() -> &'static str,
    /// Exports the request and response types (and their dependencies) to a folder.
    pub export_types: fn(&std::path::Path) -> std::result::Result<(), ts_rs::ExportError>,
    run: fn(&mut Db, &Session, Value) -> Result<Value>,
}

fn run_op<O>(db: &mut Db, session: &Session, input: Value) -> Result<Value>
where
    O: Operation,
{
    let op = parse_request_for::<O>(input, session)?;
    let out = db.execute(session, op)?;
    serde_json::to_value(out).map_err(|e| Error::internal(format!("encoding response: {e}")))
}

fn export_types<O>(dir: &std::path::Path) -> std::result::Result<(), ts_rs::ExportError>
where
    O: Operation + TS + 'static,
    O::Output: TS + 'static,
{
    O::export_all_to(dir)?;
    let mut exporter = Exporter { dir, error: None };
    exporter.visit::<O::Output>();
    exporter.error.map_or(Ok(()), Err)
}

/// Exports a type with its dependencies; a wrapper that cannot be exported
/// itself (`Vec<T>`, `Option<T>`) exports its type parameters instead.
struct Exporter<'a> {
    dir: &'a std::path::Path,
    error: Option<ts_rs::ExportError>,
}

impl ts_rs::TypeVisitor for Exporter<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            if let Err(e) = T::export_all_to(self.dir) {
                self.error.get_or_insert(e);
            }
        } else {
            T::visit_generics(self);
            T::visit_dependencies(self);
        }
    }
}

const fn spec<O>() -> CommandSpec
where
    O: Operation + TS + 'static,
    O::Output: TS + 'static,
{
    CommandSpec {
        name: O::NAME,
        summary: O::SUMMARY,
        permission: O::PERMISSION,
        writes: O::WRITES,
        names_acting_user: O::NAMES_ACTING_USER,
        request_decl: O::decl,
        request_name: O::name,
        response_name: <O::Output as TS>::name,
        request_docs: O::docs,
        response_docs: <O::Output as TS>::docs,
        request_path: std::any::type_name::<O>,
        export_types: export_types::<O>,
        run: run_op::<O>,
    }
}

/// Every command, in reference order.
pub static COMMANDS: &[CommandSpec] = &[
    // Stock (seed 003's InventoryService)
    spec::<ReceiveStock>(),
    spec::<ParseScan>(),
    spec::<ReceiveDelivery>(),
    spec::<ListReceipts>(),
    spec::<ReverseReceipt>(),
    spec::<AllocateStockForSale>(),
    spec::<ReserveStock>(),
    spec::<ReleaseReservation>(),
    spec::<ConfirmReservation>(),
    spec::<ReleaseExpiredReservations>(),
    spec::<ListReservations>(),
    spec::<AdjustStock>(),
    spec::<ApproveAdjustment>(),
    spec::<RejectAdjustment>(),
    spec::<ListAdjustments>(),
    spec::<WriteoffBatch>(),
    spec::<ReturnToSupplier>(),
    spec::<SetBatchStatus>(),
    spec::<ExpireBatchesWithinDays>(),
    spec::<GetExpiringBatches>(),
    spec::<GetExpiredBatches>(),
    spec::<GetStoreInventory>(),
    spec::<ListBatches>(),
    spec::<GetBatch>(),
    spec::<GetProductStock>(),
    // Stock control: the approvals queue and the freeze date
    spec::<ListApprovals>(),
    spec::<SetStockFreezeDate>(),
    // Alerts and reorder
    spec::<ListAlerts>(),
    spec::<AcknowledgeAlert>(),
    spec::<RecordAlertNotification>(),
    spec::<ResolveAlert>(),
    spec::<DismissAlert>(),
    spec::<RunAlertSweep>(),
    spec::<GetAlertSettings>(),
    spec::<UpdateAlertSettings>(),
    spec::<ListReorderRecommendations>(),
    // Cold chain
    spec::<CreateStorageLocation>(),
    spec::<ListStorageLocations>(),
    spec::<UpdateStorageLocation>(),
    spec::<PutLotInLocation>(),
    spec::<RecordReadings>(),
    spec::<ImportReadingsCsv>(),
    spec::<ListReadings>(),
    spec::<ListExcursions>(),
    spec::<DecideExcursionLot>(),
    // Backorders
    spec::<CreateBackorder>(),
    spec::<FulfillBackorder>(),
    spec::<CancelBackorder>(),
    spec::<ListBackorders>(),
    // Transfers between stores (seed 000's workflow, seed 003's StockTransferService)
    spec::<CreateTransfer>(),
    spec::<RequestTransfer>(),
    spec::<ApproveTransfer>(),
    spec::<ShipTransfer>(),
    spec::<ReceiveTransfer>(),
    spec::<CancelTransfer>(),
    spec::<ResolveDiscrepancy>(),
    spec::<ApproveDiscrepancy>(),
    spec::<RejectDiscrepancy>(),
    spec::<ListTransfers>(),
    spec::<GetTransfer>(),
    spec::<InitiateTransfer>(),
    spec::<GetPendingTransfers>(),
    // Purchasing: orders to vendors and receiving against them (seed 000, issue 14)
    spec::<CreatePurchaseOrder>(),
    spec::<UpdatePurchaseOrder>(),
    spec::<SubmitPurchaseOrder>(),
    spec::<ApprovePurchaseOrder>(),
    spec::<RejectPurchaseOrder>(),
    spec::<ConfirmPurchaseOrder>(),
    spec::<ShipPurchaseOrder>(),
    spec::<ReceivePurchaseOrder>(),
    spec::<CancelPurchaseOrder>(),
    spec::<SetPurchaseOrderPayment>(),
    spec::<ListPurchaseOrders>(),
    spec::<GetPurchaseOrder>(),
    spec::<DraftOrdersFromReorder>(),
    spec::<GetVendorPerformance>(),
    spec::<SetPurchaseOrderLimit>(),
    // Catalogue
    spec::<CreateProduct>(),
    spec::<UpdateProduct>(),
    spec::<GetProduct>(),
    spec::<SearchProducts>(),
    spec::<ListProducts>(),
    spec::<DeleteProduct>(),
    spec::<CreateCategory>(),
    spec::<ListCategories>(),
    spec::<CreateSupplier>(),
    spec::<UpdateSupplier>(),
    spec::<GetSupplier>(),
    spec::<ListSuppliers>(),
    spec::<CreateCustomer>(),
    spec::<UpdateCustomer>(),
    spec::<ListCustomers>(),
    // Onboarding a store: CSV import and export
    spec::<PreviewImport>(),
    spec::<RunImport>(),
    spec::<ExportOnboardingCsv>(),
    // People and stores
    spec::<CreateStore>(),
    spec::<UpdateStore>(),
    spec::<ListStores>(),
    spec::<ListStoreDirectory>(),
    spec::<CreateUser>(),
    spec::<UpdateUser>(),
    spec::<ListUsers>(),
    spec::<AssignUserStore>(),
    spec::<RemoveUserStore>(),
    spec::<ListUserStores>(),
    spec::<ListApprovers>(),
    // The till
    spec::<GetTillSettings>(),
    spec::<UpdateTillSettings>(),
    spec::<ScanBarcode>(),
    spec::<ScanToCart>(),
    spec::<OpenCart>(),
    spec::<GetCart>(),
    spec::<AddCartLine>(),
    spec::<UpdateCartLine>(),
    spec::<RemoveCartLine>(),
    spec::<SetLineDiscount>(),
    spec::<SetCartDiscount>(),
    spec::<OverrideLinePrice>(),
    spec::<CancelCart>(),
    spec::<HoldCart>(),
    spec::<ResumeCart>(),
    spec::<ListHeldCarts>(),
    spec::<CompleteSale>(),
    spec::<GetReceipt>(),
    spec::<FindSale>(),
    spec::<ListSales>(),
    spec::<ReturnItems>(),
    spec::<VoidSale>(),
    spec::<OpenShift>(),
    spec::<CloseShift>(),
    spec::<GetShiftReport>(),
    spec::<ListShifts>(),
    // The clinic (seed 000)
    spec::<CreatePatient>(),
    spec::<UpdatePatient>(),
    spec::<ListPatients>(),
    spec::<GetPatientHistory>(),
    spec::<SuggestVialLots>(),
    spec::<OpenVialSession>(),
    spec::<ListPractitioners>(),
    spec::<RecordTreatment>(),
    spec::<RecordWaste>(),
    spec::<CloseVialSession>(),
    spec::<SweepVials>(),
    spec::<ListVialSessions>(),
    spec::<GetVialSession>(),
    spec::<ListWaste>(),
    spec::<SetVialPolicy>(),
    spec::<ListVialPolicies>(),
    spec::<GetClinicSettings>(),
    spec::<UpdateClinicSettings>(),
    spec::<RecordRecall>(),
    spec::<ListRecalls>(),
    spec::<ImportFdaRecalls>(),
    spec::<DisposeBatch>(),
    spec::<TraceLot>(),
    spec::<ExportLotTraceCsv>(),
    spec::<GetClinicReport>(),
    // Stock control: physical counts (seed 000) and seed 003's reconciliation
    spec::<CreateCount>(),
    spec::<StartCount>(),
    spec::<RecordCount>(),
    spec::<CompleteCount>(),
    spec::<ApproveCount>(),
    spec::<PostCount>(),
    spec::<CancelCount>(),
    spec::<ListCounts>(),
    spec::<GetCount>(),
    spec::<ReconcileInventory>(),
    // A manager's home
    spec::<GetDashboard>(),
    // Reports (issue 14)
    spec::<GetStockValuation>(),
    spec::<GetBatchAging>(),
    spec::<GetExpiryRisk>(),
    spec::<GetMovementLog>(),
    spec::<GetWasteReport>(),
    spec::<GetSalesReport>(),
    spec::<ExportReportCsv>(),
    // Audit
    spec::<GetAuditTrail>(),
    spec::<ExportAuditCsv>(),
    spec::<Verify>(),
    spec::<ListSecurityLog>(),
    // Sync with the central server
    spec::<ConfigureSync>(),
    spec::<GetSyncStatus>(),
];

/// Looks a command up by name.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// Runs a command by name for the session's user. The input is the request
/// as JSON (`null` counts as `{}`); the output is the response as JSON.
pub fn dispatch(db: &mut Db, session: &Session, name: &str, input: Value) -> Result<Value> {
    let cmd = find(name).ok_or_else(|| Error::InvalidInput {
        message: format!("unknown command '{name}' (run `pharmapos commands` for the list)"),
        field: None,
    })?;
    (cmd.run)(db, session, input)
}

/// The TypeScript module mapping each command to its request and response
/// types (`ui/src/bindings/Commands.ts`). `known` are the type names exported
/// beside it, imported when a request or response mentions them.
pub fn commands_ts(known: &[String]) -> String {
    let mut used: Vec<&str> = Vec::new();
    let mut body = String::new();
    for c in COMMANDS {
        let (req, resp) = ((c.request_name)(), (c.response_name)());
        for k in known {
            let mentions = |s: &str| {
                s.split(|ch: char| !ch.is_alphanumeric() && ch != '_')
                    .any(|w| w == k)
            };
            if (mentions(&req) || mentions(&resp)) && !used.contains(&k.as_str()) {
                used.push(k);
            }
        }
        body.push_str(&format!(
            "  /** {} (permission: {}{}) */\n  {}: {{ request: {}; response: {} }};\n",
            c.summary,
            c.permission.as_str(),
            if c.writes { ", writes" } else { "" },
            c.name,
            req,
            resp
        ));
    }
    for k in ["Permission", "Role"] {
        if !used.contains(&k) {
            used.push(k);
        }
    }
    used.sort_unstable();
    let mut out = String::from(
        "// Generated by pharmapos-commands (cargo test -p pharmapos-commands). Do not edit.\n",
    );
    for u in &used {
        out.push_str(&format!("import type {{ {u} }} from \"./{u}\";\n"));
    }
    out.push_str(
        "\n/** Every command: its request and response types. */\nexport type Commands = {\n",
    );
    out.push_str(&body);
    out.push_str(
        "};\n\n/** Names of the commands that change data. */\nexport const WRITE_COMMANDS = [\n",
    );
    for c in COMMANDS.iter().filter(|c| c.writes) {
        out.push_str(&format!("  \"{}\",\n", c.name));
    }
    out.push_str("] as const;\n");
    // What each role may do and what each command needs, from the engine's
    // permission table: the UI shows a screen or a button only when the
    // signed-in role holds what its commands need (never a copied list).
    out.push_str(
        "\n/** The permission each command needs. */\nexport const COMMAND_PERMISSION = {\n",
    );
    for c in COMMANDS {
        out.push_str(&format!("  {}: \"{}\",\n", c.name, c.permission.as_str()));
    }
    out.push_str("} as const satisfies Record<keyof Commands, Permission>;\n");
    out.push_str(
        "\n/** The permissions each role holds in a store. */\nexport const ROLE_PERMISSIONS = {\n",
    );
    for r in Role::ALL {
        let held: Vec<String> = Permission::ALL
            .iter()
            .filter(|p| p.granted_to(*r))
            .map(|p| format!("\"{}\"", p.as_str()))
            .collect();
        out.push_str(&format!("  {}: [{}],\n", r.as_str(), held.join(", ")));
    }
    out.push_str("} as const satisfies Record<Role, readonly Permission[]>;\n");
    out
}

/// Writes every request/response type, the error types (`ErrorKind`, the
/// kinds' string union, and `ErrorDetails`, each kind's details) and
/// `Commands.ts` into `dir`.
pub fn export_bindings(dir: &std::path::Path) -> std::result::Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for c in COMMANDS {
        (c.export_types)(dir).map_err(|e| format!("{}: {e}", c.name))?;
    }
    Error::export_all_to(dir).map_err(|e| format!("ErrorDetails: {e}"))?;
    ErrorKind::export_all_to(dir).map_err(|e| format!("ErrorKind: {e}"))?;
    // Commands.ts's permission tables name these even when no request or
    // response does (a new permission would otherwise leave them stale).
    Permission::export_all_to(dir).map_err(|e| format!("Permission: {e}"))?;
    Role::export_all_to(dir).map_err(|e| format!("Role: {e}"))?;
    let mut known: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".ts"))
                .map(str::to_string)
        })
        .filter(|n| n != "Commands" && n != "index")
        .collect();
    known.sort();
    std::fs::write(dir.join("Commands.ts"), commands_ts(&known)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        let mut names: Vec<_> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate command names");
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
    }

    /// Regenerates the UI's bindings. CI runs the tests and then fails when
    /// `git diff` shows the committed bindings changed (stale).
    #[test]
    fn export_ui_bindings() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
        export_bindings(&dir).unwrap();
        let commands = std::fs::read_to_string(dir.join("Commands.ts")).unwrap();
        assert!(
            commands.contains("receive_stock: { request: ReceiveStock; response: ReceiveResult }")
        );
        // The error kinds and each kind's details, for the UI to narrow on.
        let kinds = std::fs::read_to_string(dir.join("ErrorKind.ts")).unwrap();
        for k in ErrorKind::ALL {
            assert!(kinds.contains(&format!("\"{}\"", k.as_str())), "{k:?}");
        }
        let details = std::fs::read_to_string(dir.join("ErrorDetails.ts")).unwrap();
        assert!(details.contains("export type ErrorDetails = "));
        assert!(details.contains("\"kind\": \"batch_not_sellable\", \"details\": {"));
    }

    #[test]
    fn unknown_command_is_invalid_input() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("t.db")).unwrap();
        let s = Session {
            user_id: pharmapos_engine::ids::UserId::new(),
        };
        let err = dispatch(&mut db, &s, "nope", Value::Null).unwrap_err();
        assert_eq!(err.kind(), "invalid_input");
    }
}
