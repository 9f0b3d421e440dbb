//! What organisers do with events, for the CLI and the organisers' API
//! alike (`/api/v1/admin/days`, `/api/v1/admin/events`, behind a bearer
//! token): create action days and events, edit and translate them, approve
//! or reject proposals (the host is told by email), and cancel.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use chorus_wire::events::{EventCard, EventProposal};
use serde::{Deserialize, Serialize};

use super::event::{Author, check, public_id};
use super::letters::{To, decision_letter};
use crate::admin::{Acting, Organiser, WriteEvents};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::ident::{Lang, Slug};
use crate::mail::Recipient;
use crate::personal::ServerKeys;
use crate::storage::{
    ActionDayRecord, EventQuery, EventRecord, EventStatus, EventText, MailKind, NewActionDay,
    NewEvent, SealedMail, Store, StoreError, now_millis,
};

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/days", post(create_day_route))
        .route("/admin/events", get(list_route).post(create_route))
        .route("/admin/events/{id}", put(edit_route))
        .route("/admin/events/{id}/texts", post(text_route))
        .route("/admin/events/{id}/{decision}", post(decide_route))
}

/// A failure of an organiser's operation: their input, or storage.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("{}", describe(.0))]
    Fields(Vec<(&'static str, chorus_wire::signing::Problem)>),
    #[error("{0}")]
    Unknown(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(problems: &[(&'static str, chorus_wire::signing::Problem)]) -> String {
    problems
        .iter()
        .map(|(field, problem)| format!("{field}: {}", problem.as_str()))
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Fields(problems) => Self::InvalidFields(problems),
            Refused::Unknown(what) => Self::NotFound(what),
            Refused::Store(StoreError::AlreadyExists(what)) => Self::Conflict {
                code: "already_exists",
                message: format!("{what} already exists"),
            },
            Refused::Store(error) => error.into(),
        }
    }
}

/// A new action day.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayInput {
    pub slug: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub lang: String,
    pub name: String,
    /// The organisation whose key the day's people are sealed to; through
    /// the API, the token's when not given.
    #[serde(default)]
    pub organisation: String,
}

/// The organisation named, if `acting` reaches it; without a name, the one
/// `acting` is for.
async fn organisation_for(
    store: &dyn Store,
    acting: Acting,
    name: Option<&str>,
) -> Result<i64, Refused> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let Some(name) = name else {
        return match acting {
            Acting::For(id) => Ok(id),
            Acting::Operator => Err(Refused::Unknown("name the organisation it is for".into())),
        };
    };
    store
        .organisation_by_name(name)
        .await?
        .map(|organisation| organisation.id)
        .filter(|id| acting.reaches(*id))
        .ok_or_else(|| Refused::Unknown(format!("no organisation {name:?}")))
}

pub async fn create_day(
    store: &dyn Store,
    acting: Acting,
    input: &DayInput,
) -> Result<ActionDayRecord, Refused> {
    use chorus_wire::signing::Problem;
    let mut problems = Vec::new();
    let slug = Slug::parse(&input.slug)
        .ok()
        .filter(|s| s.as_str() != super::ALL_DAYS);
    if slug.is_none() {
        problems.push(("slug", Problem::Invalid));
    }
    let valid_day =
        input.day.len() == 10 && jiff::civil::Date::strptime("%Y-%m-%d", &input.day).is_ok();
    if !valid_day {
        problems.push(("day", Problem::Invalid));
    }
    let lang = Lang::parse(&input.lang).ok();
    if lang.is_none() {
        problems.push(("lang", Problem::Invalid));
    }
    if let Some(problem) =
        chorus_wire::events::check_text(&input.name, true, chorus_wire::events::TITLE_MAX)
    {
        problems.push(("name", problem));
    }
    let (Some(slug), Some(lang), true) = (slug, lang, problems.is_empty()) else {
        return Err(Refused::Fields(problems));
    };
    let organisation_id = organisation_for(store, acting, Some(&input.organisation)).await?;
    Ok(store
        .create_action_day(&NewActionDay {
            slug,
            organisation_id,
            day: input.day.clone(),
            lang,
            name: input.name.trim().to_owned(),
        })
        .await?)
}

/// An event as an organiser creates or edits it: the proposal's fields,
/// without the proof of work.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EventInput {
    #[serde(flatten)]
    pub event: EventProposal,
    /// The organisation, when the event belongs to no day.
    pub organisation: Option<String>,
    /// A partner hosting it, by origin.
    pub partner: Option<String>,
}

async fn day_of(store: &dyn Store, slug: &str) -> Result<Option<ActionDayRecord>, Refused> {
    if slug.trim().is_empty() {
        return Ok(None);
    }
    let slug =
        Slug::parse(slug.trim()).map_err(|_| Refused::Unknown(format!("no action day {slug}")))?;
    store
        .action_day_by_slug(&slug)
        .await?
        .map(Some)
        .ok_or_else(|| Refused::Unknown(format!("no action day {slug}")))
}

