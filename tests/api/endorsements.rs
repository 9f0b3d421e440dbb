//! Organisations signing beside individuals: the endorsement route, the
//! signer's email confirmation over real SMTP, domain verification,
//! `chorus review --organisations` run as the real binary, the audit log,
//! repeats by domain, and the organisations' count on the live stream.

use std::time::Duration;

use chorus::storage::{EndorsementRecord, EndorsementStatus, PetitionRecord, Signatories};
use serde_json::json;

use crate::cli::{chorus, text};
use crate::helpers::{TestApp, body, form};
use crate::smtp::SmtpServer;

const PARTNER: &str = "https://harbour.example";

/// A petition `p` signed by organisations and individuals, with one partner.
pub(crate) async fn coalition_petition(app: &TestApp) -> PetitionRecord {
    let petition = app.create_petition("p", None).await;
    app.add_partner(&petition, "Harbour", PARTNER, false).await;
    app.store
        .set_signatories(petition.id, Signatories::Both)
        .await
        .expect("set");
    petition
}

/// An organisation's form as the widget sends it.
fn org_form(organisation: &str, website: &str, email: &str, key: &str) -> serde_json::Value {
    json!({
        "idempotency_key": key,
        "organisation": organisation,
        "organisation_url": website,
        "country": "MX",
        "kind": "network",
        "statement": "Los derechos no tienen fronteras.",
        "signer_name": "Lucía Ramírez",
        "signer_role": "Coordinadora",
        "email": email,
        "lang": "es",
        "consent_version": "1",
        "privacy_consent": true,
    })
}

async fn endorse(
    app: &TestApp,
    origin: &str,
    form: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/petitions/p/endorsements", app.origin))
        .header("origin", origin)
        .json(form)
        .send()
        .await
        .expect("request sent");
    body(response).await
}

async fn endorsements(app: &TestApp, petition: &PetitionRecord) -> Vec<EndorsementRecord> {
    app.store
        .endorsements(petition.id, None)
        .await
        .expect("endorsements read")
}

/// Follows a mailed link as a person would: the page, then its button.
pub(crate) async fn confirm(app: &TestApp, link: &str) -> String {
    let page = app.client.get(link).send().await.expect("page");
    assert_eq!(page.status(), 200, "{link}");
    assert!(
        page.text()
            .await
            .expect("text")
            .contains("<form method=\"post\">")
    );
    let done = app.client.post(link).send().await.expect("posted");
    assert_eq!(done.status(), 200);
    done.text().await.expect("text")
}

pub(crate) fn review(app: &TestApp, args: &[&str]) -> (bool, String) {
    let mut all = vec!["review", "p"];
    all.extend_from_slice(args);
    let output = chorus(app, &all, None);
    (
        output.status.success(),
        format!("{}{}", text(&output.stdout), text(&output.stderr)),
    )
}

/// Reads the live stream until a count of `p` shows `organisations`.
async fn until_organisations(app: &TestApp, organisations: u64) -> chorus_wire::PetitionCount {
    let mut live = app.live("p").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let count = live
            .next_count(left)
            .await
            .unwrap_or_else(|| panic!("no count with {organisations} organisations arrived"));
        if count.organisations == organisations {
            return count;
        }
    }
}

