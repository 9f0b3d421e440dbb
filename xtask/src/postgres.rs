//! A throwaway PostgreSQL server on loopback for the tests and benchmarks: a
//! fresh cluster in the system's temporary directory (the server's own user
//! must reach it, and a checkout under `/root` is out of its reach), started
//! before the PostgreSQL run and removed when the run ends, whatever its outcome.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, install, run};

pub struct Server {
    bin: PathBuf,
    data: PathBuf,
    /// `postgres://chorus@127.0.0.1:PORT`, without a database name.
    pub url: String,
}

impl Server {
    pub fn start() -> Result<Self> {
        let bin = match binaries() {
            Some(bin) => bin,
            None => {
                install::apt(&["postgresql"])?;
                binaries().ok_or("postgresql installed, but no /usr/lib/postgresql/*/bin")?
            }
        };
        let port = free_port()?;
        let data = std::env::temp_dir().join(format!("chorus-postgres-{port}"));
        if data.exists() {
            std::fs::remove_dir_all(&data).map_err(|e| format!("cannot clear {data:?}: {e}"))?;
        }
        std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {data:?}: {e}"))?;
        if install::is_root() {
            // PostgreSQL refuses to run as root; Debian's package made this user.
            run(Command::new("chown").arg("postgres").arg(&data))?;
        }
        run(as_owner(&bin.join("initdb"))
            .args(["--auth=trust", "--username=chorus", "--encoding=UTF8", "-D"])
            .arg(&data))?;
        // In the configuration file rather than on the command line, so that
        // the fault test's `pg_ctl start` brings it back the same.
        let settings = format!(
            "listen_addresses = '127.0.0.1'\nport = {port}\n\
             unix_socket_directories = '{}'\nmax_connections = 300\n",
            data.display()
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .and_then(|mut conf| std::io::Write::write_all(&mut conf, settings.as_bytes()))
            .map_err(|e| format!("cannot configure the test server: {e}"))?;
        run(Command::new("sh").args(["-c", &format!("{} start", control_command(&bin, &data))]))?;
        Ok(Self {
            bin,
            data,
            url: format!("postgres://chorus@127.0.0.1:{port}"),
        })
    }

    /// A shell command controlling the server, for the fault test to add
    /// `stop`, `start` or `restart` to.
    pub fn control_command(&self) -> String {
        control_command(&self.bin, &self.data)
    }
}

/// `pg_ctl` on the cluster in `data`, as the server's own user. Its output
/// goes to the log, so no caller's output stays open behind the server.
fn control_command(bin: &Path, data: &Path) -> String {
    let prefix = if install::is_root() {
        "runuser -u postgres -- "
    } else {
        ""
    };
    format!(
        "{prefix}{} --wait --silent -m fast -D {} -l {}",
        bin.join("pg_ctl").display(),
        data.display(),
        data.join("server.log").display()
    )
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .args(["stop", "--wait", "--silent", "-m", "immediate", "-D"])
            .arg(&self.data)
            .status();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// The newest installed server's binaries (Debian keeps them per version).
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_ctl").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn as_owner(program: &Path) -> Command {
    if install::is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}
