//! Reading a page of a petition's wall from Chorus.

use chorus_wire::wall::{CountryCount, ListedOrganisation, ListedPerson, Wall};
use wasm_bindgen::JsValue;

use crate::client::{encode, field, field_list, field_text, request, request_fresh, whole};

/// Which part of the wall to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub search: String,
    pub organisations_after: Option<String>,
    pub people_after: Option<String>,
}

/// `Ok(None)`: Chorus has no such petition. `fresh` skips the browser's
/// cache, for a wall the live count says has changed.
pub async fn fetch(slug: &str, query: &Query, fresh: bool) -> Result<Option<Wall>, JsValue> {
    let mut path = format!(
        "/petitions/{}/signers?q={}",
        encode(slug),
        encode(&query.search)
    );
    for (name, value) in [
        ("organisations_after", &query.organisations_after),
        ("people_after", &query.people_after),
    ] {
        if let Some(value) = value {
            path += &format!("&{name}={}", encode(value));
        }
    }
    let answer = if fresh {
        request_fresh(&path).await?
    } else {
        request(&path, None).await?
    };
    match answer.status {
        404 => Ok(None),
        200 => Ok(Some(decode_wall(&answer.json))),
        status => Err(JsValue::from_str(&format!("HTTP {status}"))),
    }
}

fn text(value: &JsValue, name: &str) -> String {
    field_text(value, name).unwrap_or_default()
}

/// Field by field, like counts: no serde in the bundle. Also reads the
/// first page the server's rendering came with.
pub fn decode_wall(value: &JsValue) -> Wall {
    let count = |value: &JsValue, name: &str| field(value, name).and_then(whole);
    Wall {
        petition: text(value, "petition"),
        organisations: field_list(value, "organisations")
            .iter()
            .map(|o| ListedOrganisation {
                name: text(o, "name"),
                website: text(o, "website"),
                country: text(o, "country"),
                kind: text(o, "kind"),
                statement: text(o, "statement"),
                logo: field_text(o, "logo"),
            })
            .collect(),
        organisations_next: field_text(value, "organisations_next"),
        unnamed_organisations: count(value, "unnamed_organisations").unwrap_or(0),
        people: field_list(value, "people")
            .iter()
            .map(|p| ListedPerson {
                name: text(p, "name"),
                country: text(p, "country"),
            })
            .collect(),
        people_next: field_text(value, "people_next"),
        countries: field_list(value, "countries")
            .iter()
            .map(|c| CountryCount {
                country: text(c, "country"),
                organisations: count(c, "organisations"),
                people: count(c, "people"),
            })
            .collect(),
    }
}