#[tokio::test]
async fn an_organisation_confirms_by_email_and_counts_apart_once_an_organiser_approves_it() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = coalition_petition(&app).await;
    app.sign_accepted(
        "p",
        Some(PARTNER),
        &form("zoe@example.org", "k-individual-0001"),
    )
    .await;

    let (status, answer) = endorse(
        &app,
        PARTNER,
        &org_form(
            "Red de Apoyo Migrante",
            "https://www.apoyo-migrante.org.mx/quienes-somos",
            "lucia@apoyo-migrante.org.mx",
            "k-organisation-01",
        ),
    )
    .await;
    assert_eq!((status, answer), (200, json!({"status": "received"})));
    let stored = endorsements(&app, &petition).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status, EndorsementStatus::Unconfirmed);
    assert_eq!(stored[0].public.domain, "apoyo-migrante.org.mx");
    assert_eq!(stored[0].partner.as_deref(), Some("Harbour"));
    let signer = app.org_key.open(stored[0].sealed.as_ref().expect("sealed"));
    let signer = signer.expect("opens with the organisation's key");
    assert_eq!(
        (signer.first_name.as_str(), signer.role.as_str()),
        ("Lucía Ramírez", "Coordinadora")
    );
    let id = stored[0].id.to_string();

    // Nothing to decide before the signer confirms.
    let (ok, said) = review(&app, &["--approve-organisation", &id]);
    assert!(!ok && said.contains("has not confirmed"), "{said}");

    let mails = smtp.wait_for(1).await;
    let mail = &mails[0];
    assert!(mail.to.contains("lucia@apoyo-migrante.org.mx"), "{mail:?}");
    assert_eq!(
        mail.subject,
        "Confirma la firma de Red de Apoyo Migrante, por favor"
    );
    assert!(mail.body.contains("Hola, Lucía Ramírez"), "{}", mail.body);
    let page = confirm(&app, &mail.link("/endorsement/")).await;
    assert!(page.contains("la firma está confirmada"), "{page}");
    let stored = endorsements(&app, &petition).await;
    assert_eq!(stored[0].status, EndorsementStatus::Pending);
    assert!(stored[0].domain_verified, "confirmed from its own domain");

    let (ok, said) = review(&app, &["--organisations"]);
    assert!(ok, "{said}");
    assert!(said.contains("waiting for your decision (1)"), "{said}");
    assert!(said.contains("Red de Apoyo Migrante"), "{said}");
    assert!(said.contains("domain verified"), "{said}");
    assert!(
        !said.contains("lucia@"),
        "the signer is not shown without the key: {said}"
    );

    let (ok, said) = review(
        &app,
        &["--approve-organisation", &id, "--reason", "known partner"],
    );
    assert!(ok, "{said}");
    let count = until_organisations(&app, 1).await;
    assert_eq!(count.count, 1, "individuals are counted apart");
    let (_, shown) = body(app.get("/api/v1/petitions/p/count").await).await;
    assert_eq!(
        (shown["count"].clone(), shown["organisations"].clone()),
        (json!(1), json!(1))
    );

    let (ok, said) = review(&app, &["--organisations"]);
    assert!(ok, "{said}");
    assert!(
        said.contains(&format!(
            "approved {id} (Red de Apoyo Migrante) by organiser: known partner"
        )),
        "the audit log: {said}"
    );

    // The export lists the organisation after the individuals, with the
    // person who signed for it, opened with the organisation's key.
    let exported = chorus(
        &app,
        &["signatures", "export", "p", "--secret-key-file", "-"],
        Some(&app.org_key.to_text()),
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let csv = text(&exported.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].ends_with(",signatory,organisation,organisation_website,organisation_kind,role,domain_verified,unnamed,statement"), "{csv}");
    assert!(
        lines[1].contains("zoe@example.org") && lines[1].ends_with(",individual,,,,,,,"),
        "{csv}"
    );
    assert!(
        lines[2].contains(",Lucía Ramírez,,lucia@apoyo-migrante.org.mx,MX,"),
        "{csv}"
    );
    assert!(
        lines[2].ends_with(&format!(",{id},approved,organisation,Red de Apoyo Migrante,https://www.apoyo-migrante.org.mx/quienes-somos,network,Coordinadora,yes,no,Los derechos no tienen fronteras.")),
        "{csv}"
    );
}

#[tokio::test]
async fn a_signer_writing_from_elsewhere_is_not_domain_verified_and_a_rejection_is_audited() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = coalition_petition(&app).await;
    let (status, _) = endorse(
        &app,
        PARTNER,
        &org_form(
            "Sindicato Unido",
            "https://sindicato-unido.example.org",
            "someone@gmail.com",
            "k-organisation-02",
        ),
    )
    .await;
    assert_eq!(status, 200);
    let mail = &smtp.wait_for(1).await[0];
    confirm(&app, &mail.link("/endorsement/")).await;
    let stored = endorsements(&app, &petition).await;
    assert_eq!(stored[0].status, EndorsementStatus::Pending);
    assert!(!stored[0].domain_verified);
    let (_, said) = review(&app, &["--organisations"]);
    assert!(
        said.contains("confirmed from an address elsewhere"),
        "{said}"
    );

    let id = stored[0].id.to_string();
    let (ok, said) = review(
        &app,
        &["--reject-organisation", &id, "--reason", "not a union"],
    );
    assert!(ok, "{said}");
    let stored = endorsements(&app, &petition).await;
    assert_eq!(stored[0].status, EndorsementStatus::Rejected);
    let log = app
        .store
        .endorsement_decisions(petition.id)
        .await
        .expect("read");
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].decision.as_str(), log[0].reason.as_str()),
        ("rejected", "not a union")
    );
    let (_, shown) = body(app.get("/api/v1/petitions/p/count").await).await;
    assert_eq!(
        shown["organisations"],
        json!(0),
        "a rejected one is not counted"
    );
}

