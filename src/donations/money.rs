//! Money as integers of a currency's minor unit, and the decimal text
//! organisers type and providers' links expect.

/// The largest single gift any campaign may allow: Stripe's limit for one
/// payment (99,999,999 minor units), which also keeps sums far from overflow.
pub const MAX_GIFT: u64 = 99_999_999;

/// The ISO 4217 code in upper case and its minor-unit digits, or why not.
pub fn currency(raw: &str) -> Result<(String, u8), String> {
    let code = raw.trim().to_ascii_uppercase();
    let exponent = iso_currency::Currency::from_code(&code)
        .and_then(|c| c.exponent())
        .and_then(|e| u8::try_from(e).ok())
        .ok_or_else(|| format!("{raw:?} is not an ISO 4217 currency such as EUR or USD"))?;
    Ok((code, exponent))
}

/// Reads "5", "2.5" or "2.50" as minor units of a currency with `exponent`
/// digits after the point, by the rules the donate widget also applies.
pub fn parse_major(raw: &str, exponent: u8) -> Result<u64, String> {
    use chorus_wire::money::{AmountError, parse_amount};
    match parse_amount(raw, exponent, &['.']) {
        Ok(amount) if amount <= MAX_GIFT * 1000 => Ok(amount),
        Ok(_) | Err(AmountError::TooLarge) => Err(format!("{raw:?} is too large")),
        Err(AmountError::TooManyDecimals) => Err(format!(
            "{raw:?} has more than {exponent} digits after the point"
        )),
        Err(AmountError::NotAnAmount) => Err(format!("{raw:?} is not an amount such as 5 or 2.50")),
    }
}

/// Writes minor units as a plain decimal: 250 → "2.50" (EUR), 500 → "500" (JPY).
pub fn format_major(amount: u64, exponent: u8) -> String {
    if exponent == 0 {
        return amount.to_string();
    }
    let scale = 10u64.pow(u32::from(exponent));
    format!(
        "{}.{:0width$}",
        amount / scale,
        amount % scale,
        width = usize::from(exponent)
    )
}

/// An amount for people to read in messages and listings: "5.00 EUR".
pub fn shown(amount: u64, currency: &str) -> String {
    let exponent = self::currency(currency).map_or(2, |(_, e)| e);
    format!("{} {currency}", format_major(amount, exponent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_are_iso_4217_with_their_minor_units() {
        assert_eq!(currency("eur"), Ok(("EUR".into(), 2)));
        assert_eq!(currency("JPY"), Ok(("JPY".into(), 0)));
        assert_eq!(currency("BHD"), Ok(("BHD".into(), 3)));
        assert!(currency("EURO").is_err());
        assert!(currency("XXX").is_err(), "no currency has no minor unit");
    }

    #[test]
    fn organisers_amounts_become_minor_units() {
        assert_eq!(parse_major("5", 2), Ok(500));
        assert_eq!(parse_major("2.5", 2), Ok(250));
        assert_eq!(parse_major("2.50", 2), Ok(250));
        assert_eq!(parse_major("1000", 0), Ok(1000));
        assert!(parse_major("2.505", 2).is_err());
        assert!(parse_major("1.5", 0).is_err());
        assert!(parse_major("-5", 2).is_err());
        assert!(parse_major("5,00", 2).is_err());
        assert!(parse_major("", 2).is_err());
        assert!(parse_major(".5", 2).is_err());
        assert!(parse_major("99999999999999999999", 2).is_err());
    }

    #[test]
    fn minor_units_print_as_plain_decimals() {
        assert_eq!(format_major(250, 2), "2.50");
        assert_eq!(format_major(5, 2), "0.05");
        assert_eq!(format_major(500, 0), "500");
        assert_eq!(format_major(1234, 3), "1.234");
    }
}
