//! A throwaway PostgreSQL server on loopback for the test suite: a fresh
//! cluster under `target/`, started before the PostgreSQL run and stopped
//! when the run ends, whatever its outcome.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, install, root, run};

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
        let data = root().join("target/postgres-test");
        if data.exists() {
            std::fs::remove_dir_all(&data).map_err(|e| format!("cannot clear {data:?}: {e}"))?;
        }
        std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {data:?}: {e}"))?;
        if install::is_root() {
            // PostgreSQL refuses to run as root; Debian's package made this user.
            run(Command::new("chown").arg("postgres").arg(&data))?;
        }
        let port = free_port()?;
        run(as_owner(&bin.join("initdb"))
            .args(["--auth=trust", "--username=chorus", "--encoding=UTF8", "-D"])
            .arg(&data))?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={} \
             -c max_connections=300",
            data.display()
        );
        run(as_owner(&bin.join("pg_ctl"))
            .args(["start", "--wait", "--silent", "-D"])
            .arg(&data)
            .args(["-l"])
            .arg(data.join("server.log"))
            .args(["-o", &options]))?;
        Ok(Self {
            bin,
            data,
            url: format!("postgres://chorus@127.0.0.1:{port}"),
        })
    }

    /// A shell command that restarts the server, for the fault test.
    pub fn restart_command(&self) -> String {
        let prefix = if install::is_root() {
            "runuser -u postgres -- "
        } else {
            ""
        };
        format!(
            "{prefix}{} restart --wait --silent -m fast -D {} -l {}",
            self.bin.join("pg_ctl").display(),
            self.data.display(),
            self.data.join("server.log").display()
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = as_owner(&self.bin.join("pg_ctl"))
            .args(["stop", "--wait", "--silent", "-m", "immediate", "-D"])
            .arg(&self.data)
            .status();
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