#[tokio::test]
async fn an_organisation_that_cannot_be_named_is_counted() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = coalition_petition(&app).await;
    let mut unnamed = org_form(
        "Colectivo en Riesgo",
        "https://colectivo.example.net",
        "contacto@colectivo.example.net",
        "k-organisation-03",
    );
    unnamed["unnamed"] = json!(true);
    assert_eq!(endorse(&app, PARTNER, &unnamed).await.0, 200);
    confirm(&app, &smtp.wait_for(1).await[0].link("/endorsement/")).await;
    let stored = endorsements(&app, &petition).await;
    assert!(stored[0].public.unnamed);
    let (ok, said) = review(&app, &["--organisations"]);
    assert!(said.contains("not to be named"), "{said}");
    let (ok2, said2) = review(&app, &["--approve-organisation", &stored[0].id.to_string()]);
    assert!(ok && ok2, "{said2}");
    assert_eq!(until_organisations(&app, 1).await.organisations, 1);
}

#[tokio::test]
async fn a_second_signature_of_one_organisation_is_a_repeat_answered_like_the_first() {
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = coalition_petition(&app).await;
    let first = org_form(
        "Red de Apoyo Migrante",
        "https://apoyo-migrante.org.mx",
        "lucia@apoyo-migrante.org.mx",
        "k-organisation-04",
    );
    let first_answer = endorse(&app, PARTNER, &first).await;
    assert_eq!(first_answer.0, 200);
    // A retry of the same submission: the same answer, nothing new.
    assert_eq!(endorse(&app, PARTNER, &first).await, first_answer);
    // The same organisation by another page of its site, someone else signing.
    let again = org_form(
        "Apoyo Migrante A.C.",
        "http://WWW.apoyo-migrante.org.mx/en/",
        "pablo@example.org",
        "k-organisation-05",
    );
    assert_eq!(endorse(&app, PARTNER, &again).await, first_answer);
    let stored = endorsements(&app, &petition).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].public.organisation, "Red de Apoyo Migrante");

    let mails = smtp.wait_for(2).await;
    let repeat = mails
        .iter()
        .find(|m| m.to.contains("pablo@example.org"))
        .expect("the second signer is told");
    assert_eq!(repeat.subject, "Apoyo Migrante A.C. ya ha firmado");
    // Within the hour, a further repeat mails no one.
    let mut third = again.clone();
    third["idempotency_key"] = json!("k-organisation-06");
    third["email"] = json!("otra@example.org");
    assert_eq!(endorse(&app, PARTNER, &third).await, first_answer);
    // The repeat is handled after the answer; once that work is done and
    // nothing waits in the outbox, no notice can still come.
    app.later.settled().await;
    assert_eq!(app.store.mail_waiting().await.expect("outbox"), 0);
    assert_eq!(smtp.delivered().len(), 2, "{:?}", smtp.delivered());
}

