//! The first view, as a supporter on a slow phone meets it. Prints, and
//! asserts nothing (run with `cargo xtask bench`):
//!
//! 1. The bytes each widget needs before its full content shows: `embed.js`,
//!    the stylesheet and the server's HTML (for a framed petition, the frame
//!    page instead of the embed answer), brotli as sent.
//!    Target: 14,000 bytes, one TCP initial window.
//! 2. In headless Chromium on a slow phone's link (150 ms round trip,
//!    1.6 Mbit/s down, 750 kbit/s up, a round trip to open each connection;
//!    `common/slow_link.rs`) and its CPU four times slower, the median of
//!    cold loads: when the petition's text shows, when its form can be
//!    filled in, and when the WebAssembly has taken over; beside a page
//!    that must first download and run a 188 KB script (the size, brotli, of
//!    the closest peer's petition widget) before it shows a form. Target:
//!    the framed petition's form usable in under a quarter of that time.
//!
//! Environment: `CHORUS_BIN`, `CHORUS_BENCH_ASSETS` (default `dist`),
//! `CHORUS_BENCH_FIRST_VIEW_RUNS` (cold loads per page, default 5),
//! `CHROMEDRIVER`, `CHROMIUM`.

mod common;
#[path = "../tests/api/browser/driver.rs"]
#[allow(dead_code)]
mod driver;
#[path = "common/slow_link.rs"]
mod slow_link;

use common::Server;
use driver::{Browser, PartnerSite};
use serde_json::{Value, json};
use slow_link::SlowLink;
use std::time::Duration;

const SLUG: &str = "first-view";
/// One TCP initial window (10 segments of about 1,400 bytes).
const TARGET_BYTES: usize = 14_000;
/// The peer's petition widget, brotli: Proca's, with React and Material UI.
const PEER_SCRIPT_BYTES: usize = 188_000;

/// Records, on the partner page, when each milestone is first reached, in
/// milliseconds since navigation began.
const MILESTONES: &str = r#"<script>
window.seen = {};
const mark = (name) => { if (!(name in seen)) seen[name] = performance.now(); };
addEventListener("message", (event) => { if (event.data?.chorus === "ready") mark("ready"); });
(function look() {
  for (const el of document.querySelectorAll("[data-chorus]")) {
    const root = el.shadowRoot;
    if (root?.querySelector(".title, .number")) mark("text");
    if (root?.querySelector("form.sign #email")) mark("form");
    if (el.hasAttribute("data-chorus-ready")) mark("ready");
  }
  if (document.querySelector("form#peer input")) { mark("text"); mark("form"); mark("ready"); }
  if (!("ready" in seen)) requestAnimationFrame(look);
})();
</script>"#;

