//! Sync with the central server: the admin names head office's server, and
//! anyone at the store can see how far the record has gone up (pushing
//! itself is the sync client's: `pharmapos sync push`, the desktop app's
//! background task).

use super::super::recorder::Recorder;
use serde_json::json;

pub(super) fn setup(d: &mut Recorder) {
    d.say(
        "configure_sync",
        "The admin points the store at head office's server (the store's secret is given to the client apart, never stored in the URL):",
    );
    d.call(
        "ada",
        "configure_sync",
        json!({"server_url": "https://sync.lekki-pharmacy.example/"}),
    );
    d.say(
        "get_sync_status",
        "Before the first push the whole record is the backlog:",
    );
    d.call("musa", "get_sync_status", json!({}));
    d.refusal("a server URL that is not http(s) with a host");
    d.fails(
        "ada",
        "configure_sync",
        json!({"server_url": "sync.lekki-pharmacy.example"}),
    );
    d.refusal("a manager configuring sync (the store's admins only)");
    d.fails(
        "musa",
        "configure_sync",
        json!({"server_url": "https://other.example"}),
    );
}
