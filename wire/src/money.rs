//! Amounts as people write them, read into integers of a currency's minor
//! unit (cents for EUR, none for JPY): organisers' on the command line and
//! supporters' in the donate widget, by the same rules.

/// Why a written amount could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Not digits with at most one decimal mark.
    NotAnAmount,
    /// More digits after the mark than the currency has.
    TooManyDecimals,
    /// Beyond what a `u64` of minor units holds.
    TooLarge,
}

/// Reads "5", "2.5" or "2.50" (and "2,50" when `,` is among `marks`) as
/// minor units of a currency with `exponent` digits after the mark.
pub fn parse_amount(raw: &str, exponent: u8, marks: &[char]) -> Result<u64, AmountError> {
    let raw = raw.trim();
    let (whole, fraction) = raw.split_once(marks).unwrap_or((raw, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return Err(AmountError::NotAnAmount);
    }
    let places = usize::from(exponent);
    if fraction.len() > places {
        return Err(AmountError::TooManyDecimals);
    }
    let scale = 10u64
        .checked_pow(u32::from(exponent))
        .ok_or(AmountError::TooLarge)?;
    let fraction: u64 = match format!("{fraction:0<places$}") {
        padded if padded.is_empty() => 0,
        padded => padded.parse().map_err(|_| AmountError::TooLarge)?,
    };
    whole
        .parse::<u64>()
        .map_err(|_| AmountError::TooLarge)?
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction))
        .ok_or(AmountError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_amounts_become_minor_units() {
        let point = &['.'];
        assert_eq!(parse_amount("5", 2, point), Ok(500));
        assert_eq!(parse_amount(" 2.5 ", 2, point), Ok(250));
        assert_eq!(parse_amount("1000", 0, point), Ok(1000));
        assert_eq!(parse_amount("7,5", 2, &['.', ',']), Ok(750));
        assert_eq!(parse_amount("7,5", 2, point), Err(AmountError::NotAnAmount));
        assert_eq!(
            parse_amount("2.505", 2, point),
            Err(AmountError::TooManyDecimals)
        );
        assert_eq!(
            parse_amount("1.5", 0, point),
            Err(AmountError::TooManyDecimals)
        );
        for bad in ["-5", "", ".5", "1e3", "5..0"] {
            assert_eq!(
                parse_amount(bad, 2, point),
                Err(AmountError::NotAnAmount),
                "{bad}"
            );
        }
        assert_eq!(
            parse_amount("99999999999999999999", 2, point),
            Err(AmountError::TooLarge)
        );
    }
}
