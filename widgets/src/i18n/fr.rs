use super::Catalog;

// French typography: a narrow no-break space before the colon.
pub const CATALOG: Catalog = Catalog {
    signatures_one: "signature",
    signatures_other: "signatures",
    organisations_one: "organisation",
    organisations_other: "organisations",
    goal: "Objectif\u{202f}: {goal}",
    progress: "{count} signatures sur {goal}",
    goal_bar: "Signatures vers l’objectif",
    last_signature: "Dernière signature {ago}",
    loading: "Chargement du compteur…",
    unknown_petition: "Cette pétition est introuvable.",
};
