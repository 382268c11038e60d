//! Receipts and shift reports printed straight to a receipt printer over
//! ESC/POS, from Rust; the system print dialog stays for A4 documents and as
//! the fallback when no printer is set up or it cannot be reached.
//!
//! - [`PrinterSettings`]: this workstation's printer (how it is connected,
//!   the paper's width, whether a cash sale opens the drawer), kept in the
//!   till config file beside the database ([`crate::till`]): a printer is
//!   plugged into a machine, not into a store.
//! - [`escpos`]: the encoder; [`layout`]: what a receipt, a shift report
//!   and a test page say.
//! - The [`AppState`] methods here are what the Tauri commands call. Who
//!   may see or change the settings is the engine's decision
//!   (`AuthorizePrinterSettings`: managers and administrators); printing a
//!   receipt or a report needs what reading it needs (`get_receipt`,
//!   `get_shift_report`: anyone who sells). The document is read under the
//!   database lock, the bytes are sent after it is released, so a slow
//!   printer never holds up the till.
//!
//! A printer that cannot be reached is an error of kind
//! `printer_unavailable` (details: `printer`, `problem` = `not_configured`,
//! `not_found`, `permission_denied`, `busy`, `refused`, `timed_out` or
//! `other`): the
//! UI offers the system print dialog instead.

pub mod escpos;
pub mod layout;

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use pharmapos_engine::catalogue::stores::{ListStores, Store};
use pharmapos_engine::ids::{SaleId, ShiftId};
use pharmapos_engine::sales::receipt::GetReceipt;
use pharmapos_engine::sales::settings::AuthorizePrinterSettings;
use pharmapos_engine::sales::shifts::GetShiftReport;
use pharmapos_engine::Session;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::error::ApiError;
use crate::state::AppState;

/// How long connecting to a network printer may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one write may block (a printer out of paper stops reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Baud rates a serial receipt printer is set to.
pub const SERIAL_BAUDS: [u32; 8] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// How the printer is reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[ts(export, export_to = "shell/")]
pub enum PrinterConnection {
    /// No receipt printer: receipts go through the system print dialog.
    None,
    /// A USB printer through the system's printer device, e.g. `/dev/usb/lp0`.
    Usb {
        /// Device path.
        device: String,
    },
    /// A serial printer, e.g. `/dev/ttyUSB0` at 9600 or 19200 baud.
    Serial {
        /// Device path.
        device: String,
        /// Baud rate (1200–115200).
        baud: u32,
    },
    /// A network printer: raw TCP, port 9100 on nearly every model.
    Network {
        /// Host name or IP address.
        host: String,
        /// TCP port.
        port: u16,
    },
    /// A file the bytes are appended to (tests; a spool folder).
    File {
        /// File path.
        path: String,
    },
}

/// This workstation's receipt printer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export, export_to = "shell/")]
pub struct PrinterSettings {
    /// How the printer is reached.
    pub connection: PrinterConnection,
    /// Paper width in mm: 58 (32 characters a line) or 80 (48).
    pub paper_width_mm: u16,
    /// Open the cash drawer wired to the printer when a sale with a cash
    /// tender prints (not on reprints).
    pub cash_drawer: bool,
}

impl Default for PrinterSettings {
    fn default() -> Self {
        PrinterSettings {
            connection: PrinterConnection::None,
            paper_width_mm: 80,
            cash_drawer: false,
        }
    }
}

/// What a print sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "shell/")]
pub struct PrintResult {
    /// The printer, in words (`network 192.168.1.50:9100`).
    pub printer: String,
    /// Bytes sent.
    #[ts(type = "number")]
    pub bytes: usize,
    /// Whether the cash drawer was told to open.
    pub drawer_opened: bool,
}

impl PrinterSettings {
    /// Characters a line at normal size.
    pub fn columns(&self) -> usize {
        if self.paper_width_mm == 58 {
            32
        } else {
            48
        }
    }

