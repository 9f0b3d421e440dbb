//! The widgets as HTML before any WebAssembly: `GET /api/v1/embed`, one
//! request for every placeholder on a partner page. `embed.js` puts each
//! widget's HTML into its shadow root, and the widget takes over from it
//! when its WebAssembly has run.
//!
//! Each `w` in the query names one placeholder as
//! `kind:slug:languages:theme:limit:layout`
//! (`petition:protect-defenders:fr-CA,fr:dark`, the last two for feeds);
//! empty parts take their defaults, `partner` is the page's origin and
//! `page` its address without the query (where a donor comes back to). The
//! answer lists the widgets in the order asked. A placeholder the server
//! cannot render (a kind it does not know, a malformed name) gets empty HTML,
//! and its widget renders itself: one partner's typo never blanks the rest.

use axum::Json;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chorus_widgets::render::{self, Ask};
use serde::Serialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::petitions::{PetitionQuery, read_count, read_petition};

/// At most this many placeholders in one request.
pub const MAX_WIDGETS: usize = 24;
/// The longest list of languages one placeholder may name.
const MAX_LANGUAGES: usize = 8;
/// Like a count: a crowd on one page is absorbed by any cache in front.
const EMBED_CACHE: &str = "public, max-age=2, stale-while-revalidate=30, stale-if-error=600";

/// Compressed: a petition's HTML (with its country list) shrinks to a
/// fifth, which is what brings the first view within one round trip.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/embed", get(show_embed))
        .layer(tower_http::compression::CompressionLayer::new())
}

#[derive(Debug, Serialize)]
struct Embedded {
    widgets: Vec<EmbeddedWidget>,
}

#[derive(Debug, Default, Serialize)]
struct EmbeddedWidget {
    /// What goes inside the widget's container; empty when the server did
    /// not render it.
    html: String,
    /// The language the widget speaks.
    lang: String,
    /// What the widget would otherwise read for itself (the petition, its
    /// count), so it takes over without asking again.
    data: serde_json::Value,
}

/// One placeholder, as `embed.js` described it.
#[derive(Debug, PartialEq)]
struct Wanted {
    kind: String,
    slug: String,
    ask: Ask,
}

impl Wanted {
    /// `kind:slug:languages:theme:limit:layout`, the last parts optional;
    /// `None` for anything else.
    fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.split(':');
        let kind = parts.next()?.to_owned();
        let slug = parts.next()?.to_owned();
        let languages = parts
            .next()
            .unwrap_or_default()
            .split(',')
            .filter(|l| !l.is_empty() && l.len() <= 35)
            .take(MAX_LANGUAGES)
            .map(str::to_owned)
            .collect();
        let mut optional = || parts.next().filter(|t| !t.is_empty()).map(str::to_owned);
        let (theme, limit, layout) = (optional(), optional(), optional());
        if parts.next().is_some() || kind.is_empty() {
            return None;
        }
        Some(Self {
            kind,
            slug,
            ask: Ask {
                languages,
                theme,
                limit,
                layout,
            },
        })
    }
}

async fn show_embed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, ApiError> {
    let mut wanted = Vec::new();
    let (mut partner, mut page) = (None, None);
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match &*key {
            "w" => wanted.push(Wanted::parse(&value)),
            "partner" => partner = Some(value.into_owned()),
            "page" => page = Some(value.into_owned()),
            _ => {}
        }
    }
    if wanted.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_query",
            "name at least one widget: ?w=kind:slug:languages:theme",
        ));
    }
    if wanted.len() > MAX_WIDGETS {
        return Err(ApiError::bad_request(
            "too_many_widgets",
            format!("at most {MAX_WIDGETS} widgets in one request"),
        ));
    }
    // Only a partner origin Chorus can read is passed on; any other is
    // treated as no partner rather than failing the page.
    let partner = partner.filter(|p| crate::ident::Origin::parse(p).is_ok());
    // A page on the partner's own site, without its query.
    let page = page
        .as_deref()
        .and_then(crate::frame::page_address)
        .filter(|page| {
            partner
                .as_ref()
                .is_some_and(|p| page.starts_with(&format!("{p}/")))
        })
        .unwrap_or_default();
    let mut widgets = Vec::with_capacity(wanted.len());
    for one in &wanted {
        widgets.push(match one {
            Some(one) => embed_one(&state, one, partner.as_deref(), &page).await?,
            None => EmbeddedWidget::default(),
        });
    }
    Ok((
        [(header::CACHE_CONTROL, EMBED_CACHE)],
        Json(Embedded { widgets }),
    ))
}