#[tokio::test]
async fn an_organisations_form_is_checked_field_by_field_and_the_petitions_choice_holds() {
    let app = TestApp::spawn().await;
    let petition = coalition_petition(&app).await;
    for (website, field) in [
        ("https://localhost/", "organisation_url"),
        ("https://co.uk", "organisation_url"),
        ("https://192.0.2.7/", "organisation_url"),
        ("ftp://union.example.org", "organisation_url"),
    ] {
        let (status, answer) = endorse(
            &app,
            PARTNER,
            &org_form("Union", website, "a@union.example.org", "k-organisation-08"),
        )
        .await;
        assert_eq!(status, 422, "{website}: {answer}");
        assert_eq!(
            answer["error"]["fields"][field],
            json!("invalid"),
            "{answer}"
        );
    }
    let mut missing = org_form("", "", "not an address", "k-organisation-09");
    missing["kind"] = json!("party");
    missing["privacy_consent"] = json!(false);
    let (status, answer) = endorse(&app, PARTNER, &missing).await;
    assert_eq!(status, 422);
    let fields = &answer["error"]["fields"];
    for field in [
        "organisation",
        "organisation_url",
        "kind",
        "email",
        "privacy_consent",
    ] {
        assert!(fields.get(field).is_some(), "{field}: {answer}");
    }
    assert!(endorsements(&app, &petition).await.is_empty());

    let valid = org_form(
        "Union",
        "https://union.example.org",
        "a@union.example.org",
        "k-organisation-10",
    );
    let (status, _) = endorse(&app, "https://elsewhere.example", &valid).await;
    assert_eq!(status, 403, "only the petition's partners' pages");

    app.store
        .set_signatories(petition.id, Signatories::People)
        .await
        .expect("set");
    let people_only = app.second_instance().await;
    let (status, answer) = endorse(&people_only, PARTNER, &valid).await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (409, json!("organisations_not_taken"))
    );
    app.store
        .set_signatories(petition.id, Signatories::Organisations)
        .await
        .expect("set");
    let organisations_only = app.second_instance().await;
    let (status, answer) = body(
        organisations_only
            .sign(
                "p",
                Some(PARTNER),
                &form("zoe@example.org", "k-individual-0002"),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, answer["error"]["code"].clone()),
        (409, json!("people_not_taken"))
    );
    assert_eq!(endorse(&organisations_only, PARTNER, &valid).await.0, 200);
}

#[tokio::test]
async fn erasing_the_person_who_signed_for_an_organisation_keeps_the_organisation() {
    let app = TestApp::spawn().await;
    let petition = coalition_petition(&app).await;
    let valid = org_form(
        "Union",
        "https://union.example.org",
        "Ana@Union.example.org",
        "k-organisation-11",
    );
    assert_eq!(endorse(&app, PARTNER, &valid).await.0, 200);
    let keys = chorus::personal::ServerKeys::new(
        &crate::helpers::SECRET_KEY.parse().expect("valid secret"),
    );
    let erasure = chorus::personal::erase::erase(&*app.store, &keys, "ana@union.example.org")
        .await
        .expect("erased");
    assert_eq!(erasure.endorsements, 1);
    let stored = endorsements(&app, &petition).await;
    assert_eq!(stored[0].sealed, None);
    assert_eq!(stored[0].public.organisation, "Union");
}

/// An organisation's signature stored and confirmed as the route and the
/// mailed link would, for tests about what follows (the wall).
pub(crate) async fn stored(
    app: &TestApp,
    petition: &PetitionRecord,
    name: &str,
    website: &str,
    country: &str,
    unnamed: bool,
) -> i64 {
    stored_with_logo(app, petition, (name, website, country), unnamed, None).await
}

/// A confirmed organisation, with the logo address it gave.
pub(crate) async fn stored_with_logo(
    app: &TestApp,
    petition: &PetitionRecord,
    (name, website, country): (&str, &str, &str),
    unnamed: bool,
    logo_url: Option<&str>,
) -> i64 {
    use chorus::storage::{EndorserPublic, MailKind, NewEndorsement, SealedMail};
    let keys = chorus::personal::ServerKeys::new(
        &crate::helpers::SECRET_KEY.parse().expect("valid secret"),
    );
    let domain = chorus::endorsements::domain::of_website(website).expect("a website");
    let email = format!("contact@{domain}");
    let (_, token) = chorus::signing::confirm::new_link_token();
    let now = chorus::storage::now_millis();
    let endorsement = NewEndorsement {
        petition_id: petition.id,
        partner_id: None,
        idempotency_key: format!("k-stored-{domain}"),
        public: EndorserPublic {
            organisation: name.to_owned(),
            website: website.to_owned(),
            domain: domain.clone(),
            country: country.to_owned(),
            kind: "network".into(),
            statement: "Los derechos no tienen fronteras.".into(),
            logo_url: logo_url.map(str::to_owned),
            unnamed,
        },
        email_at_domain: true,
        logo: None,
        sealed: chorus::personal::PersonalDetails {
            first_name: "Lucía".into(),
            email: email.clone(),
            ..Default::default()
        }
        .seal(&app.org_key.public_key()),
        email_hash: keys.email_hash(&email),
        lang: "es".into(),
        consent_version: "1".into(),
        opt_in_organiser: false,
        opt_in_partner: false,
        client_hash: None,
        token,
        confirm: SealedMail {
            kind: MailKind::EndorsementConfirm,
            email_hash: keys.email_hash(&email),
            sealed: chorus::mail::Letter {
                to: email.clone(),
                subject: "confirm".into(),
                body: "confirm".into(),
            }
            .seal(&keys),
        },
        proof: None,
        at: now,
    };
    let outcome = app
        .store
        .record_endorsement(&endorsement)
        .await
        .expect("stored");
    assert_eq!(outcome, chorus::storage::EndorsementOutcome::Stored);
    app.store
        .confirm_endorsement(&token, now)
        .await
        .expect("confirmed")
        .expect("its token");
    endorsements(app, petition)
        .await
        .iter()
        .find(|e| e.public.domain == domain)
        .expect("stored")
        .id
}