    /// Checks the settings and trims their text; `invalid_input` names the
    /// field (`connection.device`, `paper_width_mm`, ...).
    pub fn validated(mut self) -> Result<PrinterSettings, ApiError> {
        if !matches!(self.paper_width_mm, 58 | 80) {
            return Err(ApiError::invalid_input(
                "paper_width_mm",
                "the paper is 58 or 80 mm wide",
            ));
        }
        let required = |value: &mut String, field: &str, what: &str| {
            *value = value.trim().to_string();
            if value.is_empty() {
                Err(ApiError::invalid_input(field, format!("enter {what}")))
            } else {
                Ok(())
            }
        };
        match &mut self.connection {
            PrinterConnection::None => {}
            PrinterConnection::Usb { device } => required(
                device,
                "connection.device",
                "the printer's device, e.g. /dev/usb/lp0",
            )?,
            PrinterConnection::Serial { device, baud } => {
                required(
                    device,
                    "connection.device",
                    "the serial port, e.g. /dev/ttyUSB0",
                )?;
                if !SERIAL_BAUDS.contains(baud) {
                    return Err(ApiError::invalid_input(
                        "connection.baud",
                        format!(
                            "{baud} is not a serial speed: use one of {}",
                            SERIAL_BAUDS.map(|b| b.to_string()).join(", ")
                        ),
                    ));
                }
            }
            PrinterConnection::Network { host, port } => {
                required(
                    host,
                    "connection.host",
                    "the printer's address, e.g. 192.168.1.50",
                )?;
                if host.chars().any(char::is_whitespace) || host.contains('/') {
                    return Err(ApiError::invalid_input(
                        "connection.host",
                        format!("'{host}' is not a host name or IP address"),
                    ));
                }
                if *port == 0 {
                    return Err(ApiError::invalid_input(
                        "connection.port",
                        "the port is 1-65535 (9100 on most printers)",
                    ));
                }
            }
            PrinterConnection::File { path } => {
                required(path, "connection.path", "the file to print to")?
            }
        }
        Ok(self)
    }
}

impl PrinterConnection {
    /// The printer in words, for messages.
    pub fn describe(&self) -> String {
        match self {
            PrinterConnection::None => "no printer".into(),
            PrinterConnection::Usb { device } => format!("USB {device}"),
            PrinterConnection::Serial { device, baud } => format!("serial {device} at {baud}"),
            PrinterConnection::Network { host, port } => format!("network {host}:{port}"),
            PrinterConnection::File { path } => format!("file {path}"),
        }
    }

    /// Sends `bytes` to the printer in one go.
    pub fn send(&self, bytes: &[u8]) -> Result<(), ApiError> {
        let fail = |problem: &str, cause: String| unavailable(self, problem, cause);
        let io = |e: std::io::Error| {
            let problem = match e.kind() {
                std::io::ErrorKind::NotFound => "not_found",
                std::io::ErrorKind::PermissionDenied => "permission_denied",
                std::io::ErrorKind::ConnectionRefused => "refused",
                std::io::ErrorKind::ResourceBusy => "busy",
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => "timed_out",
                _ => "other",
            };
            fail(problem, e.to_string())
        };
        match self {
            PrinterConnection::None => Err(fail(
                "not_configured",
                "no receipt printer is set up for this till (Settings, Printer)".into(),
            )),
            PrinterConnection::Usb { device } => {
                // The device exists or the printer is unplugged: never create it.
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(device)
                    .map_err(io)?;
                f.write_all(bytes).and_then(|()| f.flush()).map_err(io)
            }
            PrinterConnection::File { path } => {
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(io)?;
                f.write_all(bytes).and_then(|()| f.flush()).map_err(io)
            }
            PrinterConnection::Serial { device, baud } => {
                let mut port = serialport::new(device, *baud)
                    .timeout(WRITE_TIMEOUT)
                    .open()
                    .map_err(|e| match e.kind() {
                        // Another program holds the port (serialport locks it).
                        _ if e.description.contains("lock") => fail("busy", e.to_string()),
                        serialport::ErrorKind::NoDevice => fail("not_found", e.to_string()),
                        serialport::ErrorKind::Io(kind) => io(std::io::Error::new(kind, e)),
                        _ => fail("other", e.to_string()),
                    })?;
                port.write_all(bytes)
                    .and_then(|()| port.flush())
                    .map_err(io)
            }
            PrinterConnection::Network { host, port } => {
                let addrs = (host.as_str(), *port)
                    .to_socket_addrs()
                    .map_err(|e| fail("not_found", format!("cannot find {host}: {e}")))?;
                let mut last = None;
                for addr in addrs {
                    match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                        Ok(mut stream) => {
                            stream.set_write_timeout(Some(WRITE_TIMEOUT)).map_err(io)?;
                            return stream
                                .write_all(bytes)
                                .and_then(|()| stream.flush())
                                .map_err(io);
                        }
                        Err(e) => last = Some(e),
                    }
                }
                Err(match last {
                    Some(e) => io(e),
                    None => fail("not_found", format!("{host} has no address")),
                })
            }
        }
    }
}

