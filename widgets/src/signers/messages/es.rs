use super::Messages;

pub const MESSAGES: Messages = Messages {
    heading: "Quienes respaldan este llamamiento",
    loading: "Cargando las firmas…",
    failed: "No se pudieron cargar las firmas. Volviendo a intentarlo…",
    organisations: "Organizaciones",
    search: "Buscar organizaciones",
    search_button: "Buscar",
    no_match: "Ninguna organización coincide con esta búsqueda.",
    no_organisations: "Todavía no se muestra ninguna organización.",
    unnamed_one: "y {count} organización que no puede ser nombrada",
    unnamed_other: "y {count} organizaciones que no pueden ser nombradas",
    more_organisations: "Más organizaciones",
    people: "Personas",
    people_note: "Solo se muestran las personas que lo pidieron, por su nombre. Los nombres nuevos aparecen por tandas.",
    no_people: "Todavía no se muestra a nadie.",
    more_people: "Más nombres",
    by_country: "Firmas por país",
    country: "País",
    fewer_than_ten: "menos de 10",
    new_tab: "(se abre en una pestaña nueva)",
    arrived: "Se han añadido nuevas firmas.",
};
