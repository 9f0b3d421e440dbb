//! Headless Chromium through chromedriver (WebDriver), and a partner site.

use std::future::Future;
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::response::Html;
use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(15);

/// A partner's website: one page, on its own port, so its own origin.
pub struct PartnerSite {
    pub origin: String,
}

impl PartnerSite {
    pub async fn serve(html: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0");
        let addr = listener.local_addr().expect("bound");
        let page =
            axum::Router::new().route("/", axum::routing::get(move || async move { Html(html) }));
        tokio::spawn(async move {
            axum::serve(listener, page)
                .await
                .expect("partner site runs")
        });
        // `localhost`, not 127.0.0.1: a different host, so a different origin
        // even if the ports were equal.
        Self {
            origin: format!("http://localhost:{}", addr.port()),
        }
    }
}

/// Chromium driven by a chromedriver this test started; both end with it.
pub struct Browser {
    client: Client,
    driver: Child,
    // Read by `throttle_cpu` only.
    #[allow(dead_code)]
    driver_port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Browser {
    pub async fn launch() -> Self {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {chromedriver} ({e}); `cargo xtask test` installs it")
            });
        let profile = tempfile::tempdir().expect("profile dir");
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let capabilities = match capabilities {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        // Two TLS backends are linked into the tests (ring through Chorus's
        // reqwest, aws-lc-rs through fantoccini), so rustls cannot pick one
        // for fantoccini by itself. An error means one is already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::rustls()
                .expect("TLS roots")
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(error) if started.elapsed() > PATIENCE => {
                    let _ = driver.kill();
                    panic!("chromedriver did not start: {error}");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Self {
            client,
            driver,
            driver_port: port,
            _profile: profile,
        }
    }

    /// Slows the page's CPU `rate` times, as DevTools does to stand in for
    /// a phone (Lighthouse's mobile runs use 4). Used by `benches/proof.rs`,
    /// which shares this driver.
    #[allow(dead_code)]
    pub async fn throttle_cpu(&self, rate: f64) {
        let session = self
            .client
            .session_id()
            .await
            .expect("session")
            .expect("a session id");
        // chromedriver passes DevTools commands through this endpoint;
        // WebDriver itself has no notion of CPU speed.
        let answer = reqwest::Client::new()
            .post(format!(
                "http://127.0.0.1:{}/session/{session}/chromium/send_command_and_get_result",
                self.driver_port
            ))
            .json(&json!({"cmd": "Emulation.setCPUThrottlingRate", "params": {"rate": rate}}))
            .send()
            .await
            .expect("chromedriver answers");
        assert!(answer.status().is_success(), "throttling refused");
    }

    /// The shadow root of the first placeholder matching `selector`, once
    /// the widget has rendered something matching `ready` in it.
    pub async fn widget(&self, selector: &str, ready: &str) -> ShadowRoot {
        let started = Instant::now();
        loop {
            if let Ok(host) = self.client.find(Locator::Css(selector)).await
                && let Ok(root) = host.shadow_root().await
                && root.find(Locator::Css(ready)).await.is_ok()
            {
                return root;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{selector} never showed {ready}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Enters the frame matching `selector` in `root`; back out with
    /// [`Browser::leave_frame`].
    pub async fn enter_frame(&self, root: &ShadowRoot, selector: &str) {
        let frame = root
            .find(Locator::Css(selector))
            .await
            .expect("the frame is there");
        frame.enter_frame().await.expect("frame entered");
    }

    pub async fn leave_frame(&self) {
        self.client
            .enter_parent_frame()
            .await
            .expect("back in the page");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("page loads");
    }

    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .expect("script runs")
    }

    /// Polls `read` until `done` holds, failing the test after a while.
    pub async fn wait_for<T, F, Fut>(&self, read: F, done: impl Fn(&T) -> bool) -> T
    where
        T: std::fmt::Debug,
        F: Fn() -> Fut,
        Fut: Future<Output = T>,
    {
        let started = Instant::now();
        loop {
            let value = read().await;
            if done(&value) {
                return value;
            }
            if started.elapsed() > PATIENCE {
                let errors = self.eval("return window.errors || [];", vec![]).await;
                let shadows = self
                    .eval(
                        "return [...document.querySelectorAll('[data-chorus]')]                          .map(el => el.shadowRoot ? el.shadowRoot.innerHTML : null);",
                        vec![],
                    )
                    .await;
                panic!(
                    "page never reached the state; last: {value:?}\npage errors: {errors}\n\
                     widgets: {shadows:#}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The form control whose `<label>` starts with `label`: found the way a
/// screen reader finds it, through the label's `for`.
pub async fn labelled(root: &ShadowRoot, label: &str) -> Element {
    for candidate in root.find_all(Locator::Css("label")).await.expect("labels") {
        let text = candidate.text().await.unwrap_or_default();
        if text.trim_start().starts_with(label) {
            let id = candidate
                .attr("for")
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| panic!("label {label:?} names no control"));
            return root
                .find(Locator::Css(&format!("#{id}")))
                .await
                .unwrap_or_else(|_| panic!("label {label:?} points at nothing"));
        }
    }
    panic!("no field labelled {label:?}");
}

/// Types into the field labelled `label`, as a keyboard would.
pub async fn type_into(root: &ShadowRoot, label: &str, text: &str) {
    labelled(root, label)
        .await
        .send_keys(text)
        .await
        .expect("typing works");
}

pub async fn click(root: &ShadowRoot, selector: &str) {
    root.find(Locator::Css(selector))
        .await
        .unwrap_or_else(|_| panic!("nothing matches {selector}"))
        .click()
        .await
        .expect("click works");
}

/// The text of the first element matching `selector`, or `None`.
pub async fn text_of(root: &ShadowRoot, selector: &str) -> Option<String> {
    let element = root.find(Locator::Css(selector)).await.ok()?;
    element.text().await.ok()
}
