use super::Messages;

pub const MESSAGES: Messages = Messages {
    heading: "Ils et elles soutiennent cet appel",
    loading: "Chargement des signataires…",
    failed: "Les signataires n'ont pas pu être chargés. Nouvel essai…",
    organisations: "Organisations",
    search: "Rechercher une organisation",
    search_button: "Rechercher",
    no_match: "Aucune organisation ne correspond à cette recherche.",
    no_organisations: "Aucune organisation n'est encore affichée.",
    unnamed_one: "et {count} organisation qui ne peut pas être nommée",
    unnamed_other: "et {count} organisations qui ne peuvent pas être nommées",
    more_organisations: "Plus d'organisations",
    people: "Personnes",
    people_note: "Seules les personnes qui l'ont demandé sont affichées, par leur prénom. Les nouveaux noms apparaissent par lots.",
    no_people: "Personne n'est encore affiché.",
    more_people: "Plus de noms",
    by_country: "Signataires par pays",
    country: "Pays",
    fewer_than_ten: "moins de 10",
    new_tab: "(s'ouvre dans un nouvel onglet)",
    arrived: "De nouveaux signataires ont été ajoutés.",
};
