use super::Messages;

pub const MESSAGES: Messages = Messages {
    loading: "Chargement des actualités…",
    unknown_feed: "Ce fil d'actualités est introuvable.",
    failed: "Les actualités n'ont pas pu être chargées. Nouvel essai…",
    empty: "Aucune actualité pour l'instant.",
    empty_in_language: "Aucune actualité en français pour l'instant.",
    topics: "Thèmes",
    all_topics: "Tous",
    every_language: "Voir les actualités dans toutes les langues",
    only_language: "Voir seulement les actualités en français",
    load_more: "Plus d'actualités",
    read_more: "Lire la suite",
    new_tab: "(s'ouvre dans un nouvel onglet)",
    arrived_one: "{count} nouvelle actualité",
    arrived_other: "{count} nouvelles actualités",
};
