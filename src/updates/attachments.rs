//! Files attached to feed items: flyers, posters and tip sheets, each in a
//! language, alternates of one file in others. Chorus keeps and serves the
//! files itself (in the database: see migration `0017_attachments`):
//!
//! - the type is read from the file's own bytes (PDF, PNG, JPEG, WebP),
//!   never from its name or what the uploader declared;
//! - at most [`MAX_BYTES`];
//! - served at `/api/v1/files/{sha256}/{name}`: the address changes when
//!   the bytes do, so it is cached for a year, and the SHA-256 the page
//!   shows lets a partner check the flyer was not altered. Nothing in it
//!   is about the reader.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chorus_wire::updates::Attachment;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::Path;
use crate::ident::Lang;
use crate::storage::{AttachedFile, AttachmentRecord, NewAttachment};

/// A flyer or poster in print quality, not a video.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
pub const TITLE_MAX: usize = 120;
const FILE_CACHE: &str = "public, max-age=31536000, immutable";

/// Under the API prefix.
pub fn router() -> Router<AppState> {
    Router::new().route("/files/{sha256}/{name}", get(serve))
}

/// A file's type by its first bytes; `None` for any type Chorus does not
/// keep.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    match image::guess_format(bytes).ok()? {
        image::ImageFormat::Png => Some("image/png"),
        image::ImageFormat::Jpeg => Some("image/jpeg"),
        image::ImageFormat::WebP => Some("image/webp"),
        _ => None,
    }
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "webp",
    }
}

/// A file name safe in a header and on any disk, from `given` (accents
/// dropped, anything but letters, digits, `-` and `_` made `-`), with the
/// extension of its type.
pub fn safe_file_name(given: &str, media_type: &str) -> String {
    let stem = given
        .rsplit_once('.')
        .filter(|(_, ext)| ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .map_or(given, |(stem, _)| stem);
    let mut name = String::new();
    for c in crate::ident::fold(stem).chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name: String = name.trim_matches('-').chars().take(80).collect();
    let name = if name.is_empty() {
        "file".to_owned()
    } else {
        name
    };
    format!("{name}.{}", extension(media_type))
}

/// A file as an organiser uploads it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub item_id: i64,
    pub alternate_of: Option<i64>,
    pub title: String,
    pub lang: String,
    /// The name it had on the organiser's computer: only for the name it
    /// is downloaded under.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// `upload` checked, or what is wrong with it in the organiser's words.
pub fn check(upload: Upload) -> Result<NewAttachment, String> {
    if upload.bytes.len() > MAX_BYTES {
        return Err(format!(
            "the file is {} KB; attachments are at most {} KB",
            upload.bytes.len() / 1024,
            MAX_BYTES / 1024
        ));
    }
    let media_type = media_type(&upload.bytes)
        .ok_or("the file is not a PDF, PNG, JPEG or WebP (read from its bytes, not its name)")?;
    if let Some(problem) = chorus_wire::events::check_text(&upload.title, true, TITLE_MAX) {
        return Err(match problem {
            chorus_wire::signing::Problem::Required => "give the file a title".into(),
            chorus_wire::signing::Problem::TooLong => {
                format!("a title has at most {TITLE_MAX} characters")
            }
            _ => "the title has control or invisible characters".into(),
        });
    }
    let lang = Lang::parse(&upload.lang)?;
    let sha256 = hex::encode(Sha256::digest(&upload.bytes));
    Ok(NewAttachment {
        item_id: upload.item_id,
        alternate_of: upload.alternate_of,
        title: upload.title.trim().to_owned(),
        lang,
        file_name: safe_file_name(&upload.file_name, media_type),
        file: AttachedFile::Kept {
            bytes: upload.bytes,
            media_type: media_type.to_owned(),
            sha256,
        },
    })
}

/// An attachment as the widgets and feeds show it.
pub fn to_wire(attachment: &AttachmentRecord, origin: &str) -> Attachment {
    let url = match (&attachment.sha256, &attachment.source_url) {
        (Some(sha256), _) => format!(
            "{origin}{}/files/{sha256}/{}",
            chorus_wire::API_PREFIX,
            attachment.file_name
        ),
        (None, Some(source)) => source.clone(),
        (None, None) => String::new(),
    };
    Attachment {
        id: attachment.id,
        group: attachment.group_id,
        title: attachment.title.clone(),
        lang: attachment.lang.to_string(),
        media_type: attachment.media_type.clone(),
        length: attachment.length,
        url,
        sha256: attachment.sha256.clone(),
    }
}

async fn serve(
    State(state): State<AppState>,
    Path((sha256, name)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let missing = || ApiError::NotFound("no such file".into());
    let hex_digest = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !hex_digest {
        return Err(missing());
    }
    let (media_type, bytes) = state
        .store
        .attachment_file(&sha256)
        .await?
        .ok_or_else(missing)?;
    let file_name = safe_file_name(&name, &media_type);
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, FILE_CACHE.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::ETAG, format!("\"{sha256}\"")),
            // Opened in a tab rather than saved, a file runs nothing and
            // loads nothing: an image or a PDF needs neither.
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'".to_owned(),
            ),
            // Linked from partner pages, which are other sites.
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin".to_owned(),
            ),
        ],
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_is_read_from_the_bytes() {
        assert_eq!(media_type(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            media_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(
            media_type(b"\xff\xd8\xff\xe0\0\x10JFIF"),
            Some("image/jpeg")
        );
        assert_eq!(media_type(b"RIFF\x24\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(media_type(b"GIF89a"), None);
        assert_eq!(
            media_type(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            None
        );
        assert_eq!(media_type(b"<html><body>%PDF-"), None);
    }

    #[test]
    fn file_names_are_safe_whatever_was_given() {
        assert_eq!(
            safe_file_name("Volante (español).PDF", "application/pdf"),
            "volante-espanol.pdf"
        );
        assert_eq!(
            safe_file_name("../../etc/passwd", "image/png"),
            "etc-passwd.png"
        );
        assert_eq!(
            safe_file_name("\"; evil=\"x.exe", "image/jpeg"),
            "evil-x.jpg"
        );
        assert_eq!(safe_file_name("", "image/webp"), "file.webp");
        assert_eq!(safe_file_name("flyer.exe", "application/pdf"), "flyer.pdf");
    }
}
