//! The demo's social-media storm: Migrants Day at 17:00 UTC on the next 18
//! December, sharing the demo partner's page, with messages in English,
//! French and Spanish (a few variants each, and one for Bluesky alone).

use crate::ident::{Origin, Slug};
use crate::storage::{Store, now_millis};
use crate::storm::plan::{MessageInput, StormInput, TextsInput};

pub const STORM_SLUG: &str = "migrants-day-2026";

/// A message, for one platform (`Some`) or every one.
type Message = (Option<&'static str>, &'static str);

/// Each language's title and messages.
const TEXTS: [(&str, &str, &[Message]); 3] = [
    (
        "en",
        "Migrants Day storm: ratify the convention",
        &[
            (
                None,
                "Every migrant worker has rights. It is time to ratify the UN Migrant Workers Convention.",
            ),
            (
                None,
                "Decent work, fair pay, family life: the Migrant Workers Convention protects them. Ratify it now.",
            ),
            (
                None,
                "Millions keep our economies running. Protect their rights: ratify the Migrant Workers Convention.",
            ),
            (
                Some("bluesky"),
                "On International Migrants Day we ask our government one thing: ratify the Migrant Workers Convention.",
            ),
        ],
    ),
    (
        "fr",
        "Tempête de la Journée des migrants : ratifiez la convention",
        &[
            (
                None,
                "Chaque travailleur migrant a des droits. Il est temps de ratifier la Convention des Nations unies sur les travailleurs migrants.",
            ),
            (
                None,
                "Travail décent, salaire juste, vie de famille : la Convention sur les travailleurs migrants les protège. Ratifiez-la.",
            ),
            (
                None,
                "Des millions de personnes font tourner nos économies. Protégeons leurs droits : ratifions la Convention.",
            ),
        ],
    ),
    (
        "es",
        "Tormenta del Día del Migrante: ratifiquen la convención",
        &[
            (
                None,
                "Toda persona trabajadora migrante tiene derechos. Es hora de ratificar la Convención de la ONU sobre trabajadores migratorios.",
            ),
            (
                None,
                "Trabajo digno, salario justo, vida en familia: la Convención sobre trabajadores migratorios los protege. Ratifíquenla ya.",
            ),
            (
                None,
                "Millones sostienen nuestras economías. Protejamos sus derechos: ratifiquemos la Convención.",
            ),
        ],
    ),
];

/// The next 18 December at 17:00 UTC, from `now`.
fn next_migrants_day(now: i64) -> anyhow::Result<i64> {
    let now = jiff::Timestamp::from_millisecond(now)?;
    let year = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    for year in [year, year + 1] {
        let at = jiff::civil::date(year, 12, 18)
            .at(17, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)?
            .timestamp();
        if at > now {
            return Ok(at.as_millisecond());
        }
    }
    anyhow::bail!("no 18 December ahead")
}

pub async fn seed(
    store: &dyn Store,
    organisation_id: i64,
    partner_origin: &Origin,
) -> anyhow::Result<()> {
    let slug = Slug::parse(STORM_SLUG).map_err(anyhow::Error::msg)?;
    if store.storm_by_slug(&slug).await?.is_some() {
        return Ok(());
    }
    let starts_at = next_migrants_day(now_millis())?;
    let input = StormInput {
        starts_at: crate::storage::rfc3339(starts_at).unwrap_or_default(),
        minutes: 60,
        lang: "en".into(),
        hashtags: vec!["MigrantsDay".into(), "RatifyTheConvention".into()],
        link: format!("{partner_origin}/"),
        texts: TEXTS
            .iter()
            .map(|(lang, title, messages)| TextsInput {
                lang: (*lang).into(),
                title: (*title).into(),
                messages: messages
                    .iter()
                    .map(|(platform, text)| MessageInput {
                        platform: platform.map(str::to_owned),
                        text: (*text).into(),
                    })
                    .collect(),
            })
            .collect(),
    };
    crate::storm::admin::create(store, organisation_id, STORM_SLUG, &input).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_storm_is_on_the_next_migrants_day() {
        let at = |text: &str| {
            text.parse::<jiff::Timestamp>()
                .expect("an instant")
                .as_millisecond()
        };
        let next = |now: &str| next_migrants_day(at(now)).ok();
        assert_eq!(
            next("2026-12-07T14:00:00Z"),
            Some(at("2026-12-18T17:00:00Z"))
        );
        assert_eq!(
            next("2026-12-18T17:00:00Z"),
            Some(at("2027-12-18T17:00:00Z"))
        );
        assert_eq!(
            next("2027-01-02T00:00:00Z"),
            Some(at("2027-12-18T17:00:00Z"))
        );
    }
}
