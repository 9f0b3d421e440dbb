//! The hand-in document's own words, in English, French and Spanish
//! (other languages read English). `{n}` is filled in.

#[derive(Debug)]
pub struct Words {
    pub lang: &'static str,
    pub prepared: &'static str,
    pub totals: &'static str,
    pub people_total: &'static str,
    pub organisations_total: &'static str,
    pub by_country: &'static str,
    pub organisations: &'static str,
    pub people: &'static str,
    pub unnamed: &'static str,
    pub unnamed_one: &'static str,
    pub fewer_than_ten: &'static str,
    pub listed: &'static str,
    /// The names of `chorus_wire::endorsements::KINDS`, in its order.
    pub kinds: [&'static str; 6],
}

const EN: Words = Words {
    lang: "en",
    prepared: "Prepared on {n}",
    totals: "Signatures",
    people_total: "{n} individuals",
    organisations_total: "{n} organisations",
    by_country: "By country",
    organisations: "Organisations",
    people: "Individuals",
    unnamed: "and {n} organisations that cannot be named",
    unnamed_one: "and 1 organisation that cannot be named",
    fewer_than_ten: "fewer than 10",
    listed: "Listed by their own choice",
    kinds: [
        "NGO",
        "Trade union",
        "Faith group",
        "Community group",
        "Network",
        "Other",
    ],
};

const FR: Words = Words {
    lang: "fr",
    prepared: "Établi le {n}",
    totals: "Signatures",
    people_total: "{n} personnes",
    organisations_total: "{n} organisations",
    by_country: "Par pays",
    organisations: "Organisations",
    people: "Personnes",
    unnamed: "et {n} organisations qui ne peuvent être nommées",
    unnamed_one: "et 1 organisation qui ne peut être nommée",
    fewer_than_ten: "moins de 10",
    listed: "Nommées à leur demande",
    kinds: [
        "ONG",
        "Syndicat",
        "Groupe confessionnel",
        "Groupe local",
        "Réseau",
        "Autre",
    ],
};

const ES: Words = Words {
    lang: "es",
    prepared: "Preparado el {n}",
    totals: "Firmas",
    people_total: "{n} personas",
    organisations_total: "{n} organizaciones",
    by_country: "Por país",
    organisations: "Organizaciones",
    people: "Personas",
    unnamed: "y {n} organizaciones que no pueden nombrarse",
    unnamed_one: "y 1 organización que no puede nombrarse",
    fewer_than_ten: "menos de 10",
    listed: "Nombradas por decisión propia",
    kinds: [
        "ONG",
        "Sindicato",
        "Grupo religioso",
        "Grupo comunitario",
        "Red",
        "Otra",
    ],
};

pub fn words(lang: &str) -> &'static Words {
    crate::ident::in_language(lang, &EN, &FR, &ES)
}

impl Words {
    pub fn kind(&self, kind: &str) -> &'static str {
        chorus_wire::endorsements::KINDS
            .iter()
            .position(|k| *k == kind)
            .map_or(self.kinds[5], |i| self.kinds[i])
    }

    pub fn with(template: &str, n: impl std::fmt::Display) -> String {
        template.replace("{n}", &n.to_string())
    }
}
