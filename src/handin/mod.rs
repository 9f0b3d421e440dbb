//! `chorus petition hand-in SLUG`: the document a delegation hands to a UN
//! meeting or a ministry. The petition's text, the totals, organisations
//! by country and individuals' counts by country, with names only where
//! people chose to be listed, as a print-ready HTML page and as a PDF.
//!
//! It shows nothing the wall does not: the same names built by the server,
//! the same hidden countries, the same counts held back below ten. Nothing
//! sealed is opened to make it.

pub mod cli;
mod html;
pub mod pdf;
mod words;

use std::collections::BTreeMap;

use chorus_wire::wall::shown;

use crate::directory::Campaign;
use crate::storage::{EndorsementStatus, Store, StoreResult, now_millis};
use words::{Words, words};

/// Everything the document says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandIn {
    pub lang: String,
    pub title: String,
    pub summary: String,
    /// Plain paragraphs.
    pub body: Vec<String>,
    /// The UTC date it was made.
    pub prepared: String,
    pub people: u64,
    pub organisations: u64,
    /// By country name, in the document's language.
    pub countries: Vec<CountrySection>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountrySection {
    pub name: String,
    /// Named organisations: (name, kind in words).
    pub organisations: Vec<(String, String)>,
    pub unnamed_organisations: u64,
    /// Counted individuals; `None`: fewer than ten.
    pub people: Option<u64>,
    /// Those who chose to be listed, as the wall shows them.
    pub names: Vec<String>,
}

/// Gathers the document of a petition, in `lang` where the petition has
/// its text in it.
pub async fn gather(store: &dyn Store, campaign: &Campaign, lang: &str) -> StoreResult<HandIn> {
    let petition = &campaign.record;
    let wanted = crate::ident::Lang::parse(lang).ok();
    let text = crate::ident::pick_text(&campaign.texts, wanted.as_ref(), &petition.default_lang);
    let lang = text.map_or(lang.to_owned(), |t| t.lang.to_string());
    let words = words(&lang);
    let settings = store.wall_settings(petition.id).await?;
    let hidden = |country: &str| settings.hidden_countries.iter().any(|c| c == country);

    let mut by_code: BTreeMap<String, CountrySection> = BTreeMap::new();
    for row in store.signatories_by_country(petition.id).await? {
        by_code.entry(row.country).or_default().people = shown(row.people);
    }
    let approved = store
        .endorsements(petition.id, Some(EndorsementStatus::Approved))
        .await?;
    for e in &approved {
        let section = by_code.entry(e.public.country.clone()).or_default();
        if e.public.unnamed || hidden(&e.public.country) {
            section.unnamed_organisations += 1;
        } else {
            section.organisations.push((
                e.public.organisation.clone(),
                words.kind(&e.public.kind).to_owned(),
            ));
        }
    }
    let now = now_millis();
    let mut after = None;
    loop {
        let page = store.listed_people(petition.id, now, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.cursor);
        for person in &page {
            let name = crate::wall::names::shown(
                &person.first_name,
                &person.initial,
                &person.city,
                &settings,
            );
            by_code
                .entry(person.country.clone())
                .or_default()
                .names
                .push(name);
        }
    }
    let codes: Vec<&str> = by_code.keys().map(String::as_str).collect();
    let named = chorus_widgets::render::country_names(&lang, &codes);
    let countries = named
        .into_iter()
        .filter_map(|(code, name)| {
            let mut section = by_code.get(&code)?.clone();
            section.name = name;
            section.organisations.sort();
            section.names.sort();
            Some(section)
        })
        .collect();
    let people = store
        .tally_since(0)
        .await?
        .tallies
        .iter()
        .find(|t| t.petition_id == petition.id)
        .map_or(0, |t| u64::try_from(t.change).unwrap_or(0));
    Ok(HandIn {
        lang: words.lang.to_owned(),
        title: text.map(|t| t.title.clone()).unwrap_or_default(),
        summary: text.map(|t| t.summary.clone()).unwrap_or_default(),
        body: text
            .map(|t| {
                t.body
                    .split("\n\n")
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        prepared: crate::storage::rfc3339(now)
            .map(|t| t[..10].to_owned())
            .unwrap_or_default(),
        people,
        organisations: approved.len() as u64,
        countries,
    })
}

impl HandIn {
    fn words(&self) -> &'static Words {
        words(&self.lang)
    }

    /// The document as a print-ready HTML page.
    pub fn html(&self) -> anyhow::Result<String> {
        html::render(self)
    }

    /// The document as a PDF.
    pub fn pdf(&self) -> Vec<u8> {
        pdf::render(self)
    }

    /// The document's lines as both renderings lay them out, in order.
    fn lines(&self) -> Vec<Line> {
        let w = self.words();
        let mut lines = vec![
            Line::Title(self.title.clone()),
            Line::Text(self.summary.clone()),
        ];
        lines.extend(self.body.iter().cloned().map(Line::Text));
        lines.push(Line::Small(Words::with(w.prepared, &self.prepared)));
        lines.push(Line::Heading(w.totals.to_owned()));
        lines.push(Line::Text(Words::with(w.people_total, self.people)));
        lines.push(Line::Text(Words::with(
            w.organisations_total,
            self.organisations,
        )));
        lines.push(Line::Heading(w.by_country.to_owned()));
        for country in &self.countries {
            lines.push(Line::Subheading(country.name.clone()));
            let people = country
                .people
                .map_or_else(|| w.fewer_than_ten.to_owned(), |n| n.to_string());
            lines.push(Line::Text(format!("{}: {people}", w.people)));
            if !country.organisations.is_empty() || country.unnamed_organisations > 0 {
                lines.push(Line::Text(format!("{}:", w.organisations)));
                for (name, kind) in &country.organisations {
                    lines.push(Line::Item(format!("{name} ({kind})")));
                }
                match country.unnamed_organisations {
                    0 => {}
                    1 => lines.push(Line::Item(w.unnamed_one.to_owned())),
                    n => lines.push(Line::Item(Words::with(w.unnamed, n))),
                }
            }
            if !country.names.is_empty() {
                lines.push(Line::Text(format!("{}:", w.listed)));
                lines.push(Line::Names(country.names.join(", ")));
            }
        }
        lines
    }
}

/// One block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Title(String),
    Heading(String),
    Subheading(String),
    Text(String),
    Item(String),
    Names(String),
    Small(String),
}
