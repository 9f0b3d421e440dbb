//! Formatting on the server, by ICU4X and its compiled CLDR data, so the
//! HTML Chorus sends reads as the browser's `Intl` would write it. Each
//! function here has a twin of the same name in `intl.rs`.
//!
//! A formatter that cannot be made for a tag (it never happens for a tag
//! `canonical` accepted) falls back to plain digits, like `intl.rs` does.

use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::experimental::relativetime::RelativeTimeFormatter;
use icu::experimental::relativetime::options::{Numeric, RelativeTimeFormatterOptions};
use icu::locale::Locale;
use icu::plurals::{PluralCategory, PluralRules};
use writeable::Writeable;

use super::Unit;

fn locale(tag: &str) -> Locale {
    Locale::try_from_str(tag).unwrap_or(Locale::UNKNOWN)
}

/// `tag` in canonical form (`fr-ca` → `fr-CA`), or `None` when it is not
/// a well-formed BCP 47 tag, as `Intl.getCanonicalLocales` decides.
pub fn canonical(tag: &str) -> Option<String> {
    Locale::try_from_str(tag).ok().map(|l| l.to_string())
}

pub fn number(tag: &str, n: u64) -> String {
    match DecimalFormatter::try_new(locale(tag).into(), Default::default()) {
        Ok(formatter) => formatter
            .format(&Decimal::from(n))
            .write_to_string()
            .into_owned(),
        Err(_) => n.to_string(),
    }
}

pub fn is_one(tag: &str, n: u64) -> bool {
    PluralRules::try_new_cardinal(locale(tag).into())
        .is_ok_and(|rules| rules.category_for(n) == PluralCategory::One)
}

pub fn relative(tag: &str, value: i64, unit: Unit) -> String {
    let options = RelativeTimeFormatterOptions::default().with_numeric(Numeric::Auto);
    let prefs = locale(tag).into();
    let formatter = match unit {
        Unit::Minute => RelativeTimeFormatter::try_new_long_minute(prefs, options),
        Unit::Hour => RelativeTimeFormatter::try_new_long_hour(prefs, options),
        Unit::Day => RelativeTimeFormatter::try_new_long_day(prefs, options),
    };
    match formatter {
        Ok(formatter) => formatter
            .format(Decimal::from(value))
            .write_to_string()
            .into_owned(),
        Err(_) => value.to_string(),
    }
}

/// A day as it was in UTC: "Mar 12, 2026", "12 mars 2026".
#[cfg(feature = "updates")]
pub fn date(tag: &str, millis: f64) -> String {
    use icu::calendar::Date;
    use icu::datetime::DateTimeFormatter;
    use icu::datetime::fieldsets::YMD;

    let Ok(at) = time::OffsetDateTime::from_unix_timestamp((millis / 1_000.0) as i64) else {
        return String::new();
    };
    let Ok(day) = Date::try_new_iso(at.year(), u8::from(at.month()), at.day()) else {
        return String::new();
    };
    DateTimeFormatter::try_new(locale(tag).into(), YMD::medium())
        .map(|formatter| formatter.format(&day).write_to_string().into_owned())
        .unwrap_or_default()
}

/// (code, name) for each of `codes`, named and sorted in the language.
#[cfg(any(
    feature = "petition",
    feature = "events",
    feature = "signers",
    feature = "signup"
))]
pub fn regions(tag: &str, codes: &[&str]) -> Vec<(String, String)> {
    use icu::collator::Collator;
    use icu::experimental::displaynames::multi::RegionDisplayNames;
    use icu::locale::subtags::Region;

    let names = RegionDisplayNames::try_new(locale(tag).into(), Default::default()).ok();
    let mut named: Vec<(String, String)> = codes
        .iter()
        .map(|code| {
            let name = names
                .as_ref()
                .zip(Region::try_from_str(code).ok())
                .and_then(|(names, region)| names.of(region))
                .unwrap_or(code);
            ((*code).to_owned(), name.to_owned())
        })
        .collect();
    match Collator::try_new(locale(tag).into(), Default::default()) {
        Ok(collator) => named.sort_by(|a, b| collator.compare(&a.1, &b.1)),
        Err(_) => named.sort_by(|a, b| a.1.cmp(&b.1)),
    }
    named
}

/// A language's name, or its code where CLDR has none.
#[cfg(feature = "feeds")]
pub fn language_name(tag: &str, code: &str) -> String {
    use icu::experimental::displaynames::multi::LanguageDisplayNames;
    use icu::locale::subtags::Language;

    LanguageDisplayNames::try_new(locale(tag).into(), Default::default())
        .ok()
        .zip(Language::try_from_str(code).ok())
        .and_then(|(names, language)| names.of(language).map(str::to_owned))
        .unwrap_or_else(|| code.to_owned())
}

