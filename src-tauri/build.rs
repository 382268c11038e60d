//! Build script of the desktop shell: generates Tauri's context (config,
//! icons, capabilities) from the root `tauri.conf.json`.
fn main() {
    tauri_build::build();
}
