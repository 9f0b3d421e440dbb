//! A real SMTP server on loopback for the email tests: aiosmtpd (Debian's
//! `python3-aiosmtpd`, which `cargo xtask test` installs), delivering into a
//! Maildir that the tests read.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Python with aiosmtpd: `cargo xtask test` names it; Debian's otherwise.
fn python() -> String {
    std::env::var("CHORUS_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into())
}

pub struct SmtpServer {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// One delivered email, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// The first link in the body that contains `fragment`.
    pub fn link(&self, fragment: &str) -> String {
        self.body
            .split_whitespace()
            .find(|word| word.starts_with("http") && word.contains(fragment))
            .unwrap_or_else(|| panic!("no {fragment} link in {}", self.body))
            .to_owned()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

impl SmtpServer {
    /// A port nothing listens on yet, for a server started later.
    pub fn reserve() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        Self {
            child: None,
            port,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn start() -> Self {
        let mut server = Self::reserve();
        server.listen();
        server
    }

    /// Starts listening on the reserved port.
    pub fn listen(&mut self) {
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (apt install python3-aiosmtpd)");
        self.child = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn maildir(&self) -> PathBuf {
        // aiosmtpd creates the Maildir itself, and only if it is missing.
        self.dir.path().join("maildir")
    }

    /// Every email delivered so far, oldest first.
    pub fn delivered(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(self.maildir().join("new")) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        files
            .iter()
            .map(|path| {
                let raw = std::fs::read(path).expect("mail file");
                let parsed = mailparse::parse_mail(&raw).expect("an email");
                let header = |name: &str| {
                    parsed
                        .headers
                        .iter()
                        .find(|h| h.get_key().eq_ignore_ascii_case(name))
                        .map(|h| h.get_value())
                        .unwrap_or_default()
                };
                Mail {
                    to: header("To"),
                    subject: header("Subject"),
                    body: parsed.get_body().expect("a text body"),
                }
            })
            .collect()
    }

    /// Waits until `n` emails have been delivered, and returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mails = self.delivered();
            if mails.len() >= n {
                return mails;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} emails arrived: {mails:?}",
                mails.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