/// A day as a wall calendar at the event shows it: "Friday, December 18".
#[cfg(any(feature = "events", feature = "storm"))]
pub fn wall_day(tag: &str, year: i16, month: i8, day: i8) -> String {
    use icu::calendar::Date;
    use icu::datetime::DateTimeFormatter;
    use icu::datetime::fieldsets::MDE;

    let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
        return String::new();
    };
    let Ok(date) = Date::try_new_iso(i32::from(year), month, day) else {
        return String::new();
    };
    DateTimeFormatter::try_new(locale(tag).into(), MDE::long())
        .map(|formatter| formatter.format(&date).write_to_string().into_owned())
        .unwrap_or_default()
}

/// A time of day as a clock at the event shows it, in the language's short
/// time: "6:00 PM", "18:00".
#[cfg(any(feature = "events", feature = "storm"))]
pub fn wall_time(tag: &str, hour: i8, minute: i8) -> String {
    use icu::datetime::NoCalendarFormatter;
    use icu::datetime::fieldsets::T;
    use icu::datetime::options::TimePrecision;
    use icu::time::Time;

    let (Ok(hour), Ok(minute)) = (u8::try_from(hour), u8::try_from(minute)) else {
        return String::new();
    };
    let Ok(time) = Time::try_new(hour, minute, 0, 0) else {
        return String::new();
    };
    NoCalendarFormatter::try_new(
        locale(tag).into(),
        T::short().with_time_precision(TimePrecision::Minute),
    )
    .map(|formatter| formatter.format(&time).write_to_string().into_owned())
    .unwrap_or_default()
}

/// An instant in UTC, named so ("Friday, December 18, 5:00 PM UTC"): the
/// reader's zone is the browser's to know.
#[cfg(feature = "storm")]
pub fn moment(tag: &str, millis: f64, with_day: bool) -> String {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp((millis / 1000.0).floor() as i64) else {
        return String::new();
    };
    let clock = wall_time(tag, at.hour() as i8, at.minute() as i8);
    if !with_day {
        return format!("{clock} UTC");
    }
    let day = wall_day(
        tag,
        at.year() as i16,
        u8::from(at.month()) as i8,
        at.day() as i8,
    );
    format!("{day}, {clock} UTC")
}

/// The reader's zone is the browser's to know.
#[cfg(feature = "events")]
pub fn reader_time(_tag: &str, _start: &str, _offset: &str, _local: &str) -> Option<String> {
    None
}

/// An amount of `currency`: "€5", "5,50 €"; whole amounts without decimals,
/// others with all the currency's, as `trailingZeroDisplay: stripIfInteger`.
#[cfg(feature = "donate")]
pub fn money(tag: &str, amount: u64, currency: &str, minor_units: u8) -> String {
    use icu::experimental::dimension::currency::CurrencyType;
    use icu::experimental::dimension::currency::formatter::CurrencyFormatter;

    let scale = 10_u64.pow(u32::from(minor_units));
    let whole = amount.is_multiple_of(scale);
    let value = if whole {
        Decimal::from(amount / scale)
    } else {
        // Keeps the trailing zeros: 550 cents is 5.50, not 5.5.
        let mut value = Decimal::from(amount);
        value.multiply_pow10(-i16::from(minor_units));
        value
    };
    let formatter = CurrencyType::try_from_str(&currency.to_ascii_lowercase())
        .ok()
        .and_then(|code| {
            CurrencyFormatter::try_new_symbol(locale(tag).into(), code, Default::default()).ok()
        });
    match formatter {
        Some(formatter) => {
            let shown = formatter
                .format_fixed_decimal(&value)
                .write_to_string()
                .into_owned();
            if whole {
                without_zero_fraction(tag, shown)
            } else {
                shown
            }
        }
        None => format!("{amount} {currency}"),
    }
}

/// ICU4X pads every amount to its currency's digits ("20 000,00 €"),
/// where the browser is asked to show a whole amount without them
/// (`trailingZeroDisplay: "stripIfInteger"`): the separator and its zeros
/// are taken off again.
fn without_zero_fraction(tag: &str, shown: String) -> String {
    let Some(separator) = decimal_separator(tag) else {
        return shown;
    };
    let Some(at) = shown.rfind(&separator) else {
        return shown;
    };
    let after = &shown[at + separator.len()..];
    let zeros = after.bytes().take_while(u8::is_ascii_digit).count();
    if zeros == 0 || !after[..zeros].bytes().all(|b| b == b'0') {
        return shown;
    }
    format!("{}{}", &shown[..at], &after[zeros..])
}

/// The language's decimal separator, as its formatter writes one half.
fn decimal_separator(tag: &str) -> Option<String> {
    let formatter = DecimalFormatter::try_new(locale(tag).into(), Default::default()).ok()?;
    let mut half = Decimal::from(5);
    half.multiply_pow10(-1);
    let shown = formatter.format(&half).write_to_string().into_owned();
    Some(shown.strip_prefix('0')?.strip_suffix('5')?.to_owned())
}
