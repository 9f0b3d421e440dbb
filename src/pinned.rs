//! Pinned copies of `embed.js` for partners who load it with Subresource
//! Integrity.
//!
//! SRI needs a file that never changes, while `/embed.js` changes with every
//! release. So at start-up Chorus copies the `embed.js` it serves (and its
//! compressed copies) into `DATA_DIR/embed/`, named by a digest of its
//! contents, and serves that folder at `/embed/`. A copy is never replaced,
//! and copies from earlier releases stay as long as the data directory does,
//! so a page pinned to one keeps working after an upgrade.

use std::path::{Path, PathBuf};

use axum::http::{HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha384};
use tower::Layer;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

/// A pinned copy never changes, so browsers and CDNs may keep it for a year.
const PINNED_CACHE: &str = "public, max-age=31536000, immutable";

/// The current `embed.js`, pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinnedEmbed {
    /// The copy's path under Chorus's origin: `/embed/{digest}.js`.
    pub path: String,
    /// The `integrity` attribute's value: `sha384-…`.
    pub integrity: String,
}

/// Where the pinned copies live in the data directory.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("embed")
}

/// Copies `assets/embed.js` (and `.br`, `.gz` beside it) into the pinned
/// folder under its digest. `None` when the assets hold no `embed.js`.
pub fn pin(assets: &Path, data_dir: &Path) -> std::io::Result<Option<PinnedEmbed>> {
    let script = match std::fs::read(assets.join("embed.js")) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let digest = Sha384::digest(&script);
    // 96 bits of the digest name the file; the whole digest checks it.
    let name = hex::encode(&digest[..12]);
    let folder = folder(data_dir);
    std::fs::create_dir_all(&folder)?;
    for suffix in ["", ".br", ".gz"] {
        let from = assets.join(format!("embed.js{suffix}"));
        let to = folder.join(format!("{name}.js{suffix}"));
        if from.exists() && !to.exists() {
            // Written under a temporary name first: a crash never leaves a
            // half-written copy under the final one.
            let partial = folder.join(format!(".{name}.js{suffix}.partial"));
            std::fs::copy(&from, &partial)?;
            std::fs::rename(&partial, &to)?;
        }
    }
    Ok(Some(PinnedEmbed {
        path: format!("/embed/{name}.js"),
        integrity: format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        ),
    }))
}

/// Serves the pinned folder: compressed copies where the browser takes them,
/// cached as immutable, loadable from any partner's page.
pub fn service(
    data_dir: &Path,
) -> SetResponseHeader<SetResponseHeader<ServeDir, HeaderValue>, HeaderValue> {
    let files = ServeDir::new(folder(data_dir))
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let cached = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PINNED_CACHE),
    )
    .layer(files);
    SetResponseHeaderLayer::overriding(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    )
    .layer(cached)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_release_keeps_its_own_copy_and_a_copy_is_never_replaced() {
        let assets = tempfile::tempdir().expect("temp dir");
        let data = tempfile::tempdir().expect("temp dir");
        std::fs::write(assets.path().join("embed.js"), "console.log(1);").expect("written");
        let first = pin(assets.path(), data.path())
            .expect("pinned")
            .expect("embed.js");
        assert!(first.integrity.starts_with("sha384-"));
        assert_eq!(
            pin(assets.path(), data.path()).expect("pinned"),
            Some(first.clone())
        );

        std::fs::write(assets.path().join("embed.js"), "console.log(2);").expect("written");
        let second = pin(assets.path(), data.path())
            .expect("pinned")
            .expect("embed.js");
        assert_ne!(second, first);
        let read = |p: &PinnedEmbed| {
            let name = p.path.trim_start_matches("/embed/");
            std::fs::read_to_string(folder(data.path()).join(name)).expect("copy kept")
        };
        assert_eq!(read(&first), "console.log(1);");
        assert_eq!(read(&second), "console.log(2);");
    }

    #[test]
    fn nothing_is_pinned_without_an_embed_script() {
        let empty = tempfile::tempdir().expect("temp dir");
        assert_eq!(pin(empty.path(), empty.path()).expect("no error"), None);
    }
}
