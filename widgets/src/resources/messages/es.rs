use super::Messages;

pub const MESSAGES: Messages = Messages {
    toolkit: "Materiales",
    loading: "Cargando los archivos…",
    unknown_feed: "No se encontraron estos archivos.",
    failed: "No se pudieron cargar los archivos. Reintentando…",
    empty: "Todavía no hay archivos para descargar.",
};
