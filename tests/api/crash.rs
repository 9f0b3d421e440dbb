//! The crash test's short version: the real `chorus serve` killed with
//! SIGKILL five times while clients sign (`cargo xtask bench` runs 200).

#[path = "../../benches/common/mod.rs"]
mod common;

#[tokio::test]
async fn signatures_survive_the_server_being_killed_mid_write() {
    let postgres = crate::helpers::postgres_server();
    let mut server = common::Server::start_on("crash", postgres.as_deref()).await;
    let report = common::crash::run(&mut server, 5, 5).await;
    assert!(report.acknowledged > 0, "{report:?}");
    assert!(report.lost_nothing(), "{report:?}");
}