/// Creates an approved event.
pub async fn create(
    store: &dyn Store,
    acting: Acting,
    input: &EventInput,
) -> Result<EventRecord, Refused> {
    let day = day_of(store, &input.event.day).await?;
    let mut form = input.event.clone();
    if form.idempotency_key.is_empty() {
        // Organisers' requests are not retried blindly; the key only
        // satisfies the shared check.
        form.idempotency_key = "organiser-created-event".into();
    }
    let mut checked =
        check(&form, day.as_ref(), Author::Organiser, now_millis()).map_err(Refused::Fields)?;
    checked.details.host_partner_id = partner_id(store, input.partner.as_deref()).await?;
    let organisation_id = match &day {
        Some(day) if acting.reaches(day.organisation_id) => day.organisation_id,
        Some(day) => return Err(Refused::Unknown(format!("no action day {}", day.slug))),
        None => organisation_for(store, acting, input.organisation.as_deref()).await?,
    };
    let event = NewEvent {
        public_id: public_id(),
        organisation_id,
        details: checked.details,
        text: checked.text,
        status: EventStatus::Approved,
        host_contact: None,
        submission_key: None,
        proof: None,
    };
    store
        .create_event(&event)
        .await?
        .ok_or_else(|| Refused::Unknown("the event was not stored".into()))
}

async fn partner_id(store: &dyn Store, origin: Option<&str>) -> Result<Option<i64>, Refused> {
    let Some(origin) = origin.filter(|o| !o.is_empty()) else {
        return Ok(None);
    };
    let partners = store.partners().await?;
    partners
        .iter()
        .find(|p| p.origin.as_str() == origin.trim_end_matches('/'))
        .map(|p| Some(p.id))
        .ok_or_else(|| Refused::Unknown(format!("no partner {origin}")))
}

/// Replaces an event's details (its words stay; translate with
/// [`put_text`]).
pub async fn edit(
    store: &dyn Store,
    acting: Acting,
    public_id: &str,
    input: &EventInput,
) -> Result<EventRecord, Refused> {
    let event = find(store, acting, public_id).await?;
    let day = day_of(store, &input.event.day).await?;
    let mut form = input.event.clone();
    form.idempotency_key = "organiser-edited-event".into();
    let mut checked =
        check(&form, day.as_ref(), Author::Organiser, now_millis()).map_err(Refused::Fields)?;
    checked.details.host_partner_id = partner_id(store, input.partner.as_deref()).await?;
    store.update_event(event.id, &checked.details).await?;
    store.put_event_text(event.id, &checked.text).await?;
    find(store, acting, public_id).await
}

/// The words of an event in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextInput {
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

pub async fn put_text(
    store: &dyn Store,
    acting: Acting,
    public_id: &str,
    input: &TextInput,
) -> Result<(), Refused> {
    use chorus_wire::events::{DESCRIPTION_MAX, TITLE_MAX, check_text};
    let event = find(store, acting, public_id).await?;
    let mut problems = Vec::new();
    let lang = Lang::parse(&input.lang).ok();
    if lang.is_none() {
        problems.push(("lang", chorus_wire::signing::Problem::Invalid));
    }
    if let Some(p) = check_text(&input.title, true, TITLE_MAX) {
        problems.push(("title", p));
    }
    if let Some(p) = check_text(&input.description, false, DESCRIPTION_MAX) {
        problems.push(("description", p));
    }
    let (Some(lang), true) = (lang, problems.is_empty()) else {
        return Err(Refused::Fields(problems));
    };
    let text = EventText {
        lang,
        title: input.title.trim().to_owned(),
        description: input.description.trim().to_owned(),
    };
    Ok(store.put_event_text(event.id, &text).await?)
}

/// What an organiser decides about an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    Cancel,
}

impl Decision {
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            "cancel" => Some(Self::Cancel),
            _ => None,
        }
    }
}