#[tokio::main]
async fn main() {
    let runs = std::env::var("CHORUS_BENCH_FIRST_VIEW_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_usize)
        .max(1);
    let assets: std::path::PathBuf = std::env::var("CHORUS_BENCH_ASSETS")
        .unwrap_or_else(|_| "dist".into())
        .into();
    // Every byte the browser sends or receives crosses one slow link.
    let link = SlowLink::new(Duration::from_millis(150), 1_600_000.0, 750_000.0);
    let front = link.front("127.0.0.1").await;
    let chorus = front.origin.clone();
    let public_url = vec![("CHORUS_PUBLIC_URL".to_owned(), chorus.clone())];
    let server = Server::start_with(SLUG, None, Some(assets.clone()), public_url).await;
    front.forward(server.addr.clone());
    server.add_text().await;
    server.add_giving_and_news().await;

    let pages = [
        (
            "counter",
            format!(r#"<div data-chorus="counter" data-campaign="{SLUG}"></div>"#),
        ),
        (
            "petition, inline",
            format!(
                r#"<div data-chorus="petition" data-campaign="{SLUG}" data-mode="inline"></div>"#
            ),
        ),
        (
            "petition, framed",
            format!(r#"<div data-chorus="petition" data-campaign="{SLUG}"></div>"#),
        ),
    ];
    let mut sites = Vec::new();
    for (name, body) in &pages {
        let html = page(
            &format!(
                r#"{MILESTONES}<script type="module" src="{chorus}/embed.js" async></script>"#
            ),
            body,
        );
        let site = PartnerSite::serve(html).await;
        sites.push((*name, through(&link, "localhost", &site).await));
    }
    for (_, origin) in &sites {
        server.add_partner(origin).await;
    }
    // The peer's widget comes from its own origin, as a third-party script
    // does, not from the partner's.
    let peer_cdn = PartnerSite::serve_with_script(String::new(), peer_script()).await;
    let peer_cdn = through(&link, "127.0.0.1", &peer_cdn).await;
    let peer = PartnerSite::serve(page(
        MILESTONES,
        &format!(r#"<script src="{peer_cdn}/peer.js"></script>"#),
    ))
    .await;
    let peer = through(&link, "localhost", &peer).await;

    println!("== Bytes before the full content shows (brotli, as sent) ==");
    let http = reqwest::Client::new();
    let file = |name: &str| {
        std::fs::metadata(assets.join(format!("{name}.br")))
            .map(|m| m.len() as usize)
            .unwrap_or_else(|e| panic!("{name}.br: {e}; build the widgets first"))
    };
    let (loader, sheet) = (file("embed.js"), file("widgets.css"));
    let sent = |path: String| {
        let http = http.clone();
        async move {
            let answer = http
                .get(path)
                .header("accept-encoding", "br")
                .header("sec-fetch-dest", "iframe")
                .send()
                .await
                .expect("Chorus answers");
            assert!(answer.status().is_success(), "{}", answer.status());
            answer.bytes().await.expect("a body").len()
        }
    };
    // Counted straight from Chorus: the bytes are the same either way.
    let direct = format!("http://{}", server.addr);
    let lang = "en";
    let embed = |kind: &str| {
        format!("{direct}/api/v1/embed?w={kind}:{SLUG}:{lang}:&partner=http://localhost")
    };
    let mut rows = Vec::new();
    for (what, kind) in [
        ("counter", "counter"),
        ("petition, inline", "petition"),
        ("donate", "donate"),
        ("updates", "updates"),
    ] {
        let answer = sent(embed(kind)).await;
        rows.push((
            what,
            vec![
                ("embed.js", loader),
                ("widgets.css", sheet),
                ("embed answer", answer),
            ],
        ));
    }
    let frame_page = sent(format!("{direct}/frame/petition/{SLUG}?lang={lang}")).await;
    rows.push((
        "petition, framed",
        vec![
            ("embed.js", loader),
            // The frame page carries the stylesheet inline.
            ("frame page", frame_page),
        ],
    ));
    for (what, parts) in rows {
        let total: usize = parts.iter().map(|(_, bytes)| bytes).sum();
        let detail: Vec<String> = parts
            .iter()
            .map(|(name, bytes)| format!("{name} {bytes}"))
            .collect();
        println!(
            "{what:<18} {total:>7} bytes ({}), {} the {TARGET_BYTES}-byte target",
            detail.join(" + "),
            if total <= TARGET_BYTES {
                "within"
            } else {
                "OVER"
            }
        );
    }

    println!(
        "\n== A slow phone: 150 ms round trip (and one per new connection), 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower =="
    );
    println!("median of {runs} cold loads, milliseconds since navigation began");
    println!(
        "{:<34} {:>10} {:>10} {:>12}",
        "page", "text", "form", "taken over"
    );
    let browser = Browser::launch().await;
    let mut usable = Vec::new();
    let peer_name = format!("peer: a {} KB script first", PEER_SCRIPT_BYTES / 1000);
    let all: Vec<(&str, &str)> = sites
        .iter()
        .map(|(name, origin)| (*name, origin.as_str()))
        .chain([(peer_name.as_str(), peer.as_str())])
        .collect();
    for (name, origin) in all {
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for _ in 0..runs {
            let seen = cold_load(&browser, &link, origin).await;
            for (i, key) in ["text", "form", "ready"].iter().enumerate() {
                if let Some(ms) = seen[key].as_f64() {
                    times[i].push(ms);
                }
            }
        }
        let [text, form, ready] = times.map(median);
        let shown = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0}"));
        println!(
            "{name:<34} {:>10} {:>10} {:>12}",
            shown(text),
            shown(form),
            shown(ready)
        );
        usable.push((name.to_owned(), form));
    }
    let form_of = |name: &str| {
        usable
            .iter()
            .find(|(n, _)| n.starts_with(name))
            .and_then(|(_, f)| *f)
    };
    if let (Some(framed), Some(peer)) = (form_of("petition, framed"), form_of("peer")) {
        println!(
            "framed petition's form usable in {:.0} ms, {:.2} of the peer's {:.0} ms (target: under 0.25)",
            framed,
            framed / peer,
            peer
        );
    }
}

/// `site`'s origin as the browser reaches it: through `link`, at `host`.
async fn through(link: &SlowLink, host: &str, site: &PartnerSite) -> String {
    let front = link.front(host).await;
    let origin = front.origin.clone();
    front.forward(site.origin.replace("http://localhost", "127.0.0.1"));
    origin
}

fn page(head: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head>
<body><h1>A partner's campaign page</h1>{body}</body></html>"#
    )
}

/// A stand-in for the peer's widget: a script of that many bytes that does
/// not compress (so it is sent at that size), which then shows a form.
fn peer_script() -> String {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut filler = String::with_capacity(PEER_SCRIPT_BYTES);
    while filler.len() < PEER_SCRIPT_BYTES {
        // xorshift: enough disorder that no compressor shrinks it.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        filler.push(char::from(b'a' + (state % 26) as u8));
    }
    format!(
        r#"window.filler = "{filler}";
const form = document.createElement("form");
form.id = "peer";
form.innerHTML = '<h2>Sign</h2><label>Name <input name="name"></label><label>Email <input name="email" type="email"></label><button>Sign</button>';
document.body.append(form);"#
    )
}

/// Loads `origin` with an empty cache and no open connection, on a CPU
/// throttled page, and returns the
/// milestones the page recorded.
async fn cold_load(browser: &Browser, link: &SlowLink, origin: &str) -> Value {
    browser.goto("about:blank").await;
    browser.devtools("Network.enable", json!({})).await;
    browser
        .devtools("Network.clearBrowserCache", json!({}))
        .await;
    browser
        .devtools("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await;
    // Cold: no connection the last load opened is still there to reuse.
    link.hang_up();
    browser.throttle_cpu(4.0).await;
    browser.goto(origin).await;
    let mut seen = browser
        .wait_for(
            || async { browser.eval("return window.seen || {};", vec![]).await },
            |seen| seen.get("ready").is_some(),
        )
        .await;
    // A frame is another origin: what it shows is read inside it, from its
    // first contentful paint (its text and form arrive in one response),
    // and put on the page's clock.
    let framed = browser
        .eval(
            "return !!document.querySelector('[data-chorus]')?.shadowRoot?.querySelector('iframe');",
            vec![],
        )
        .await;
    if framed == true {
        let page_origin = browser.eval("return performance.timeOrigin;", vec![]).await;
        let root = browser.widget("[data-chorus=petition]", "iframe").await;
        browser.enter_frame(&root, "iframe").await;
        let painted = browser
            .eval(
                "const paint = performance.getEntriesByName('first-contentful-paint')[0]; \
                 return paint ? performance.timeOrigin + paint.startTime : null;",
                vec![],
            )
            .await;
        browser.leave_frame().await;
        if let (Some(painted), Some(origin)) = (painted.as_f64(), page_origin.as_f64()) {
            seen["text"] = json!(painted - origin);
            seen["form"] = json!(painted - origin);
        }
    }
    seen
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}
