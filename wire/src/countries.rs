//! The countries a signer can choose: ISO 3166-1 alpha-2 codes. Names are not
//! here: each widget asks the browser for them in the supporter's language
//! (`Intl.DisplayNames`), which keeps the bundle small and the names current.

/// Every officially assigned ISO 3166-1 alpha-2 code (249), in order, two
/// letters each, plus `XK` (Kosovo, a user-assigned code that the EU, the UN's
/// agencies and browsers use).
const CODES: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ\
CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGI\
GLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLI\
LKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPF\
PGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTL\
TMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSXKYEYTZAZMZW";

/// The country codes, in the order above.
pub fn country_codes() -> impl Iterator<Item = &'static str> {
    (0..CODES.len() / 2).map(|i| &CODES[i * 2..i * 2 + 2])
}

/// Whether `code` is one of [`country_codes`] (upper case, as sent).
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && country_codes().any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_every_assigned_code_once() {
        let codes: Vec<&str> = country_codes().collect();
        assert_eq!(codes.len(), 250);
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
        assert!(
            codes
                .iter()
                .all(|c| c.bytes().all(|b| b.is_ascii_uppercase()))
        );
        for code in ["FR", "SN", "MX", "PS", "SS", "XK", "ZW"] {
            assert!(is_country(code), "{code}");
        }
        assert!(!is_country("UK"));
    }
}
