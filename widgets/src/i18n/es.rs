use super::Catalog;

pub const CATALOG: Catalog = Catalog {
    signatures_one: "firma",
    signatures_other: "firmas",
    organisations_one: "organización",
    organisations_other: "organizaciones",
    goal: "Meta: {goal}",
    progress: "{count} de {goal} firmas",
    goal_bar: "Firmas hacia la meta",
    last_signature: "Última firma {ago}",
    loading: "Cargando el contador…",
    unknown_petition: "No se encontró esta petición.",
};
