//! Whether the app can open a window here, asked before Tauri starts.
//!
//! Without this, a start without a graphical session (an SSH login, a
//! service, a CI job without Xvfb) ends in a panic deep inside the window
//! library and a backtrace. The shell asks first and says in one line what
//! is missing; `main` prints it and exits non-zero. (A machine without the
//! WebKitGTK libraries never reaches this code: the dynamic loader refuses
//! the binary with its own one-line message naming the missing library.)

use std::ffi::OsString;
use std::path::Path;

use crate::options::Drawing;

/// The problem with the environment's display variables, if any: on Linux
/// and the BSDs a window needs `WAYLAND_DISPLAY` or `DISPLAY`.
pub fn missing_display(wayland: Option<OsString>, x11: Option<OsString>) -> Option<String> {
    let set = |v: &Option<OsString>| v.as_ref().is_some_and(|v| !v.is_empty());
    if set(&wayland) || set(&x11) {
        None
    } else {
        Some(
            "no display: PharmaPOS needs a graphical session (DISPLAY or WAYLAND_DISPLAY is not set); \
             start it from the desktop, or headless with `xvfb-run pharmapos-desktop`"
                .to_string(),
        )
    }
}

/// Checks that a window can be opened: the display variables, then GTK's
/// own connection to that display (a `DISPLAY` naming no running server).
#[cfg(target_os = "linux")]
pub fn check() -> Result<(), String> {
    if let Some(problem) = missing_display(
        std::env::var_os("WAYLAND_DISPLAY"),
        std::env::var_os("DISPLAY"),
    ) {
        return Err(problem);
    }
    // The same initialisation the window library does first; done here it
    // fails with an error instead of a panic, and the library's own call
    // then finds GTK ready.
    gtk::init().map_err(|_| {
        let shown = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{name}={v}"))
        };
        let which = [shown("WAYLAND_DISPLAY"), shown("DISPLAY")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "cannot open the display ({which}): is the graphical session running and may this user use it?"
        )
    })
}

/// Other systems always have a display for a desktop app.
#[cfg(not(target_os = "linux"))]
pub fn check() -> Result<(), String> {
    Ok(())
}

/// Whether the web view should draw on the CPU. WebKit's default composites
/// the page with OpenGL, and on a PC without a usable graphics driver (a
/// virtual machine, a remote session, an old till, Xvfb) Mesa runs that
/// OpenGL in software. There the webview bench (`scripts/bench-till-ui.sh`)
/// measured Mesa's two llvmpipe threads taking 14 s of CPU in a 19 s run on
/// the 2-core PC, and the scan → line p99 at 24 ms against 15–21 ms on the
/// CPU (docs/benchmarks.md, session 15): the till's screens are forms and
/// tables, which the CPU draws in a few milliseconds. Such a PC is told by
/// having no render node in `dri` (`/dev/dri/renderD*`, which every
/// hardware OpenGL driver on Linux opens). `--gpu` keeps WebKit's drawing
/// regardless: WebKitWebDriver's screenshots hang in the non-composited
/// mode, so the end-to-end tests pass it.
pub fn draws_on_cpu(drawing: Drawing, dri: &Path) -> bool {
    match drawing {
        Drawing::Cpu => true,
        Drawing::Gpu => false,
        Drawing::Auto => !has_render_node(dri),
    }
}

fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Has the web view draw on the CPU (WebKit's "never" hardware-acceleration
/// policy, its non-composited mode); see [`draws_on_cpu`].
#[cfg(target_os = "linux")]
pub fn configure_webview(webview: &webkit2gtk::WebView) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    match WebViewExt::settings(webview) {
        Some(settings) => {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never)
        }
        None => log::warn!("the web view has no settings: it draws as WebKit decides"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_display_variable_is_needed() {
        assert!(missing_display(None, None).is_some());
        assert!(missing_display(Some("".into()), Some("".into())).is_some());
        assert!(missing_display(None, Some(":0".into())).is_none());
        assert!(missing_display(Some("wayland-0".into()), None).is_none());
        let message = missing_display(None, None).unwrap_or_default();
        assert!(!message.contains('\n'), "one line: {message}");
    }

    #[test]
    fn the_cpu_draws_where_there_is_no_render_node_unless_told() {
        let dir = tempfile::tempdir().unwrap();
        let dri = dir.path().join("dri");
        assert!(draws_on_cpu(Drawing::Auto, &dri), "no /dev/dri at all");
        std::fs::create_dir(&dri).unwrap();
        std::fs::write(dri.join("card0"), "").unwrap();
        assert!(
            draws_on_cpu(Drawing::Auto, &dri),
            "a display card but no render node"
        );
        std::fs::write(dri.join("renderD128"), "").unwrap();
        assert!(!draws_on_cpu(Drawing::Auto, &dri));
        assert!(draws_on_cpu(Drawing::Cpu, &dri));
        std::fs::remove_file(dri.join("renderD128")).unwrap();
        assert!(!draws_on_cpu(Drawing::Gpu, &dri));
    }
}
