//! The README's deployment, for real: Debian's nginx (which `cargo xtask
//! test` installs) runs `deploy/nginx.conf` as shipped, in front of two
//! Chorus instances on one database, over TLS. Only what must differ on a
//! test machine is changed: ports, instance addresses, certificate paths.
//! Supporters connect from two loopback addresses, so that Chorus can only
//! tell them apart through what nginx forwards.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::guard::statuses;
use crate::helpers::{Options, TestApp, form};

const PARTNER: &str = "https://harbour.example";
const NGINX: &str = "/usr/sbin/nginx";
const CONFIG: &str = include_str!("../../deploy/nginx.conf");

struct Nginx {
    child: Child,
    https: u16,
    http: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The shipped site configuration with this machine's ports, instances and
/// certificate; everything else as written.
fn site_config(instances: &[&str], http: u16, https: u16, dir: &Path) -> String {
    let mut site = CONFIG.to_owned();
    let replace = |site: &mut String, from: &str, to: &str| {
        assert!(
            site.contains(from),
            "deploy/nginx.conf no longer has {from:?}"
        );
        *site = site.replace(from, to);
    };
    replace(
        &mut site,
        "    server 127.0.0.1:8081;\n    server 127.0.0.1:8082;\n",
        &instances
            .iter()
            .map(|addr| format!("    server {addr};\n"))
            .collect::<String>(),
    );
    replace(
        &mut site,
        "listen 80;",
        &format!("listen 127.0.0.1:{http};"),
    );
    replace(&mut site, "listen [::]:80;\n", "");
    replace(
        &mut site,
        "listen 443 ssl;",
        &format!("listen 127.0.0.1:{https} ssl;"),
    );
    replace(&mut site, "listen [::]:443 ssl;\n", "");
    let cert = dir.join("cert.pem").display().to_string();
    let key = dir.join("key.pem").display().to_string();
    replace(
        &mut site,
        "/etc/letsencrypt/live/chorus.coalition.example/fullchain.pem",
        &cert,
    );
    replace(
        &mut site,
        "/etc/letsencrypt/live/chorus.coalition.example/privkey.pem",
        &key,
    );
    replace(
        &mut site,
        "/var/log/nginx/chorus-error.log",
        &dir.join("chorus-error.log").display().to_string(),
    );
    site
}

impl Nginx {
    async fn start(instances: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let made = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=chorus.coalition.example"])
            .arg("-keyout")
            .arg(dir.path().join("key.pem"))
            .arg("-out")
            .arg(dir.path().join("cert.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(made.success(), "a self-signed certificate");
        let (http, https) = (free_port(), free_port());
        std::fs::write(
            dir.path().join("chorus.conf"),
            site_config(instances, http, https, dir.path()),
        )
        .expect("site written");
        let temp = dir.path().join("temp");
        std::fs::create_dir(&temp).expect("temp folder");
        // nginx's workers may run as another user: let them write their
        // buffers.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for folder in [dir.path(), temp.as_path()] {
                std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o777))
                    .expect("permissions");
            }
        }
        let main = format!(
            "daemon off;\nworker_processes 1;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log warn;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n\
             \x20 fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n\
             \x20 include {dir}/chorus.conf;\n}}\n",
            dir = dir.path().display(),
            temp = temp.display(),
        );
        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, main).expect("nginx.conf written");
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{NGINX} runs (cargo xtask test installs it): {e}"));
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", https))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "nginx did not start: {}",
                std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Self {
            child,
            https,
            http,
            _dir: dir,
        }
    }
}

/// A supporter's browser, connecting from `ip`.
fn supporter(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().expect("IP"))
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Chorus as the README deploys it behind nginx: trusting the proxy's
/// loopback address, limiting each client to two signatures an hour.
fn behind_nginx() -> Options {
    let mut options = Options::default();
    options.guard.trusted_proxies = "127.0.0.1".parse().expect("proxies");
    options.guard.limits.per_petition = 2;
    options
}

async fn sign(client: &reqwest::Client, nginx: &Nginx, n: usize, forged: Option<&str>) {
    let mut request = client
        .post(format!(
            "https://127.0.0.1:{}/api/v1/petitions/p/signatures",
            nginx.https
        ))
        .header("origin", PARTNER)
        .json(&form(&format!("s{n}@example.org"), &format!("k-{n:016}")));
    if let Some(forged) = forged {
        request = request.header("x-forwarded-for", forged);
    }
    let answer = request.send().await.expect("sent through nginx");
    assert_eq!(answer.status(), 200, "{:?}", answer.text().await);
}

#[tokio::test]
async fn behind_the_shipped_nginx_supporters_are_limited_apart_and_forged_addresses_ignored() {
    let app = TestApp::spawn_with(behind_nginx()).await;
    let other = app.second_instance_with(behind_nginx()).await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    let instances = [
        app.origin.trim_start_matches("http://"),
        other.origin.trim_start_matches("http://"),
    ];
    let nginx = Nginx::start(&instances).await;
    let (ana, bo) = (supporter("127.0.0.2"), supporter("127.0.0.3"));

    // Ana reaches her limit of two; her third is held.
    for n in 0..3 {
        sign(&ana, &nginx, n, None).await;
    }
    // Bo is another supporter: counted, however many Ana sent.
    sign(&bo, &nginx, 3, None).await;
    // Ana claims to be someone else: nginx replaces the header, so Chorus
    // still sees Ana, and holds it.
    sign(&ana, &nginx, 4, Some("203.0.113.9")).await;
    assert_eq!(
        statuses(&app.signed_rows(&petition).await),
        ["counted", "counted", "held", "counted", "held"]
    );
    let clusters = app.store.clusters(petition.id).await.expect("clusters");
    assert_eq!(clusters.len(), 1, "Ana is one client, Bo is not listed");
    assert_eq!((clusters[0].counted, clusters[0].held), (2, 2));

    // Live counts stream through nginx unbuffered.
    let live = ana
        .get(format!(
            "https://127.0.0.1:{}/api/v1/live?petitions=p",
            nginx.https
        ))
        .send()
        .await
        .expect("live stream");
    let mut events = crate::helpers::EventReader::from_response(live);
    // The instance may still be catching up with the last signature: the
    // stream says each count as it moves, until it shows all three.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let count = events
            .next_count(left)
            .await
            .expect("counts arrive through nginx");
        if count.count == 3 {
            break;
        }
    }

    // Plain HTTP sends supporters to HTTPS.
    let plain = bo
        .get(format!("http://127.0.0.1:{}/embed.js", nginx.http))
        .send()
        .await
        .expect("plain HTTP");
    assert_eq!(plain.status(), 301);
    assert!(
        plain.headers()["location"]
            .to_str()
            .is_ok_and(|l| l.starts_with("https://")),
        "{:?}",
        plain.headers()
    );
}
