//! The wall of signatories: `GET /api/v1/petitions/{slug}/signers`, what
//! the `signers` widget shows. Approved organisations that may be named
//! (searchable, paged), the individuals who chose to be listed and
//! confirmed by email (paged), and a breakdown by country.
//!
//! Safety first: names are built by the server ([`names`]); a name appears
//! only when the batch its confirmation fell in closes, in random order
//! within it, so no one can match a listed name to the moment someone
//! signed; the organiser can hide every name from chosen countries; and a
//! country's count below ten shows as "fewer than ten".

pub mod cli;
pub mod logo;
pub mod names;
pub mod unlist;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chorus_wire::wall::{CountryCount, ListedOrganisation, ListedPerson, Wall, shown};
use serde::Deserialize;

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::storage::{Millis, PeopleCursor, now_millis};

/// How long a batch of new names waits before it shows.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct WallConfig {
    /// Seconds in a batch of new names on walls of signatories: a name
    /// shows when the batch its signer's confirmation fell in closes.
    #[arg(long, env = "CHORUS_WALL_BATCH_SECS", default_value_t = 15 * 60,
          value_parser = clap::value_parser!(u64).range(1..=24 * 60 * 60))]
    pub wall_batch_secs: u64,
}

impl WallConfig {
    /// When a name confirmed at `at` may show: the end of its batch.
    pub fn listed_from(&self, at: Millis) -> Millis {
        let batch = Millis::try_from(self.wall_batch_secs).unwrap_or(900) * 1000;
        (at.div_euclid(batch) + 1) * batch
    }
}

/// Items per page of either list.
const PAGE: u32 = 50;
const SEARCH_MAX: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/petitions/{slug}/signers", get(show))
        .merge(logo::router())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WallQuery {
    /// Organisations whose name contains this.
    pub q: String,
    /// Where the next page of organisations starts.
    organisations_after: Option<String>,
    /// Where the next page of people starts.
    people_after: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<WallQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let wall = read(&state, &slug, &query).await?;
    // A new batch shows within a minute of closing for every reader.
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=60")],
        axum::Json(wall),
    ))
}

/// The page of the wall `query` asks for: also what the server renders the
/// `signers` widget from.
pub async fn read(state: &AppState, slug: &str, query: &WallQuery) -> Result<Wall, ApiError> {
    let campaign = crate::petitions::find(&state.directory, slug).await?;
    let petition = &campaign.record;
    let search = query.q.trim();
    if search.chars().count() > SEARCH_MAX {
        return Err(ApiError::bad_request(
            "search_too_long",
            "search for at most 100 characters",
        ));
    }
    let organisations_after = parse_cursor(query.organisations_after.as_deref(), |c| {
        c.parse::<i64>().ok()
    })?;
    let people_after = parse_cursor(query.people_after.as_deref(), people_cursor)?;
    let first_page = organisations_after.is_none() && people_after.is_none();
    let store = &state.store;
    let settings = store.wall_settings(petition.id).await?;
    let organisations = store
        .listed_organisations(
            petition.id,
            Some(search).filter(|s| !s.is_empty()),
            organisations_after,
            PAGE + 1,
        )
        .await?;
    let people = store
        .listed_people(petition.id, now_millis(), people_after, PAGE + 1)
        .await?;
    let (organisations, organisations_next) = page(organisations, |o| o.id.to_string());
    let (people, people_next) = page(people, |p| {
        format!("{}.{}", p.cursor.listed_from, p.cursor.shuffle)
    });
    let wall = Wall {
        petition: petition.slug.to_string(),
        organisations: organisations
            .into_iter()
            .map(|o| ListedOrganisation {
                logo: o
                    .has_logo
                    .then(|| logo::address(state, petition.slug.as_str(), o.id)),
                name: o.name,
                website: o.website,
                country: o.country,
                kind: o.kind,
                statement: o.statement,
            })
            .collect(),
        organisations_next,
        unnamed_organisations: store.unnamed_organisations(petition.id).await?,
        people: people
            .into_iter()
            .map(|p| ListedPerson {
                name: names::shown(&p.first_name, &p.initial, &p.city, &settings),
                country: p.country,
            })
            .collect(),
        people_next,
        countries: if first_page {
            store.signatories_by_country(petition.id).await?
        } else {
            Vec::new()
        }
        .into_iter()
        .map(|c| CountryCount {
            country: c.country,
            organisations: shown(c.organisations),
            people: shown(c.people),
        })
        .collect(),
    };
    Ok(wall)
}

/// A page of at most [`PAGE`] rows, and the cursor after it if more follow.
fn page<T>(mut rows: Vec<T>, cursor: impl Fn(&T) -> String) -> (Vec<T>, Option<String>) {
    let more = rows.len() > PAGE as usize;
    rows.truncate(PAGE as usize);
    let next = more.then(|| rows.last().map(cursor)).flatten();
    (rows, next)
}

fn parse_cursor<T>(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    raw.map(|c| {
        parse(c).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "this page's cursor is not one Chorus gave",
            )
        })
    })
    .transpose()
}

fn people_cursor(raw: &str) -> Option<PeopleCursor> {
    let (listed_from, shuffle) = raw.split_once('.')?;
    Some(PeopleCursor {
        listed_from: listed_from.parse().ok()?,
        shuffle: shuffle.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_shows_when_its_batch_closes() {
        let wall = WallConfig {
            wall_batch_secs: 900,
        };
        let batch = 900_000;
        assert_eq!(wall.listed_from(0), batch);
        assert_eq!(wall.listed_from(batch - 1), batch);
        assert_eq!(wall.listed_from(batch), 2 * batch);
        assert_eq!(wall.listed_from(7 * batch + 12), 8 * batch);
    }

    #[test]
    fn only_cursors_chorus_gave_are_read() {
        assert_eq!(
            people_cursor("1800000.42"),
            Some(PeopleCursor {
                listed_from: 1_800_000,
                shuffle: 42
            })
        );
        assert_eq!(people_cursor("1800000"), None);
        assert_eq!(people_cursor("a.b"), None);
    }
}
