use super::Messages;

pub const MESSAGES: Messages = Messages {
    read_more: "Leer el texto completo",
    form_title: "Añade tu nombre",
    first_name: "Nombre",
    last_name: "Apellidos",
    email: "Correo electrónico",
    country: "País",
    choose_country: "Elige tu país",
    comment: "Comentario",
    optional: "(opcional)",
    privacy_before: "Acepto la ",
    privacy_link: "política de privacidad",
    privacy_after: " y que mi firma se entregue con esta petición.",
    opt_in_organiser: "Quiero recibir noticias de quienes organizan la campaña por correo electrónico.",
    opt_in_partner: "Quiero recibir noticias de {partner} por correo electrónico.",
    listed: "Mostrar mi nombre en la lista pública de firmantes (como mucho mi nombre y la inicial de mi apellido). Lo confirmaré por correo electrónico.",
    city: "Tu ciudad, que se muestra junto a tu nombre",
    sign: "Firmar la petición",
    sending: "Enviando tu firma…",
    saved_on_device: "Tu firma está guardada en este dispositivo y se está enviando. Puedes seguir leyendo: se enviará cuando vuelva la conexión.",
    refused: "En este momento no se pueden aceptar firmas en esta página. Inténtalo de nuevo más tarde.",
    paused: "La firma está en pausa por un tiempo. Tu firma queda guardada en este dispositivo y se enviará cuando se reabra.",
    closed: "Esta petición está cerrada y ya no recibe firmas. Gracias por tu apoyo.",
    fix_errors: "Revisa los campos señalados.",
    required: "Completa este campo.",
    too_long: "Es demasiado largo.",
    not_a_name: "Escribe tu nombre con letras, sin direcciones web.",
    invalid_email: "Escribe un correo válido, como nombre@ejemplo.org.",
    unknown_country: "Elige un país de la lista.",
    consent_required: "Acepta la política de privacidad para firmar.",
    invalid: "Contiene caracteres que no se pueden aceptar.",
    thanks_title: "¡Gracias por firmar!",
    thanks_confirm: "Un paso más: te hemos enviado un correo. Tu firma contará en cuanto la confirmes desde allí.",
    thanks_body: "Tu nombre ya forma parte de este llamamiento. Cuantas más voces, más difícil es ignorarlo: compártelo.",
    share_heading: "Comparte la petición",
    share_email: "Correo",
    copy_link: "Copiar enlace",
    link_copied: "Enlace copiado",
    share_native: "Compartir…",
    mastodon_server: "Tu servidor de Mastodon",
    mastodon_share: "Compartir en Mastodon",
    #[cfg(feature = "pledge")]
    signing_as: "¿Quién firma?",
    #[cfg(feature = "pledge")]
    as_person: "A título personal",
    #[cfg(feature = "pledge")]
    as_organisation: "En nombre de una organización",
    #[cfg(feature = "pledge")]
    organisation_title: "Añada el nombre de su organización",
    #[cfg(feature = "pledge")]
    organisation: "Nombre de la organización",
    #[cfg(feature = "pledge")]
    organisation_url: "Sitio web",
    #[cfg(feature = "pledge")]
    organisation_country: "País donde trabaja",
    #[cfg(feature = "pledge")]
    kind: "Tipo de organización",
    #[cfg(feature = "pledge")]
    choose_kind: "Elija un tipo",
    #[cfg(feature = "pledge")]
    kinds: [
        "ONG",
        "Sindicato",
        "Grupo religioso",
        "Grupo comunitario",
        "Red o coalición",
        "Otro",
    ],
    #[cfg(feature = "pledge")]
    statement: "Por qué firma su organización (se muestra públicamente)",
    #[cfg(feature = "pledge")]
    logo_url: "Logotipo: la dirección web de una imagen PNG o JPEG",
    #[cfg(feature = "pledge")]
    logo_upload: "O súbelo: PNG, JPEG, WebP o GIF, hasta 256 KB",
    #[cfg(feature = "pledge")]
    unnamed: "Cuenten a nuestra organización sin mostrar su nombre: para organizaciones en riesgo.",
    #[cfg(feature = "pledge")]
    signer_name: "Su nombre",
    #[cfg(feature = "pledge")]
    signer_role: "Su cargo",
    #[cfg(feature = "pledge")]
    work_email: "Su correo electrónico (uno del dominio de su organización nos permite verificarla)",
    #[cfg(feature = "pledge")]
    organisation_sign: "Añadir nuestra organización",
    #[cfg(feature = "pledge")]
    thanks_organisation: "Un paso más: le hemos enviado un correo electrónico. Cuando lo confirme, quienes organizan revisarán la firma de su organización antes de contarla y mostrarla.",
};
