//! The hand-in as a PDF on A4 pages, in DejaVu Sans (embedded, so the
//! names signers write in Latin, Greek and Cyrillic letters print as
//! written), lines wrapped by the font's own glyph widths.

use printpdf::{
    Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::{HandIn, Line};

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;
const POINTS_PER_MM: f32 = 72.0 / 25.4;

/// How one kind of line is set: size, and space before it.
fn style(line: &Line) -> (f32, f32, f32) {
    // (size in points, space above in points, indent in mm)
    match line {
        Line::Title(_) => (20.0, 0.0, 0.0),
        Line::Heading(_) => (14.0, 14.0, 0.0),
        Line::Subheading(_) => (12.0, 10.0, 0.0),
        Line::Text(_) => (11.0, 4.0, 0.0),
        Line::Item(_) => (11.0, 1.0, 5.0),
        Line::Names(_) => (9.5, 2.0, 0.0),
        Line::Small(_) => (9.0, 4.0, 0.0),
    }
}

fn text(line: &Line) -> &str {
    match line {
        Line::Title(t)
        | Line::Heading(t)
        | Line::Subheading(t)
        | Line::Text(t)
        | Line::Item(t)
        | Line::Names(t)
        | Line::Small(t) => t,
    }
}

/// Widths of text in this font, for wrapping.
struct Measure<'a>(&'a ParsedFont);

impl Measure<'_> {
    /// The width of `text` at `size` points, in millimetres.
    fn width(&self, text: &str, size: f32) -> f32 {
        let font = self.0;
        let per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let units: f32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(u32::from(c))
                    .and_then(|g| font.get_glyph_width(g))
                    .map_or(per_em / 2.0, f32::from)
            })
            .sum();
        units / per_em * size / POINTS_PER_MM
    }

    /// `text` broken at spaces into lines at most `width` mm wide (a word
    /// wider than that stands alone).
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, size) > width && !current.is_empty() {
                lines.push(std::mem::replace(&mut current, word.to_owned()));
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }
}

pub fn render(hand_in: &HandIn) -> Vec<u8> {
    document(&hand_in.title, hand_in.lines())
}

/// `lines` set on A4 pages as a hand-in is: Chorus's other printed
/// documents (the demo's flyers) share its type and wrapping.
pub fn document(title: &str, lines: Vec<Line>) -> Vec<u8> {
    let font = ParsedFont::from_bytes(dejavu::sans::regular(), 0, &mut Vec::new())
        .expect("DejaVu Sans parses");
    let mut doc = PdfDocument::new(title);
    let font_id = doc.add_font(&font);
    let measure = Measure(&font);
    let mut pages = Vec::new();
    let mut ops = Vec::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for line in lines {
        let (size, above, indent) = style(&line);
        let leading = size * 1.35 / POINTS_PER_MM;
        let width = PAGE_WIDTH - 2.0 * MARGIN - indent;
        let prefix = if matches!(line, Line::Item(_)) {
            "• "
        } else {
            ""
        };
        y -= above / POINTS_PER_MM;
        for (i, wrapped) in measure
            .wrap(&format!("{prefix}{}", text(&line)), size, width)
            .into_iter()
            .enumerate()
        {
            if y - leading < MARGIN {
                pages.push(PdfPage::new(
                    Mm(PAGE_WIDTH),
                    Mm(PAGE_HEIGHT),
                    std::mem::take(&mut ops),
                ));
                y = PAGE_HEIGHT - MARGIN;
            }
            y -= leading;
            // A wrapped item's later lines align with its text, past the bullet.
            let x = MARGIN
                + indent
                + if i > 0 && !prefix.is_empty() {
                    3.0
                } else {
                    0.0
                };
            ops.extend([
                Op::StartTextSection,
                Op::SetTextCursor {
                    pos: Point::new(Mm(x), Mm(y)),
                },
                Op::SetFont {
                    font: PdfFontHandle::External(font_id.clone()),
                    size: Pt(size),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(wrapped)],
                },
                Op::EndTextSection,
            ]);
        }
    }
    pages.push(PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops));
    doc.with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}
