//! The hand-in as one self-contained HTML page, laid out for A4 print: no
//! script, no outside resource, everything escaped.

use html_escape::encode_text;

use super::{HandIn, Line};

const STYLE: &str = "@page { size: A4; margin: 20mm; }
body { font: 11pt/1.45 'DejaVu Sans', system-ui, sans-serif; color: #111; max-width: 170mm; margin: 0 auto; }
h1 { font-size: 20pt; margin: 0 0 8pt; }
h2 { font-size: 14pt; margin: 16pt 0 4pt; border-bottom: 1px solid #999; }
h3 { font-size: 12pt; margin: 12pt 0 2pt; break-after: avoid; }
p.small { color: #555; font-size: 9pt; }
ul { margin: 2pt 0 6pt; }
p.names { font-size: 9.5pt; }";

pub fn render(hand_in: &HandIn) -> anyhow::Result<String> {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n",
        encode_text(&hand_in.lang),
        encode_text(&hand_in.title)
    );
    let mut in_list = false;
    for line in hand_in.lines() {
        let is_item = matches!(line, Line::Item(_));
        if in_list && !is_item {
            html.push_str("</ul>\n");
        }
        if is_item && !in_list {
            html.push_str("<ul>\n");
        }
        in_list = is_item;
        let (open, close, text) = match &line {
            Line::Title(t) => ("<h1>", "</h1>", t),
            Line::Heading(t) => ("<h2>", "</h2>", t),
            Line::Subheading(t) => ("<h3>", "</h3>", t),
            Line::Text(t) => ("<p>", "</p>", t),
            Line::Item(t) => ("<li>", "</li>", t),
            Line::Names(t) => ("<p class=\"names\">", "</p>", t),
            Line::Small(t) => ("<p class=\"small\">", "</p>", t),
        };
        html.push_str(open);
        html.push_str(&encode_text(text));
        html.push_str(close);
        html.push('\n');
    }
    if in_list {
        html.push_str("</ul>\n");
    }
    html.push_str("</body>\n</html>\n");
    Ok(html)
}