/// A confirmed organisation waiting for the organiser.
pub(crate) async fn waiting(app: &TestApp, petition: &PetitionRecord, name: &str, website: &str) {
    stored(app, petition, name, website, "MX", false).await;
}

/// An organisation the organiser approved.
pub(crate) async fn approved(
    app: &TestApp,
    petition: &PetitionRecord,
    name: &str,
    website: &str,
    country: &str,
    unnamed: bool,
) -> i64 {
    let id = stored(app, petition, name, website, country, unnamed).await;
    let now = chorus::storage::now_millis();
    let outcome = app
        .store
        .decide_endorsement(
            petition.id,
            id,
            chorus::storage::Verdict::Approve,
            "test",
            "organiser",
            now,
        )
        .await
        .expect("decided");
    assert_eq!(outcome, chorus::storage::DecisionOutcome::Made);
    id
}

#[tokio::test]
async fn an_uploaded_logo_is_kept_as_chorus_own_png_and_shown_once_approved() {
    use base64::Engine;
    let smtp = SmtpServer::start();
    let app = TestApp::spawn_with_mail(Some(smtp.url())).await;
    let petition = coalition_petition(&app).await;
    let as_data = |kind: &str, bytes: &[u8]| {
        format!(
            "data:{kind};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    };
    let mut svg = org_form(
        "Red Dibujada",
        "https://dibujo.org",
        "ana@dibujo.org",
        "k-logo-000000001",
    );
    svg["logo_upload"] = json!(as_data("image/svg+xml", b"<svg onload=\"alert(1)\"/>"));
    let (status, answer) = endorse(&app, PARTNER, &svg).await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["error"]["fields"].get("logo_upload").is_some(),
        "{answer}"
    );

    let mut form = org_form(
        "Red de Apoyo Migrante",
        "https://apoyo-migrante.org.mx",
        "lucia@apoyo-migrante.org.mx",
        "k-logo-000000002",
    );
    form["logo_upload"] = json!(as_data("image/png", crate::picture_host::PHOTO));
    let (status, answer) = endorse(&app, PARTNER, &form).await;
    assert_eq!(status, 200, "{answer}");
    confirm(&app, &smtp.wait_for(1).await[0].link("/endorsement/")).await;
    let id = endorsements(&app, &petition).await[0].id;
    let logo_at = format!("{}/api/v1/petitions/p/signers/{id}/logo", app.origin);
    let before = app.client.get(&logo_at).send().await.expect("answered");
    assert_eq!(before.status(), 404, "not shown before approval");
    let (ok, said) = review(&app, &["--approve-organisation", &id.to_string()]);
    assert!(ok, "{said}");

    let wall: serde_json::Value = app
        .get("/api/v1/petitions/p/signers")
        .await
        .json()
        .await
        .expect("wall");
    assert_eq!(wall["organisations"][0]["logo"], json!(logo_at));
    let served = app.client.get(&logo_at).send().await.expect("served");
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    let png = served.bytes().await.expect("bytes");
    let read = image::load_from_memory_with_format(&png, image::ImageFormat::Png).expect("a PNG");
    assert_eq!((read.width(), read.height()), (16, 9));
}
