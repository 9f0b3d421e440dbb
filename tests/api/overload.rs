//! A surge beyond what the writer takes: signatures past the queue's bound
//! are turned away at once with `503` and `Retry-After`, and a signature
//! sent again afterwards is stored. Nothing admitted is lost.

use crate::helpers::{Options, TestApp, WriteLock, body, form};

const PARTNER: &str = "https://harbour.example";

#[tokio::test]
async fn past_the_bound_a_signature_is_turned_away_at_once_and_taken_when_sent_again() {
    let mut options = Options::default();
    options.guard.queue.signing_queue = 1;
    let app = TestApp::spawn_with(options).await;
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;

    let lock = WriteLock::take(&app).await;
    let first = {
        let app_form = form("first@example.org", "k-1111111111111111");
        let request = app
            .client
            .post(format!("{}/api/v1/petitions/p/signatures", app.origin))
            .header("origin", PARTNER)
            .json(&app_form)
            .send();
        tokio::spawn(request)
    };
    app.until_waiting(1).await;

    let second = form("second@example.org", "k-2222222222222222");
    let turned_away = app.sign("p", Some(PARTNER), &second).await;
    assert_eq!(turned_away.status(), 503);
    assert_eq!(
        turned_away
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let (_, answer) = body(turned_away).await;
    assert_eq!(answer["error"]["code"], "busy");

    lock.release().await;
    let first = first.await.expect("joined").expect("answered");
    assert_eq!(first.status(), 200, "the admitted signature is stored");
    app.sign_accepted("p", Some(PARTNER), &second).await;
    assert_eq!(app.stored_count(&petition).await, 2, "none lost");
}