/// Approves, rejects or cancels an event. A host waiting for the decision
/// on their proposal is mailed it (given the deployment's `keys`, which
/// open their address), and Chorus forgets their address. Cancelling mails
/// no one: the people coming see it on the event's page and in their
/// calendars.
pub async fn decide(
    store: &dyn Store,
    keys: Option<&ServerKeys>,
    origin: &str,
    acting: Acting,
    public_id: &str,
    decision: Decision,
) -> Result<EventRecord, Refused> {
    let event = find(store, acting, public_id).await?;
    let status = match decision {
        Decision::Approve => EventStatus::Approved,
        Decision::Reject => EventStatus::Rejected,
        Decision::Cancel => EventStatus::Cancelled,
    };
    let letter = match (decision, keys) {
        (Decision::Cancel, _) | (_, None) => None,
        (Decision::Approve | Decision::Reject, Some(keys)) => store
            .event_host_mail(event.id)
            .await?
            .and_then(|sealed| Recipient::open(&sealed, keys))
            .map(|host| {
                let letter = decision_letter(
                    To {
                        email: &host.to,
                        name: &host.name,
                        lang: &host.lang,
                    },
                    &event,
                    decision == Decision::Approve,
                    &format!("{origin}/events/{}", event.public_id),
                );
                SealedMail {
                    kind: MailKind::EventDecision,
                    email_hash: keys.email_hash(&host.to),
                    sealed: letter.seal(keys),
                }
            }),
    };
    store.set_event_status(event.id, status, letter).await?;
    tracing::info!(event = %event.public_id, status = status.as_str(), "an organiser decided on an event");
    find(store, acting, public_id).await
}

/// Event `public_id`, if `acting` reaches its organisation.
pub async fn find(
    store: &dyn Store,
    acting: Acting,
    public_id: &str,
) -> Result<EventRecord, Refused> {
    store
        .event_by_public_id(public_id)
        .await?
        .filter(|event| acting.reaches(event.organisation_id))
        .ok_or_else(|| Refused::Unknown(format!("no event {public_id}")))
}

/// An event as organisers see it: the public card and its state.
#[derive(Debug, Serialize)]
pub struct EventView {
    #[serde(flatten)]
    pub card: EventCard,
    /// `pending`, `approved`, `rejected` or `cancelled`.
    pub state: &'static str,
    /// The full address, private or not.
    pub address: String,
    /// A proposal's host waits to hear the decision.
    pub host_waiting: bool,
}

pub fn view(event: &EventRecord, origin: &str) -> EventView {
    EventView {
        card: super::card::card(event, None, origin),
        state: event.status.as_str(),
        address: event.details.place.address.clone(),
        host_waiting: event.host_waiting,
    }
}

/// Every event still to come in a status (or every public one), a page at
/// a time, for the CLI and the API.
pub async fn upcoming(
    store: &dyn Store,
    status: Option<EventStatus>,
    limit: u32,
) -> Result<Vec<EventRecord>, Refused> {
    Ok(store
        .events(&EventQuery {
            status,
            ends_after: now_millis(),
            limit,
            ..EventQuery::default()
        })
        .await?)
}

async fn create_day_route(
    organiser: Organiser<WriteEvents>,
    State(state): State<AppState>,
    Json(input): Json<DayInput>,
) -> Result<impl IntoResponse, ApiError> {
    let day = create_day(&*state.store, organiser.acting(), &input).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(serde_json::json!({"slug": day.slug.as_str(), "day": day.day})),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    /// `pending`, `approved`, `rejected` or `cancelled`.
    status: Option<String>,
}

async fn list_route(
    organiser: Organiser<WriteEvents>,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some(word) => Some(EventStatus::parse(word).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_query",
                "status: pending, approved, rejected or cancelled",
            )
        })?),
    };
    let events = upcoming(&*state.store, status, 500).await?;
    let origin = state.public_url.as_str();
    let views: Vec<EventView> = events
        .iter()
        .filter(|e| organiser.acting().reaches(e.organisation_id))
        .map(|e| view(e, origin))
        .collect();
    Ok(axum::Json(views))
}

async fn create_route(
    organiser: Organiser<WriteEvents>,
    State(state): State<AppState>,
    Json(input): Json<EventInput>,
) -> Result<impl IntoResponse, ApiError> {
    let event = create(&*state.store, organiser.acting(), &input).await?;
    state.attendance.wake();
    Ok((
        StatusCode::CREATED,
        axum::Json(view(&event, state.public_url.as_str())),
    ))
}

async fn edit_route(
    organiser: Organiser<WriteEvents>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(input): Json<EventInput>,
) -> Result<impl IntoResponse, ApiError> {
    let event = edit(&*state.store, organiser.acting(), &id, &input).await?;
    Ok(axum::Json(view(&event, state.public_url.as_str())))
}

async fn text_route(
    organiser: Organiser<WriteEvents>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(input): Json<TextInput>,
) -> Result<impl IntoResponse, ApiError> {
    put_text(&*state.store, organiser.acting(), &id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn decide_route(
    organiser: Organiser<WriteEvents>,
    State(state): State<AppState>,
    Path((id, decision)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let decision = Decision::parse(&decision)
        .ok_or_else(|| ApiError::NotFound("decide with approve, reject or cancel".into()))?;
    let event = decide(
        &*state.store,
        Some(&state.keys),
        state.public_url.as_str(),
        organiser.acting(),
        &id,
        decision,
    )
    .await?;
    state.attendance.wake();
    Ok(axum::Json(view(&event, state.public_url.as_str())))
}
