//! A logo an organisation uploads with its signature, as the widget sends
//! it (a `data:` URL). Chorus decodes it within limits and keeps its own
//! PNG of it, at most [`SIDE`] pixels a side: nothing of the uploaded file
//! is served (no metadata, no camera position, no script), and nothing
//! but a raster image gets through.

use std::io::Cursor;

use base64::Engine;
use chorus_wire::endorsements::LOGO_UPLOAD_MAX;
use chorus_wire::signing::Problem;
use image::{ImageFormat, ImageReader, Limits};

/// The longest side of a kept logo: the wall shows it small.
const SIDE: u32 = 256;
/// The largest picture decoded, so a small file cannot unpack into a
/// huge one.
const MAX_DECODED_SIDE: u32 = 4096;

/// The formats an upload may be in.
const FORMATS: [(&str, ImageFormat); 4] = [
    ("image/png", ImageFormat::Png),
    ("image/jpeg", ImageFormat::Jpeg),
    ("image/webp", ImageFormat::WebP),
    ("image/gif", ImageFormat::Gif),
];

/// Chorus's own PNG of an uploaded logo; the problem to report on
/// `logo_upload` otherwise.
pub fn reencode(data_url: &str) -> Result<Vec<u8>, Problem> {
    let rest = data_url.strip_prefix("data:").ok_or(Problem::Invalid)?;
    let (kind, encoded) = rest.split_once(";base64,").ok_or(Problem::Invalid)?;
    let format = FORMATS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(kind))
        .map(|(_, format)| *format)
        .ok_or(Problem::Invalid)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Problem::Invalid)?;
    if bytes.len() > LOGO_UPLOAD_MAX {
        return Err(Problem::TooLong);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| Problem::Invalid)?;
    let picture = if picture.width() > SIDE || picture.height() > SIDE {
        picture.thumbnail(SIDE, SIDE)
    } else {
        picture
    };
    let mut png = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| Problem::Invalid)?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_url(kind: &str, bytes: &[u8]) -> String {
        format!(
            "data:{kind};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 255]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(picture)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("encoded");
        out
    }

    #[test]
    fn a_large_logo_is_kept_as_chorus_own_small_png() {
        let kept = reencode(&data_url("image/png", &png(1000, 500))).expect("kept");
        let read = image::load_from_memory_with_format(&kept, ImageFormat::Png).expect("a PNG");
        assert_eq!((read.width(), read.height()), (256, 128));
    }

    #[test]
    fn anything_but_a_raster_image_is_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
        assert_eq!(
            reencode(&data_url("image/svg+xml", svg)),
            Err(Problem::Invalid)
        );
        assert_eq!(reencode(&data_url("image/png", svg)), Err(Problem::Invalid));
        assert_eq!(
            reencode("https://example.org/logo.png"),
            Err(Problem::Invalid)
        );
        let huge = vec![0_u8; LOGO_UPLOAD_MAX + 1];
        assert_eq!(
            reencode(&data_url("image/png", &huge)),
            Err(Problem::TooLong)
        );
    }
}