/// The `printer_unavailable` error.
fn unavailable(connection: &PrinterConnection, problem: &str, cause: String) -> ApiError {
    let printer = connection.describe();
    log::warn!("printing to {printer} failed ({problem}): {cause}");
    let message = match problem {
        "not_configured" => format!("{cause}; print with the system dialog instead"),
        "not_found" => {
            format!("the receipt printer ({printer}) is not there: is it plugged in and switched on? ({cause})")
        }
        "permission_denied" => format!(
            "this user may not use the receipt printer ({printer}): on Linux, add the user to the 'lp' (USB) or 'dialout' (serial) group ({cause})"
        ),
        "busy" => format!(
            "the receipt printer ({printer}) is in use by another program; close it and print again ({cause})"
        ),
        "refused" | "timed_out" => format!(
            "the receipt printer ({printer}) did not answer: is it switched on, with paper, on this network? ({cause})"
        ),
        _ => format!("the receipt printer ({printer}) failed: {cause}"),
    };
    ApiError {
        kind: "printer_unavailable".into(),
        message,
        details: json!({ "printer": printer, "problem": problem }),
    }
}

impl AppState {
    /// The acting user, once the engine agrees they may manage this till's
    /// printer.
    fn authorize_printer(&self) -> Result<Session, ApiError> {
        let session = Session {
            user_id: self.acting_user()?.id,
        };
        self.with_db(|db| Ok(db.execute(&session, AuthorizePrinterSettings {})?))?;
        Ok(session)
    }

    /// This till's printer (the default, no printer, when none was chosen).
    /// Managers and administrators.
    pub fn printer_settings(&self) -> Result<PrinterSettings, ApiError> {
        self.authorize_printer()?;
        Ok(self.till()?.printer()?.unwrap_or_default())
    }

    /// Chooses this till's printer. Managers and administrators.
    pub fn set_printer_settings(
        &self,
        settings: PrinterSettings,
    ) -> Result<PrinterSettings, ApiError> {
        self.authorize_printer()?;
        let settings = settings.validated()?;
        self.till()?.set_printer(settings.clone())?;
        log::info!("receipt printer set to {}", settings.connection.describe());
        Ok(settings)
    }

    /// The printer receipts go to: refused before anything is read when
    /// there is none.
    fn chosen_printer(&self) -> Result<PrinterSettings, ApiError> {
        let settings = self.till()?.printer()?.unwrap_or_default();
        if settings.connection == PrinterConnection::None {
            settings.connection.send(&[])?;
        }
        Ok(settings)
    }

    /// Prints a sale's receipt (as stored: a reprint matches the original).
    /// The drawer opens when the settings say so, the sale has a cash
    /// tender and this is not a `reprint` (a reprint says so on paper).
    pub fn print_receipt(&self, sale_id: SaleId, reprint: bool) -> Result<PrintResult, ApiError> {
        let session = Session {
            user_id: self.acting_user()?.id,
        };
        let settings = self.chosen_printer()?;
        let (receipt, store) = self.with_db(|db| {
            let receipt = db.execute(&session, GetReceipt { sale_id })?;
            let store = store_of(db.execute(&session, ListStores {})?, receipt.store.store_id);
            Ok((receipt, store))
        })?;
        let head = layout::StoreHead::of(&receipt.store, store.as_ref());
        let drawer = settings.cash_drawer
            && !reprint
            && receipt.status == "completed"
            && receipt.payments.iter().any(|p| p.tender == "cash");
        let bytes = layout::receipt(&receipt, &head, settings.columns(), reprint, drawer);
        settings.connection.send(&bytes)?;
        Ok(PrintResult {
            printer: settings.connection.describe(),
            bytes: bytes.len(),
            drawer_opened: drawer,
        })
    }

    /// Prints a shift's X (open) or Z (closed) report, times in the store's
    /// time zone, a Z report with the record's head.
    pub fn print_shift_report(&self, shift_id: ShiftId) -> Result<PrintResult, ApiError> {
        let session = Session {
            user_id: self.acting_user()?.id,
        };
        let settings = self.chosen_printer()?;
        let (report, store) = self.with_db(|db| {
            let report = db.execute(
                &session,
                GetShiftReport {
                    shift_id: Some(shift_id),
                    terminal_id: None,
                    store_id: None,
                },
            )?;
            let store = store_of(db.execute(&session, ListStores {})?, report.store_id);
            Ok((report, store))
        })?;
        let store = store.ok_or_else(|| {
            ApiError::from(pharmapos_engine::Error::not_found("store", report.store_id))
        })?;
        let printed_at = self.now();
        let bytes = layout::shift_report(&report, &store, settings.columns(), printed_at);
        settings.connection.send(&bytes)?;
        Ok(PrintResult {
            printer: settings.connection.describe(),
            bytes: bytes.len(),
            drawer_opened: false,
        })
    }

