//! Head office's page in a real browser: Debian's Chromium, headless,
//! driven over WebDriver (`chromedriver` on a free port, killed at the end)
//! with fantoccini, against the server and record of [`super::world`].

use super::{engine_stock, world, World};
use fantoccini::key::Key;
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

/// chromedriver on a free port, killed (by its handle) when dropped.
struct Driver {
    child: std::process::Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn browser() -> (Driver, Browser) {
    let chromedriver =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromedriver).exists() && Path::new(&chromium).exists(),
        "the browser test needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)"
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _profile: profile,
    };
    // Ready when it answers its status.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("{}/status", driver.url)).await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start on port {port}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", driver._profile.path().display()),
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("chromium did not start under chromedriver: {e}"));
    (driver, client)
}

/// Waits until the element at `css` has text for which `ok` holds; its text.
async fn wait_text(b: &Browser, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    loop {
        if let Ok(e) = b.find(Locator::Css(css)).await {
            if let Ok(t) = e.text().await {
                if ok(&t) {
                    return t;
                }
                last = t;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{css}: still '{last}' after 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Saves a screenshot as `<HO_SCREENSHOTS>/<name>.png` when that variable
/// names a folder (to look at the page; the test does not need them).
async fn snap(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("HO_SCREENSHOTS") {
        let png = b.screenshot().await.unwrap();
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// "12345.5" with its digits grouped, as the page shows it.
fn grouped(decimal: &str) -> String {
    let (whole, frac) = decimal
        .split_once('.')
        .map_or((decimal, None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_page_in_a_real_browser() {
    let w = std::sync::Arc::new(world("ho_browser").await);
    let (driver, b) = browser().await;
    // On a task of its own, so that the browser is closed (and the driver
    // killed) whatever happens, and only then the failure reported.
    let result = tokio::spawn(use_the_page(w.clone(), b.clone())).await;
    b.close().await.ok();
    drop(driver);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn use_the_page(w: std::sync::Arc<World>, b: Browser) {
    let lekki = &w.lekki;
    {
        b.goto(&format!("{}/ho/", w.base)).await.unwrap();
        b.wait()
            .for_element(Locator::Css("body[data-ready]"))
            .await
            .unwrap();

        // A wrong token: an error, in words, where the user is looking.
        let token = b.find(Locator::Id("token")).await.unwrap();
        token.send_keys("not-a-token").await.unwrap();
        b.find(Locator::Css("#sign-in-form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_text(&b, "#sign-in-error", |t| t.contains("not accepted")).await;
        snap(&b, "ho-sign-in-refused").await;
        assert!(b
            .find(Locator::Id("sign-in"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap());
        assert!(!b
            .find(Locator::Id("app"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap());

        // The right one: the Stores table with the demo store and its events.
        let token = b.find(Locator::Id("token")).await.unwrap();
        token.clear().await.unwrap();
        token.send_keys(&w.admin).await.unwrap();
        b.find(Locator::Css("#sign-in-form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let row = format!("#stores-table tr[data-store-id='{}']", lekki.id);
        let events = lekki.events.len().to_string();
        wait_text(&b, &format!("{row} td.events"), |t| t == events).await;
        wait_text(&b, &format!("{row} th"), |t| {
            t.contains("LEKKI") && t.contains("Lekki Pharmacy")
        })
        .await;
        let ikeja = format!("#stores-table tr[data-store-id='{}']", w.ikeja);
        wait_text(&b, &format!("{ikeja} td.last-error"), |t| {
            t.contains("did not continue") && t.contains("belongs to store")
        })
        .await;
        wait_text(&b, &format!("{row} td.backlog"), |t| {
            t.starts_with("unknown")
        })
        .await;

        // Verify chain: OK, with the count.
        b.find(Locator::Css(&format!("{row} button")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let verified = wait_text(&b, &format!("{row} .verify-result"), |t| {
            t.starts_with("Chain")
        })
        .await;
        assert_eq!(verified, format!("Chain OK: {events} events verified"));
        snap(&b, "ho-stores").await;

        // Stock: a known product with the store's own quantity.
        let want = engine_stock(&lekki.path, &lekki.id);
        let (product, (on_hand, name)) = want.iter().max_by_key(|(_, (q, _))| *q).unwrap();
        let text = pharmapos_decimal(*on_hand);
        b.find(Locator::Id("tab-stock"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let cell = format!(
            "#stock-table tr[data-product-id='{product}'][data-store-id='{}'] td.on-hand",
            lekki.id
        );
        let shown = wait_text(&b, &cell, |t| !t.is_empty()).await;
        assert_eq!(shown, grouped(&text), "{name}");
        wait_text(
            &b,
            &format!("#stock-table tbody[data-product-id='{product}'] th[scope=rowgroup]"),
            |t| t.contains(name.as_str()),
        )
        .await;
        snap(&b, "ho-stock").await;

        // Activity: a sale found by its number, with "Sales only".
        let sale = lekki
            .events
            .iter()
            .rev()
            .find(|e| e.change_type == "sale_completed")
            .unwrap();
        let number: String = serde_json::from_str::<Value>(sale.payload.as_deref().unwrap())
            .unwrap()["subject"]["name"]
            .as_str()
            .unwrap()
            .into();
        b.find(Locator::Id("tab-activity"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        wait_text(&b, "#activity-status", |t| t.contains("events shown")).await;
        b.find(Locator::Id("activity-kind"))
            .await
            .unwrap()
            .select_by_value("sale_completed")
            .await
            .unwrap();
        let q = b.find(Locator::Id("activity-q")).await.unwrap();
        q.send_keys(&number).await.unwrap();
        b.find(Locator::Css("#activity-filter button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let hit = format!(
            "#activity-table tr[data-store-id='{}'][data-seq='{}'] td.about",
            lekki.id, sale.seq
        );
        // The search's answer, not the kind filter's (which also lists it).
        wait_text(&b, "#activity-status", |t| t == "1 event shown").await;
        wait_text(&b, &hit, |t| t.contains(&number)).await;
        snap(&b, "ho-activity-sale").await;
        let kinds = b
            .find_all(Locator::Css("#activity-table tbody tr td.kind"))
            .await
            .unwrap();
        assert!(!kinds.is_empty());
        for k in kinds {
            assert_eq!(k.text().await.unwrap(), "sale completed");
        }

        // Accessible: every control has a name, every header cell a scope;
        // the tabs answer the keyboard and show where the focus is.
        let unnamed = b
            .execute(
                "return [...document.querySelectorAll('input, select, button, textarea')]
                   .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                                && !e.textContent.trim())
                   .map(e => e.id || e.outerHTML);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(unnamed, json!([]), "controls without a label");
        let unscoped = b
            .execute(
                "return [...document.querySelectorAll('th')].filter(t => !t.getAttribute('scope'))
                   .map(t => t.textContent);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(unscoped, json!([]), "header cells without a scope");
        b.find(Locator::Id("tab-activity"))
            .await
            .unwrap()
            .send_keys(&(Key::Home + ""))
            .await
            .unwrap();
        let focus = b
            .execute(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.id, e.getAttribute('aria-selected'), s.outlineStyle, s.outlineWidth,
                         document.getElementById('panel-stores').hidden];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(focus, json!(["tab-stores", "true", "solid", "3px", false]));
    }
}

/// Thousandths as the API writes them ("12.5").
fn pharmapos_decimal(milli: i64) -> String {
    let (whole, frac) = (milli / 1000, (milli % 1000).abs());
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}
