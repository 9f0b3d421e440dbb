//! The demo's toolkit for Migrants Day: a flyer in English with its
//! Spanish alternate, and a tip sheet for the storm, made here as PDFs
//! (set as Chorus sets a hand-in) and attached to one item of the demo
//! feed, as an organiser would with `chorus update attach`.

use crate::handin::Line;
use crate::handin::pdf;
use crate::storage::{ItemRecord, Store};
use crate::updates::attachments::{Upload, check};
use crate::updates::item::{ItemDraft, check as check_item};

/// The file's title, language, name and lines.
type Flyer = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const FLYER_EN: Flyer = (
    "Flyer: ratify the convention (English)",
    "en",
    "flyer-en.pdf",
    &[
        "Ratify the Migrant Workers Convention",
        "International Migrants Day, 18 December",
        "Every migrant worker has rights: decent work, fair pay, a family life.",
        "Sign the petition and join the storm at 17:00 UTC.",
    ],
);

const FLYER_ES: Flyer = (
    "Volante: ratifiquen la convención (español)",
    "es",
    "volante-es.pdf",
    &[
        "Ratifiquen la Convención sobre los Trabajadores Migratorios",
        "Día Internacional del Migrante, 18 de diciembre",
        "Toda persona trabajadora migrante tiene derechos: trabajo digno, salario justo, vida familiar.",
        "Firma la petición y únete a la acción en redes a las 17:00 UTC.",
    ],
);

const TIP_SHEET: Flyer = (
    "Storm tip sheet (English)",
    "en",
    "storm-tips.pdf",
    &[
        "Five tips for the storm",
        "Post at the hour, with the hashtags.",
        "Use your own words: a message in your voice travels further.",
        "Reply to and repost the coalition's partners.",
        "Tag your representatives.",
        "Never share anyone's photo or name without their consent.",
    ],
);

/// The flyer's PDF: its first line as the title, the second as a
/// heading, the rest as text.
fn render((title, _, _, lines): Flyer) -> Vec<u8> {
    let blocks = lines
        .iter()
        .enumerate()
        .map(|(i, line)| match i {
            0 => Line::Title((*line).into()),
            1 => Line::Heading((*line).into()),
            _ => Line::Text((*line).into()),
        })
        .collect();
    pdf::document(title, blocks)
}

async fn attach(
    store: &dyn Store,
    item: &ItemRecord,
    flyer: Flyer,
    alternate_of: Option<i64>,
) -> anyhow::Result<i64> {
    let (title, lang, file_name, _) = flyer;
    let upload = Upload {
        item_id: item.id,
        alternate_of,
        title: title.into(),
        lang: lang.into(),
        file_name: file_name.into(),
        bytes: render(flyer),
    };
    let new = check(upload).map_err(anyhow::Error::msg)?;
    Ok(store.attach(&new).await?.id)
}

/// Posts the toolkit's item to feed `feed_id`, with its files.
pub async fn seed(store: &dyn Store, feed_id: i64) -> anyhow::Result<()> {
    let item = check_item(&ItemDraft {
        title: "Toolkit for 18 December: flyers and storm tips".into(),
        body_markdown: "Print the flyer for your vigil or stall, in English or Spanish, \
            and read the tip sheet before the storm at 17:00 UTC."
            .into(),
        tags: "toolkit".into(),
        lang: "en".into(),
        ..Default::default()
    })
    .map_err(anyhow::Error::msg)?;
    let item = store.post_item(feed_id, &item).await?;
    let flyer = attach(store, &item, FLYER_EN, None).await?;
    attach(store, &item, FLYER_ES, Some(flyer)).await?;
    attach(store, &item, TIP_SHEET, None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_flyer_is_a_pdf_chorus_accepts() {
        for flyer in [FLYER_EN, FLYER_ES, TIP_SHEET] {
            let bytes = render(flyer);
            assert_eq!(
                crate::updates::attachments::media_type(&bytes),
                Some("application/pdf")
            );
            assert!(bytes.len() < crate::updates::attachments::MAX_BYTES);
        }
    }
}