/// Unknown and malformed names are rendered as the widget renders them:
/// a notice that the petition could not be found.
fn found<T>(read: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(ApiError::NotFound(_) | ApiError::BadRequest { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

async fn embed_one(
    state: &AppState,
    wanted: &Wanted,
    partner: Option<&str>,
    page: &str,
) -> Result<EmbeddedWidget, ApiError> {
    let lang = wanted.ask.language();
    Ok(match wanted.kind.as_str() {
        "counter" => {
            let count = found(read_count(state, &wanted.slug).await)?;
            EmbeddedWidget {
                data: json(count.as_ref()),
                html: render::counter(count, &wanted.ask),
                lang,
            }
        }
        "petition" => {
            let form = render::Form::default();
            let (html, data) = petition(state, &wanted.slug, &wanted.ask, partner, form).await?;
            EmbeddedWidget { html, lang, data }
        }
        "donate" => {
            let campaign =
                found(crate::donations::read_campaign(state, &wanted.slug, Some(&lang)).await)?;
            EmbeddedWidget {
                data: json(campaign.as_ref()),
                html: render::donate(
                    &wanted.slug,
                    campaign,
                    &wanted.ask,
                    state.public_url.as_str(),
                    page.to_owned(),
                ),
                lang,
            }
        }
        "updates" => {
            let query = crate::updates::ItemsQuery {
                limit: Some(wanted.ask.limit()),
                lang: Some(wanted.ask.feed_language()),
                ..Default::default()
            };
            let first = found(crate::updates::read_items(state, &wanted.slug, query).await)?;
            EmbeddedWidget {
                data: json(first.as_ref()),
                html: render::updates(&wanted.slug, first, &wanted.ask, state.public_url.as_str()),
                lang,
            }
        }
        "events" => {
            // No day named: every upcoming event.
            let day = Some(wanted.slug.as_str()).filter(|d| !d.is_empty());
            let lang = wanted.ask.feed_language();
            let first =
                found(crate::events::first_page(state, day, &lang, render::EVENTS_PER_PAGE).await)?;
            EmbeddedWidget {
                data: json(first.as_ref()),
                html: render::events(day, first, &wanted.ask, state.public_url.as_str()),
                lang: wanted.ask.language(),
            }
        }
        "signers" => {
            let query = crate::wall::WallQuery::default();
            let first = found(crate::wall::read(state, &wanted.slug, &query).await)?;
            let count = match first {
                Some(_) => found(read_count(state, &wanted.slug).await)?,
                None => None,
            };
            // The count travels with the wall, so the widget takes over
            // without reading it again.
            let mut data = json(first.as_ref());
            if let serde_json::Value::Object(fields) = &mut data {
                fields.insert("count".into(), json(count.as_ref()));
            }
            EmbeddedWidget {
                data,
                html: render::signers(
                    &wanted.slug,
                    first,
                    count,
                    &wanted.ask,
                    state.public_url.as_str(),
                ),
                lang,
            }
        }
        "signup" => {
            let list = found(crate::signup::read(state, &wanted.slug).await)?;
            EmbeddedWidget {
                data: json(list.as_ref()),
                html: render::signup(&wanted.slug, list, &wanted.ask),
                lang,
            }
        }
        "storm" => {
            let storm = found(crate::storm::read(state, &wanted.slug, Some(&lang)).await)?;
            EmbeddedWidget {
                data: json(storm.as_ref()),
                html: render::storm(&wanted.slug, storm, &wanted.ask, state.public_url.as_str()),
                lang,
            }
        }
        "resources" => {
            // Every language's items: each file is shown in the reader's
            // language by its alternates.
            let query = crate::updates::ItemsQuery {
                limit: Some(render::RESOURCES_ITEMS),
                ..Default::default()
            };
            let first = found(crate::updates::read_items(state, &wanted.slug, query).await)?;
            EmbeddedWidget {
                data: json(first.as_ref()),
                html: render::resources(
                    &wanted.slug,
                    first,
                    &wanted.ask,
                    state.public_url.as_str(),
                ),
                lang,
            }
        }
        // A kind this Chorus does not know: the bundle says so.
        _ => EmbeddedWidget {
            lang,
            ..Default::default()
        },
    })
}

/// A petition widget's HTML, and the petition it shows as JSON (`null`
/// when there is no such petition) with the countries its form offers, for
/// the embed answer and the frame page.
pub async fn petition(
    state: &AppState,
    slug: &str,
    ask: &Ask,
    partner: Option<&str>,
    form: render::Form,
) -> Result<(String, serde_json::Value), ApiError> {
    let query = PetitionQuery {
        lang: Some(ask.language()),
        partner: partner.map(str::to_owned),
    };
    let petition = found(read_petition(state, slug, &query).await)?;
    let countries = render::countries(ask);
    let mut data = json(petition.as_ref());
    if let serde_json::Value::Object(fields) = &mut data {
        fields.insert("countries".into(), serde_json::json!(countries));
    }
    let html = render::petition(
        slug,
        petition,
        countries,
        ask,
        partner.map(str::to_owned),
        form,
    );
    Ok((html, data))
}

/// A wire type as JSON, or `null` where there is none.
fn json(value: Option<&impl Serialize>) -> serde_json::Value {
    value
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_named_by_kind_slug_languages_and_theme() {
        let wanted =
            Wanted::parse("petition:protect-defenders:fr-CA,fr:dark").expect("well formed");
        assert_eq!(wanted.kind, "petition");
        assert_eq!(wanted.slug, "protect-defenders");
        assert_eq!(wanted.ask.languages, ["fr-CA", "fr"]);
        assert_eq!(wanted.ask.theme.as_deref(), Some("dark"));
        let feed = Wanted::parse("updates:news:en::3:compact").expect("a feed's options");
        assert_eq!(feed.ask.limit.as_deref(), Some("3"));
        assert_eq!(feed.ask.layout.as_deref(), Some("compact"));
        assert_eq!(feed.ask.theme, None);
        let bare = Wanted::parse("counter:p").expect("defaults");
        assert!(bare.ask.languages.is_empty() && bare.ask.theme.is_none());
    }

    #[test]
    fn a_malformed_name_is_refused() {
        assert_eq!(Wanted::parse(""), None);
        assert_eq!(Wanted::parse("counter"), None);
        assert_eq!(Wanted::parse("counter:p:en:dark:5:compact:extra"), None);
    }
}
