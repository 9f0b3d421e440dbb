use super::Messages;

pub const MESSAGES: Messages = Messages {
    toolkit: "Boîte à outils",
    loading: "Chargement des fichiers…",
    unknown_feed: "Ces fichiers sont introuvables.",
    failed: "Les fichiers n'ont pas pu être chargés. Nouvel essai…",
    empty: "Aucun fichier à télécharger pour l'instant.",
};
