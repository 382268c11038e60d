//! Head office's page in a real browser: Debian's Chromium, headless,
//! driven over WebDriver (`chromedriver` on a free port, killed at the end)
//! with fantoccini, against the server and record of [`super::world`].

use super::{engine_stock, get, put, report_head, world, World};
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
        // Once the store reports its head (its sync does, on GET /v1/head),
        // Refresh shows the backlog.
        let ahead = (lekki.events.len() + 12).to_string();
        let (status, _) = report_head(&w.base, lekki, &w.lekki_secret, &ahead).await;
        assert_eq!(status, 200);
        click(&b, "#stores-refresh").await;
        wait_text(&b, &format!("{row} td.backlog"), |t| {
            t == "12 events waiting"
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

        use_the_catalogue(&w, &b).await;
        use_the_vendors(&w, &b).await;

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
        // End selects the last tab, Vendors; Home, from there, Stores.
        b.find(Locator::Id("tab-activity"))
            .await
            .unwrap()
            .send_keys(&(Key::End + ""))
            .await
            .unwrap();
        let last = js(
            &b,
            "return [document.activeElement.id, document.getElementById('panel-vendors').hidden,
                     document.getElementById('panel-activity').hidden];",
        )
        .await;
        assert_eq!(last, json!(["tab-vendors", false, true]));
        b.find(Locator::Id("tab-vendors"))
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

async fn click(b: &Browser, css: &str) {
    b.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// Replaces the text of the input with id `id`.
async fn fill(b: &Browser, id: &str, text: &str) {
    let e = b.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    if !text.is_empty() {
        e.send_keys(text).await.unwrap();
    }
}

/// Runs `script` until it returns `want` (20 s at most).
async fn wait_js(b: &Browser, script: &str, want: Value) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = b.execute(script, vec![]).await.unwrap();
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{script}: still {got} after 20 s, not {want}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn js(b: &Browser, script: &str) -> Value {
    b.execute(script, vec![]).await.unwrap()
}

/// The id of the focused element, or the SKU (a vendor: the name) of the
/// row it is in.
async fn focused(b: &Browser) -> String {
    js(
        b,
        "const e = document.activeElement; const r = e.closest('tr');
         return e.id || (r ? `row:${r.dataset.sku ?? r.dataset.name}:${e.className}` : e.tagName);",
    )
    .await
    .as_str()
    .unwrap()
    .to_string()
}

/// Waits until the focus is on `want` (as [`focused`] names it): the
/// dialog's `close` event, which gives it back, comes after `close()`.
async fn wait_focus(b: &Browser, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = focused(b).await;
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the focus is on {got}, not {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the form whose ids start with `form` (`pf`: the product's,
/// `vf`: the vendor's) shows its item at `version` (read from the API).
async fn form_at(b: &Browser, form: &str, version: i64) {
    wait_js(
        b,
        &format!(
            "return document.getElementById('{form}-about').textContent.startsWith('Version {version},')
                && document.getElementById('{form}-progress').textContent !== 'Loading…'
                && !document.getElementById('{form}-save').disabled;"
        ),
        json!(true),
    )
    .await;
}

/// The Catalogue tab: a product made through the form, listed at version 1;
/// its price edited (version 2); a bad price refused at its field; an SKU
/// clash at its field; a change made meanwhile through the API refused as
/// a version conflict and reloaded; a double submit saved once; found by
/// its SKU.
async fn use_the_catalogue(w: &World, b: &Browser) {
    let (base, admin) = (w.base.as_str(), w.admin.as_str());
    let row = "#catalogue-table tr[data-sku='HO-PARA-500']";
    click(b, "#tab-catalogue").await;
    wait_text(b, "#catalogue-status", |t| t.starts_with("No products yet")).await;

    // New product: the form opens on its first field.
    click(b, "#catalogue-new").await;
    assert_eq!(
        js(b, "return document.getElementById('product-dialog').open;").await,
        json!(true)
    );
    wait_focus(b, "pf-sku").await;
    for (id, text) in [
        ("pf-sku", "HO-PARA-500"),
        ("pf-name", "Paracetamol 500 mg"),
        ("pf-generic_name", "paracetamol"),
        ("pf-brand", "Emzor"),
        ("pf-description", "For pain and fever"),
        ("pf-nafdac_number", "A4-1234"),
        ("pf-barcodes", "5012345678917, 5012345678900"),
        ("pf-unit", "tablet"),
        ("pf-selling_price", "1250.50"),
        ("pf-tax_rate", "7.5"),
    ] {
        fill(b, id, text).await;
    }
    b.find(Locator::Id("pf-category"))
        .await
        .unwrap()
        .select_by_value("medicine")
        .await
        .unwrap();
    click(b, "#pf-prescription_only").await;
    snap(b, "ho-catalogue-new").await;
    click(b, "#pf-save").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "1").await;
    wait_text(b, "#catalogue-status", |t| {
        t == "Saved Paracetamol 500 mg: version 1."
    })
    .await;
    assert_eq!(
        js(b, "return document.getElementById('product-dialog').open;").await,
        json!(false)
    );
    wait_focus(b, "catalogue-new").await;
    let price = b
        .find(Locator::Css(&format!("{row} td.price")))
        .await
        .unwrap();
    assert_eq!(price.text().await.unwrap(), "1,250.50");
    assert_eq!(
        price.attr("data-value").await.unwrap().as_deref(),
        Some("1250.50")
    );
    wait_text(b, &format!("{row} td.edited"), |t| {
        t.starts_with("Head Office")
    })
    .await;
    // As the API holds it: every field as typed, prices as text.
    let (_, list) = get(base, "/v1/admin/products?q=HO-PARA-500", Some(admin)).await;
    let p = list["products"][0].clone();
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(
        uuid::Uuid::parse_str(&id).unwrap().get_version_num(),
        7,
        "{id}"
    );
    assert_eq!(
        (
            &p["selling_price"],
            &p["tax_rate"],
            &p["barcodes"],
            &p["prescription_only"],
            &p["allow_fractional"]
        ),
        (
            &json!("1250.50"),
            &json!("7.5"),
            &json!(["5012345678900", "5012345678917"]),
            &json!(true),
            &json!(false)
        )
    );
    assert_eq!(
        (
            &p["generic_name"],
            &p["brand"],
            &p["description"],
            &p["nafdac_number"]
        ),
        (
            &json!("paracetamol"),
            &json!("Emzor"),
            &json!("For pain and fever"),
            &json!("A4-1234")
        )
    );
    assert_eq!(
        (&p["category"], &p["unit"], &p["status"]),
        (&json!("medicine"), &json!("tablet"), &json!("active"))
    );

    // Edit its price: version 2, focus back on its Edit button.
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "pf", 1).await;
    wait_focus(b, "pf-sku").await;
    assert_eq!(
        js(
            b,
            "return document.getElementById('pf-selling_price').value;"
        )
        .await,
        json!("1250.50")
    );
    fill(b, "pf-selling_price", "1300").await;
    click(b, "#pf-save").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "2").await;
    wait_text(b, &format!("{row} td.price"), |t| t == "1,300").await;
    wait_focus(b, "row:HO-PARA-500:secondary edit").await;

    // A bad price: refused at the price field, in words; Esc closes.
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "pf", 2).await;
    fill(b, "pf-selling_price", "12,50").await;
    click(b, "#pf-save").await;
    let said = wait_text(b, "#pf-selling_price-error", |t| !t.is_empty()).await;
    assert!(said.starts_with("The selling price is a number"), "{said}");
    let field = js(
        b,
        "const e = document.getElementById('pf-selling_price');
         return [e.getAttribute('aria-invalid'), e.getAttribute('aria-describedby'), document.activeElement.id,
                 document.getElementById('pf-error').textContent,
                 document.getElementById('pf-name').getAttribute('aria-invalid')];",
    )
    .await;
    assert_eq!(
        field,
        json!([
            "true",
            "pf-selling_price-hint pf-selling_price-error",
            "pf-selling_price",
            "Not saved: check the fields marked below.",
            null
        ])
    );
    snap(b, "ho-catalogue-bad-price").await;
    b.find(Locator::Id("pf-selling_price"))
        .await
        .unwrap()
        .send_keys(&(Key::Escape + ""))
        .await
        .unwrap();
    wait_js(
        b,
        "return document.getElementById('product-dialog').open;",
        json!(false),
    )
    .await;
    wait_focus(b, "row:HO-PARA-500:secondary edit").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "2").await;

    // Another product, made through the API; its SKU in the form: refused
    // at the SKU field.
    let other = uuid::Uuid::now_v7();
    let (status, body) = put(
        base,
        &format!("/v1/admin/products/{other}"),
        admin,
        &json!({"sku": "HO-AMOX-250", "name": "Amoxicillin 250 mg", "category": "medicine",
                "unit": "capsule", "selling_price": "900"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    click(b, "#catalogue-new").await;
    fill(b, "pf-sku", "ho-amox-250").await;
    fill(b, "pf-name", "Amoxicillin again").await;
    fill(b, "pf-unit", "capsule").await;
    fill(b, "pf-selling_price", "950").await;
    click(b, "#pf-save").await;
    let said = wait_text(b, "#pf-sku-error", |t| !t.is_empty()).await;
    assert!(said.contains("belongs to one product only"), "{said}");
    wait_focus(b, "pf-sku").await;
    click(b, "#pf-cancel").await;
    wait_focus(b, "catalogue-new").await;

    // A version conflict: changed through the API behind the form's back.
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "pf", 2).await;
    let (_, mut meanwhile) = get(base, &format!("/v1/admin/products/{id}"), Some(admin)).await;
    for gone in ["id", "version", "updated_at", "updated_by"] {
        meanwhile.as_object_mut().unwrap().remove(gone);
    }
    meanwhile["expected_version"] = json!(2);
    meanwhile["name"] = json!("Paracetamol 500 mg tablets");
    meanwhile["selling_price"] = json!("1400");
    let (status, body) = put(base, &format!("/v1/admin/products/{id}"), admin, &meanwhile).await;
    assert_eq!((status, &body["version"]), (200, &json!(3)), "{body}");
    fill(b, "pf-selling_price", "1350").await;
    click(b, "#pf-save").await;
    wait_text(b, "#pf-error", |t| {
        t == "Someone changed this product meanwhile (now version 3). Reload it and make your change again."
    })
    .await;
    wait_focus(b, "pf-reload").await;
    snap(b, "ho-catalogue-conflict").await;
    click(b, "#pf-reload").await;
    form_at(b, "pf", 3).await;
    wait_js(
        b,
        "return [document.getElementById('pf-name').value, document.getElementById('pf-selling_price').value,
                 document.getElementById('pf-error').textContent, document.getElementById('pf-reload').hidden];",
        json!(["Paracetamol 500 mg tablets", "1400", "", true]),
    )
    .await;
    // The change made again, on version 3.
    fill(b, "pf-selling_price", "1350").await;
    click(b, "#pf-save").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "4").await;
    wait_text(b, &format!("{row} th"), |t| {
        t.starts_with("Paracetamol 500 mg tablets")
    })
    .await;
    wait_text(b, &format!("{row} td.price"), |t| t == "1,350").await;

    // Two submits at once: one request, one new version.
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "pf", 4).await;
    fill(b, "pf-selling_price", "1375.25").await;
    let disabled = js(
        b,
        "performance.clearResourceTimings();
         const f = document.getElementById('product-form');
         f.requestSubmit();
         const d = document.getElementById('pf-save').disabled;
         f.requestSubmit();
         return d;",
    )
    .await;
    assert_eq!(disabled, json!(true), "Save is disabled while saving");
    wait_text(b, &format!("{row} td.version"), |t| t == "5").await;
    let requests = js(
        b,
        &format!(
            "return performance.getEntriesByType('resource')
               .filter(e => e.name.endsWith('/v1/admin/products/{id}')).length;"
        ),
    )
    .await;
    assert_eq!(requests, json!(1), "one PUT");
    let (_, now) = get(base, &format!("/v1/admin/products/{id}"), Some(admin)).await;
    assert_eq!(
        (&now["version"], &now["selling_price"]),
        (&json!(5), &json!("1375.25"))
    );

    // Saved with nothing changed: no new version, and the page says so.
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "pf", 5).await;
    click(b, "#pf-save").await;
    wait_text(b, "#catalogue-status", |t| {
        t == "Nothing changed in Paracetamol 500 mg tablets: still version 5."
    })
    .await;
    wait_text(b, &format!("{row} td.version"), |t| t == "5").await;

    // Search by SKU.
    fill(b, "catalogue-q", "ho-para").await;
    click(b, "#catalogue-filter button[type=submit]").await;
    wait_text(b, "#catalogue-status", |t| t == "1 of 1 product shown").await;
    let skus = js(
        b,
        "return [...document.querySelectorAll('#catalogue-table tbody tr')].map(r => r.dataset.sku);",
    )
    .await;
    assert_eq!(skus, json!(["HO-PARA-500"]));
    snap(b, "ho-catalogue-search").await;
    fill(b, "catalogue-q", "").await;
    click(b, "#catalogue-filter button[type=submit]").await;
    wait_text(b, "#catalogue-status", |t| t == "2 of 2 products shown").await;

    // Pages of 50: with 51 products, "Load more" brings the last one.
    for i in 0..49 {
        let (status, body) = put(
            base,
            &format!("/v1/admin/products/{}", uuid::Uuid::now_v7()),
            admin,
            &json!({"sku": format!("HO-BULK-{i:02}"), "name": format!("Bulk item {i:02}"),
                    "category": "consumable", "unit": "unit", "selling_price": "10"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    click(b, "#catalogue-filter button[type=submit]").await;
    wait_text(b, "#catalogue-status", |t| t == "50 of 51 products shown").await;
    assert!(b
        .find(Locator::Id("catalogue-more"))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap());
    click(b, "#catalogue-more").await;
    wait_text(b, "#catalogue-status", |t| t == "51 of 51 products shown").await;
    let rows = js(
        b,
        "const r = [...document.querySelectorAll('#catalogue-table tbody tr')];
         return [r.length, new Set(r.map(x => x.dataset.productId)).size,
                 document.getElementById('catalogue-more').hidden];",
    )
    .await;
    assert_eq!(rows, json!([51, 51, true]), "each product once");
}

/// Signs in on the page already open in the current window.
async fn sign_in(b: &Browser, base: &str, admin: &str) {
    b.goto(&format!("{base}/ho/")).await.unwrap();
    b.wait()
        .for_element(Locator::Css("body[data-ready]"))
        .await
        .unwrap();
    fill(b, "token", admin).await;
    click(b, "#sign-in-form button[type=submit]").await;
    wait_js(
        b,
        "return document.getElementById('app').hidden;",
        json!(false),
    )
    .await;
}

/// The Vendors tab: a vendor made through the form (a bad email refused at
/// its field first), listed at version 1 and stored as typed; found by a
/// search for its name; another vendor's name refused at the name field;
/// two admins edit it at once (a second window): the first save makes
/// version 2 (inactive, Net 45), the second is refused with the conflict
/// message, version 2 stays stored, and Reload brings it.
async fn use_the_vendors(w: &World, b: &Browser) {
    let (base, admin) = (w.base.as_str(), w.admin.as_str());
    let name = "Emzor Pharmaceutical Industries";
    let row = format!("#vendors-table tr[data-name='{name}']");
    click(b, "#tab-vendors").await;
    wait_text(b, "#vendors-status", |t| t.starts_with("No vendors yet")).await;

    // New vendor: the form opens on its name.
    click(b, "#vendors-new").await;
    assert_eq!(
        js(b, "return document.getElementById('vendor-dialog').open;").await,
        json!(true)
    );
    wait_focus(b, "vf-name").await;
    assert_eq!(
        js(
            b,
            "return document.getElementById('vendor-dialog-title').textContent;"
        )
        .await,
        json!("New vendor")
    );
    for (id, text) in [
        ("vf-name", name),
        ("vf-contact_person", "Ada Obi"),
        ("vf-email", "orders at emzor"),
        ("vf-phone", "+234 803 555 0100"),
        ("vf-address", "Plot 3C, Oshodi, Lagos"),
        ("vf-payment_terms", "Net 30"),
        ("vf-tax_id", "TIN-01234567"),
        ("vf-categories", "analgesics, antimalarials"),
    ] {
        fill(b, id, text).await;
    }
    // A bad email: refused under the email field, in words.
    click(b, "#vf-save").await;
    let said = wait_text(b, "#vf-email-error", |t| !t.is_empty()).await;
    assert_eq!(said, "'orders at emzor' is not an email address.");
    let field = js(
        b,
        "const e = document.getElementById('vf-email');
         return [e.getAttribute('aria-invalid'), e.getAttribute('aria-describedby'), document.activeElement.id,
                 document.getElementById('vf-error').textContent,
                 document.getElementById('vf-name').getAttribute('aria-invalid')];",
    )
    .await;
    assert_eq!(
        field,
        json!([
            "true",
            "vf-email-error",
            "vf-email",
            "Not saved: check the fields marked below.",
            null
        ])
    );
    snap(b, "ho-vendors-bad-email").await;
    let (_, none) = get(base, "/v1/admin/vendors", Some(admin)).await;
    assert_eq!(none["total"], json!(0), "nothing stored: {none}");
    fill(b, "vf-email", "orders@emzor.example").await;
    click(b, "#vf-save").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "1").await;
    wait_text(b, "#vendors-status", |t| {
        t == format!("Saved {name}: version 1.")
    })
    .await;
    assert_eq!(
        js(b, "return document.getElementById('vendor-dialog').open;").await,
        json!(false)
    );
    wait_focus(b, "vendors-new").await;
    wait_text(b, &format!("{row} td.status"), |t| t == "active").await;
    wait_text(b, &format!("{row} td.categories"), |t| {
        t == "analgesics, antimalarials"
    })
    .await;
    wait_text(b, &format!("{row} td.edited"), |t| {
        t.starts_with("Head Office")
    })
    .await;
    // As the API holds it: every field as typed.
    let (_, list) = get(base, "/v1/admin/vendors?q=emzor", Some(admin)).await;
    assert_eq!(list["total"], json!(1), "{list}");
    let v = list["vendors"][0].clone();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(
        uuid::Uuid::parse_str(&id).unwrap().get_version_num(),
        7,
        "{id}"
    );
    assert_eq!(
        [
            &v["name"],
            &v["contact_person"],
            &v["email"],
            &v["phone"],
            &v["address"],
            &v["payment_terms"],
            &v["tax_id"],
            &v["categories"],
            &v["status"],
            &v["version"],
        ],
        [
            &json!(name),
            &json!("Ada Obi"),
            &json!("orders@emzor.example"),
            &json!("+234 803 555 0100"),
            &json!("Plot 3C, Oshodi, Lagos"),
            &json!("Net 30"),
            &json!("TIN-01234567"),
            &json!(["analgesics", "antimalarials"]),
            &json!("active"),
            &json!(1),
        ]
    );

    // Another vendor, made through the API: a search by name finds each
    // alone; its name (in other capitals) in the form is refused at the name.
    let other = uuid::Uuid::now_v7();
    let (status, body) = put(
        base,
        &format!("/v1/admin/vendors/{other}"),
        admin,
        &json!({"name": "Fidson Healthcare", "payment_terms": "COD"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    fill(b, "vendors-q", "EMZOR").await;
    click(b, "#vendors-filter button[type=submit]").await;
    wait_text(b, "#vendors-status", |t| t == "1 of 1 vendor shown").await;
    let names = js(
        b,
        "return [...document.querySelectorAll('#vendors-table tbody tr')].map(r => r.dataset.name);",
    )
    .await;
    assert_eq!(names, json!([name]));
    snap(b, "ho-vendors-search").await;
    fill(b, "vendors-q", "nobody").await;
    click(b, "#vendors-filter button[type=submit]").await;
    wait_text(b, "#vendors-status", |t| t == "No vendor matches.").await;
    fill(b, "vendors-q", "").await;
    click(b, "#vendors-filter button[type=submit]").await;
    wait_text(b, "#vendors-status", |t| t == "2 of 2 vendors shown").await;
    click(b, "#vendors-new").await;
    wait_focus(b, "vf-name").await;
    fill(b, "vf-name", "fidson HEALTHCARE").await;
    click(b, "#vf-save").await;
    let said = wait_text(b, "#vf-name-error", |t| !t.is_empty()).await;
    assert!(
        said.starts_with("Another vendor is already called “fidson HEALTHCARE”")
            && said.contains("A name belongs to one vendor only"),
        "{said}"
    );
    wait_focus(b, "vf-name").await;
    click(b, "#vf-cancel").await;
    wait_focus(b, "vendors-new").await;
    let (_, two) = get(base, "/v1/admin/vendors", Some(admin)).await;
    assert_eq!(two["total"], json!(2), "{two}");

    // Two admins at once. The second, in a window of its own, opens the
    // vendor at version 1 and changes its phone…
    let first = b.window().await.unwrap();
    let second = b.new_window(false).await.unwrap().handle;
    b.switch_to_window(second.clone()).await.unwrap();
    sign_in(b, base, admin).await;
    click(b, "#tab-vendors").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "1").await;
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "vf", 1).await;
    fill(b, "vf-phone", "+234 803 555 0199").await;

    // …while the first edits it through the form: version 2, inactive.
    b.switch_to_window(first.clone()).await.unwrap();
    click(b, &format!("{row} button.edit")).await;
    form_at(b, "vf", 1).await;
    wait_focus(b, "vf-name").await;
    assert_eq!(
        js(
            b,
            "return [document.getElementById('vendor-dialog-title').textContent,
                       document.getElementById('vf-payment_terms').value,
                       document.getElementById('vf-categories').value];"
        )
        .await,
        json!([
            format!("Edit {name}"),
            "Net 30",
            "analgesics, antimalarials"
        ])
    );
    fill(b, "vf-payment_terms", "Net 45").await;
    b.find(Locator::Id("vf-status"))
        .await
        .unwrap()
        .select_by_value("inactive")
        .await
        .unwrap();
    click(b, "#vf-save").await;
    wait_text(b, &format!("{row} td.version"), |t| t == "2").await;
    wait_text(b, &format!("{row} td.status"), |t| t == "inactive").await;
    wait_text(b, &format!("{row} td.terms"), |t| t == "Net 45").await;
    wait_focus(b, &format!("row:{name}:secondary edit")).await;
    snap(b, "ho-vendors").await;

    // The second saves its stale form: refused, in words, with Reload.
    b.switch_to_window(second.clone()).await.unwrap();
    click(b, "#vf-save").await;
    wait_text(b, "#vf-error", |t| {
        t == "Someone changed this vendor meanwhile (now version 2). Reload it and make your change again."
    })
    .await;
    wait_focus(b, "vf-reload").await;
    snap(b, "ho-vendors-conflict").await;
    // Version 2 is what the server holds: the first admin's, not the stale one.
    let (status, now) = get(base, &format!("/v1/admin/vendors/{id}"), Some(admin)).await;
    assert_eq!(status, 200, "{now}");
    assert_eq!(
        (
            &now["version"],
            &now["status"],
            &now["payment_terms"],
            &now["phone"]
        ),
        (
            &json!(2),
            &json!("inactive"),
            &json!("Net 45"),
            &json!("+234 803 555 0100")
        )
    );
    // Reload brings version 2 into the form.
    click(b, "#vf-reload").await;
    form_at(b, "vf", 2).await;
    wait_js(
        b,
        "return [document.getElementById('vf-phone').value, document.getElementById('vf-payment_terms').value,
                 document.getElementById('vf-status').value, document.getElementById('vf-error').textContent,
                 document.getElementById('vf-reload').hidden];",
        json!(["+234 803 555 0100", "Net 45", "inactive", "", true]),
    )
    .await;
    b.close_window().await.unwrap();
    b.switch_to_window(first).await.unwrap();
    wait_text(b, &format!("{row} td.version"), |t| t == "2").await;
}
