//! Filling `{name}` placeholders in a message or template, the one way both
//! sides do it: in one pass, so a value that happens to contain `{...}` is
//! never read as a placeholder itself.

/// `template` with each `{name}` replaced by `value(name)`. A name `value`
/// does not know (`None`) is left as written, braces and all.
pub fn fill<'a>(
    template: &str,
    value: impl Fn(&str) -> Option<std::borrow::Cow<'a, str>>,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let named = after
            .find('}')
            .map(|end| (end, &after[..end]))
            .filter(|(_, name)| !name.contains('{'))
            .and_then(|(end, name)| Some((end, value(name)?)));
        match named {
            Some((end, filled)) => {
                out.push_str(&filled);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`fill`] from a list of names and values.
pub fn fill_with(template: &str, values: &[(&str, &str)]) -> String {
    fill(template, |name| {
        values
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, value)| std::borrow::Cow::Owned((*value).to_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_one_pass() {
        assert_eq!(
            fill_with(
                "Hello {name}, sign {title}",
                &[("name", "{title}"), ("title", "X")]
            ),
            "Hello {title}, sign X"
        );
        assert_eq!(fill_with("{a}{a}", &[("a", "1")]), "11");
    }

    #[test]
    fn unknown_or_unclosed_placeholders_stay_as_written() {
        assert_eq!(fill_with("{unknown} {x", &[("x", "1")]), "{unknown} {x");
        assert_eq!(fill_with("{{x}}", &[("x", "1")]), "{1}");
        assert_eq!(fill_with("", &[]), "");
    }
}