    /// Prints a test page on `settings` (not saved; the saved ones when
    /// `None`), opening the drawer when they say cash sales do, so its
    /// wiring is tested too. Managers and administrators.
    pub fn test_print(&self, settings: Option<PrinterSettings>) -> Result<PrintResult, ApiError> {
        self.authorize_printer()?;
        let settings = match settings {
            Some(s) => s.validated()?,
            None => self.till()?.printer()?.unwrap_or_default(),
        };
        let till = self.till_config().map(|c| c.till_id).unwrap_or_default();
        let bytes = layout::test_page(&settings, &till);
        settings.connection.send(&bytes)?;
        Ok(PrintResult {
            printer: settings.connection.describe(),
            bytes: bytes.len(),
            drawer_opened: settings.cash_drawer,
        })
    }
}

fn store_of(stores: Vec<Store>, id: pharmapos_engine::ids::StoreId) -> Option<Store> {
    stores.into_iter().find(|s| s.id == id)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn with(connection: PrinterConnection) -> PrinterSettings {
        PrinterSettings {
            connection,
            ..PrinterSettings::default()
        }
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let bad = |s: PrinterSettings, field: &str| {
            let e = s.validated().unwrap_err();
            assert_eq!(e.kind, "invalid_input");
            assert_eq!(e.details["field"], field, "{}", e.message);
        };
        bad(
            PrinterSettings {
                paper_width_mm: 70,
                ..PrinterSettings::default()
            },
            "paper_width_mm",
        );
        bad(
            with(PrinterConnection::Usb {
                device: "  ".into(),
            }),
            "connection.device",
        );
        bad(
            with(PrinterConnection::Serial {
                device: "/dev/ttyUSB0".into(),
                baud: 9601,
            }),
            "connection.baud",
        );
        bad(
            with(PrinterConnection::Network {
                host: "10.0.0.5".into(),
                port: 0,
            }),
            "connection.port",
        );
        bad(
            with(PrinterConnection::Network {
                host: "my printer".into(),
                port: 9100,
            }),
            "connection.host",
        );
        let ok = with(PrinterConnection::Network {
            host: " 10.0.0.5 ".into(),
            port: 9100,
        })
        .validated()
        .unwrap();
        assert_eq!(ok.connection.describe(), "network 10.0.0.5:9100");
        assert_eq!(ok.columns(), 48);
    }

    #[test]
    fn the_json_shape_is_tagged_by_kind() {
        let s: PrinterSettings = serde_json::from_value(json!({
            "connection": {"kind": "serial", "device": "/dev/ttyUSB0", "baud": 19200},
            "paper_width_mm": 58, "cash_drawer": true
        }))
        .unwrap();
        assert_eq!(s.columns(), 32);
        assert_eq!(
            serde_json::to_value(with(PrinterConnection::None)).unwrap()["connection"],
            json!({"kind": "none"})
        );
        assert!(serde_json::from_value::<PrinterSettings>(json!({
            "connection": {"kind": "usb", "device": "/dev/usb/lp0", "extra": 1},
            "paper_width_mm": 80, "cash_drawer": false
        }))
        .is_err());
    }

    #[test]
    fn unreachable_printers_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let missing = PrinterConnection::Usb {
            device: dir.path().join("lp9").display().to_string(),
        };
        let e = missing.send(b"x").unwrap_err();
        assert_eq!(e.kind, "printer_unavailable");
        assert_eq!(e.details["problem"], "not_found");
        assert!(
            !dir.path().join("lp9").exists(),
            "a USB device is never created"
        );

        // A port nobody listens on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let e = PrinterConnection::Network {
            host: "127.0.0.1".into(),
            port,
        }
        .send(b"x")
        .unwrap_err();
        assert_eq!(e.details["problem"], "refused", "{}", e.message);

        let e = PrinterConnection::Serial {
            device: dir.path().join("ttyUSB9").display().to_string(),
            baud: 9600,
        }
        .send(b"x")
        .unwrap_err();
        assert_eq!(e.details["problem"], "not_found", "{}", e.message);

        let e = PrinterConnection::None.send(b"x").unwrap_err();
        assert_eq!(e.details["problem"], "not_configured");
    }

    #[test]
    fn network_printers_get_the_bytes() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let reader = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            std::io::Read::read_to_end(&mut s, &mut got).unwrap();
            got
        });
        PrinterConnection::Network {
            host: "localhost".into(),
            port,
        }
        .send(b"\x1b@hello")
        .unwrap();
        assert_eq!(reader.join().unwrap(), b"\x1b@hello");
    }
}
