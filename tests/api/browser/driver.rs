//! Headless Chromium through chromedriver (WebDriver), and a partner site.

use std::future::Future;
use std::net::TcpListener as StdListener;
use std::os::unix::process::CommandExt;
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
        Self::serve_router(
            axum::Router::new().route("/", axum::routing::get(move || async move { Html(html) })),
        )
        .await
    }

    /// A page with its own script at `/peer.js`.
    #[allow(dead_code)]
    pub async fn serve_with_script(html: String, script: String) -> Self {
        let javascript = [(axum::http::header::CONTENT_TYPE, "text/javascript")];
        Self::serve_router(
            axum::Router::new()
                .route("/", axum::routing::get(move || async move { Html(html) }))
                .route(
                    "/peer.js",
                    axum::routing::get(move || async move { (javascript, script) }),
                ),
        )
        .await
    }

    async fn serve_router(page: axum::Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0");
        let addr = listener.local_addr().expect("bound");
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

/// Chorus behind a gate: every request passes through to it, but the
/// widgets' WebAssembly is held until the test opens the gate, so a test
/// can act on the server's rendering first and then watch the widget take
/// over. Point `embed.js` at `origin`: everything the widget asks goes
/// through here.
pub struct GatedChorus {
    pub origin: String,
    open: tokio::sync::watch::Sender<bool>,
}

impl GatedChorus {
    pub async fn serve(chorus: &str) -> Self {
        let (open, gate) = tokio::sync::watch::channel(false);
        let upstream = chorus.to_owned();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0");
        let addr = listener.local_addr().expect("bound");
        let pass = move |request: axum::extract::Request| {
            let (upstream, mut gate) = (upstream.clone(), gate.clone());
            async move {
                if request.uri().path().ends_with(".wasm") {
                    let _ = gate.wait_for(|open| *open).await;
                }
                forward(&upstream, request).await
            }
        };
        tokio::spawn(async move {
            axum::serve(listener, axum::Router::new().fallback(pass))
                .await
                .expect("gate runs")
        });
        Self {
            origin: format!("http://127.0.0.1:{}", addr.port()),
            open,
        }
    }

    /// Lets the WebAssembly through, held requests first.
    pub fn open(&self) {
        let _ = self.open.send(true);
    }
}

/// One request passed to Chorus as it came, its answer streamed back.
async fn forward(upstream: &str, request: axum::extract::Request) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Ok(body) = axum::body::to_bytes(body, 1 << 20).await else {
        return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let mut sent = reqwest::Client::new()
        .request(parts.method, format!("{upstream}{path}"))
        .body(body);
    for (name, value) in &parts.headers {
        if name != axum::http::header::HOST {
            sent = sent.header(name, value);
        }
    }
    let Ok(answer) = sent.send().await else {
        return axum::http::StatusCode::BAD_GATEWAY.into_response();
    };
    let mut response = axum::response::Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if !matches!(
            name.as_str(),
            "transfer-encoding" | "connection" | "content-length"
        ) {
            response = response.header(name, value);
        }
    }
    response
        .body(axum::body::Body::from_stream(answer.bytes_stream()))
        .unwrap_or_else(|_| axum::http::StatusCode::BAD_GATEWAY.into_response())
}

/// Chromium driven by a chromedriver this test started; both end with it.
pub struct Browser {
    client: Client,
    driver: Child,
    driver_port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Chromium is chromedriver's child, in its process group: killing
        // only chromedriver would leave Chromium running, its pages still
        // polling servers that are gone, test after test.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
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
        Self::launch_with(json!({})).await
    }

    /// Chromium with JavaScript switched off for every page, as a supporter
    /// may have it (Tor Browser's safest level, a cautious organisation).
    #[allow(dead_code)]
    pub async fn launch_without_script() -> Self {
        Self::launch_with(json!({ "profile.managed_default_content_settings.javascript": 2 })).await
    }

    async fn launch_with(prefs: Value) -> Self {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .process_group(0)
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
                    // Frames stay in their page's process, as on most phones
                    // (Android isolates few sites), so that DevTools'
                    // throttling and request blocking reach a Chorus frame
                    // too: they apply to one process's page, not its
                    // out-of-process frames.
                    "--disable-site-isolation-trials",
                    "--disable-features=IsolateOrigins,site-per-process,OriginKeyedProcessesByDefault",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": prefs,
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
        self.devtools("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))
            .await;
    }

    /// Refuses every request whose URL matches one of `patterns` (`*` is
    /// any text), as DevTools' request blocking does.
    pub async fn block(&self, patterns: &[&str]) {
        self.devtools("Network.enable", json!({})).await;
        self.devtools("Network.setBlockedURLs", json!({ "urls": patterns }))
            .await;
    }

    /// Runs a DevTools command on the page. chromedriver passes them through
    /// this endpoint; WebDriver itself has no notion of CPU speed or
    /// blocked requests.
    pub async fn devtools(&self, command: &str, params: Value) -> Value {
        let session = self
            .client
            .session_id()
            .await
            .expect("session")
            .expect("a session id");
        let answer = reqwest::Client::new()
            .post(format!(
                "http://127.0.0.1:{}/session/{session}/chromium/send_command_and_get_result",
                self.driver_port
            ))
            .json(&json!({"cmd": command, "params": params}))
            .send()
            .await
            .expect("chromedriver answers");
        assert!(answer.status().is_success(), "{command} refused");
        answer.json().await.unwrap_or_default()
    }

    /// The shadow root of the first placeholder matching `selector`, once
    /// its widget has taken over (the placeholder is `data-chorus-ready`)
    /// and rendered something matching `ready`.
    pub async fn widget(&self, selector: &str, ready: &str) -> ShadowRoot {
        self.shadow(&format!("{selector}[data-chorus-ready]"), ready)
            .await
    }

    /// The shadow root of the first placeholder matching `selector` once
    /// something in it matches `ready`, whoever rendered it.
    pub async fn shadow(&self, selector: &str, ready: &str) -> ShadowRoot {
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

    /// Clicks the page's element matching `selector`.
    #[allow(dead_code)]
    pub async fn find_and_click(&self, selector: &str) {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|_| panic!("nothing matches {selector}"))
            .click()
            .await
            .expect("click works");
    }

    /// Enters the page's frame matching `selector`.
    #[allow(dead_code)]
    pub async fn enter_page_frame(&self, selector: &str) {
        self.client
            .find(Locator::Css(selector))
            .await
            .expect("the frame is there")
            .enter_frame()
            .await
            .expect("frame entered");
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

    /// Waits until `n` widgets on the page have taken over (each placeholder
    /// `data-chorus-ready`).
    #[allow(dead_code)]
    pub async fn until_ready(&self, n: u64) {
        let script = "return document.querySelectorAll('[data-chorus-ready]').length;";
        self.wait_for(|| self.eval(script, vec![]), |ready| ready == &json!(n))
            .await;
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
