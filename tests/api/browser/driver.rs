//! Headless Chromium through chromedriver (WebDriver), and a partner site.

use std::future::Future;
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::response::Html;
use fantoccini::{Client, ClientBuilder};
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
            _profile: profile,
        }
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
