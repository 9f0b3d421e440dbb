use super::Messages;

pub const MESSAGES: Messages = Messages {
    loading: "Cargando noticias…",
    unknown_feed: "No se encontró este canal de noticias.",
    failed: "No se pudieron cargar las noticias. Volviendo a intentarlo…",
    empty: "Todavía no hay noticias.",
    empty_in_language: "Todavía no hay noticias en español.",
    topics: "Temas",
    all_topics: "Todos",
    every_language: "Ver noticias en todos los idiomas",
    only_language: "Ver solo noticias en español",
    load_more: "Más noticias",
    read_more: "Seguir leyendo",
    new_tab: "(se abre en una pestaña nueva)",
    arrived_one: "{count} noticia nueva",
    arrived_other: "{count} noticias nuevas",
};
