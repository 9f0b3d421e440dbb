//! The demo coalition's text: invented for Chorus, in three languages.

pub const PARTNER_NAME: &str = "Harbour Rights Collective";
/// The organisation running the demo petitions.
pub const ORGANISATION_NAME: &str = "Coalition for Defenders";

pub struct DemoPetition {
    pub slug: &'static str,
    pub goal: Option<u64>,
    pub signatures: u32,
    /// Shared by every language.
    pub hashtags: &'static [&'static str],
    /// (language, title, summary, body, share message); the first is the
    /// default language.
    pub texts: &'static [DemoText],
}

pub type DemoText = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

pub const PETITIONS: &[DemoPetition] = &[
    DemoPetition {
        slug: "protect-defenders",
        goal: None,
        signatures: 1_287,
        hashtags: &["DefendTheDefenders", "HumanRights"],
        texts: &[
            (
                "en",
                "Stand with the people who defend our rights",
                "Lawyers, journalists and community organisers are jailed, watched and threatened for defending others. Ask governments to protect them.",
                "Every year, people who document abuses, represent detainees or organise their neighbours pay for it with their freedom.\n\nWe call on every government to end the prosecution of human-rights defenders for their work, to investigate attacks against them, and to consult them before passing laws that restrict civil society.\n\nYour signature will be handed in at the next session of the UN Human Rights Council.",
                "I signed to protect the people who defend our rights. Will you add your name?",
            ),
            (
                "fr",
                "Aux côtés de celles et ceux qui défendent nos droits",
                "Avocates, journalistes et militants de quartier sont emprisonnés, surveillés et menacés parce qu'ils défendent les autres. Demandez aux États de les protéger.",
                "Chaque année, des personnes qui documentent des abus, défendent des détenus ou organisent leur voisinage le paient de leur liberté.\n\nNous demandons à chaque gouvernement de cesser de poursuivre les défenseurs des droits humains pour leur travail, d'enquêter sur les attaques qu'ils subissent et de les consulter avant d'adopter des lois qui restreignent la société civile.\n\nVotre signature sera remise lors de la prochaine session du Conseil des droits de l'homme de l'ONU.",
                "J'ai signé pour protéger celles et ceux qui défendent nos droits. Et vous ?",
            ),
            (
                "es",
                "Junto a quienes defienden nuestros derechos",
                "Abogadas, periodistas y líderes comunitarios son encarcelados, vigilados y amenazados por defender a otras personas. Pide a los gobiernos que los protejan.",
                "Cada año, personas que documentan abusos, representan a detenidos u organizan a sus vecinos lo pagan con su libertad.\n\nPedimos a cada gobierno que deje de perseguir a las personas defensoras de derechos humanos por su trabajo, que investigue los ataques en su contra y que las consulte antes de aprobar leyes que limitan a la sociedad civil.\n\nTu firma se entregará en la próxima sesión del Consejo de Derechos Humanos de la ONU.",
                "Firmé para proteger a quienes defienden nuestros derechos. ¿Te sumas?",
            ),
        ],
    },
    DemoPetition {
        slug: "ratify-the-convention",
        goal: Some(10_000),
        signatures: 4_312,
        hashtags: &["MigrantRights", "RatifyCMW"],
        texts: &[
            (
                "en",
                "Ratify the Migrant Workers Convention",
                "The UN convention protecting migrant workers and their families turned 35 with too few ratifications. Ask your government to sign it.",
                "Migrant workers harvest food, build homes and care for children and elders, often without a contract or a way to complain.\n\nThe International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families sets out rights that every state should guarantee. Ask your government to ratify it this year.",
                "Migrant workers keep our world running. I asked my government to ratify their convention. Join me:",
            ),
            (
                "fr",
                "Ratifiez la Convention sur les travailleurs migrants",
                "La convention de l'ONU qui protège les travailleurs migrants et leurs familles a 35 ans et trop peu de ratifications. Demandez à votre gouvernement de la signer.",
                "Les travailleurs migrants récoltent, construisent et prennent soin des enfants et des aînés, souvent sans contrat ni recours.\n\nLa Convention internationale sur la protection des droits de tous les travailleurs migrants et des membres de leur famille énonce des droits que chaque État devrait garantir. Demandez à votre gouvernement de la ratifier cette année.",
                "Les travailleurs migrants font tourner le monde. J'ai demandé la ratification de leur convention. Rejoignez-moi :",
            ),
            (
                "es",
                "Ratifiquen la Convención sobre trabajadores migratorios",
                "La convención de la ONU que protege a los trabajadores migrantes y a sus familias cumplió 35 años con muy pocas ratificaciones. Pide a tu gobierno que la firme.",
                "Las personas trabajadoras migrantes cosechan, construyen y cuidan a niños y mayores, a menudo sin contrato ni forma de reclamar.\n\nLa Convención Internacional sobre la Protección de los Derechos de Todos los Trabajadores Migratorios y de sus Familiares reconoce derechos que todo Estado debería garantizar. Pide a tu gobierno que la ratifique este año.",
                "Las personas migrantes sostienen nuestro mundo. Pedí que se ratifique su convención. Súmate:",
            ),
        ],
    },
];

/// The demo donation campaign, for International Migrants Day.
pub const DONATION_SLUG: &str = "migrants-day";
pub const DONATION_CURRENCY: &str = "EUR";
/// Amounts as organisers type them.
pub const DONATION_GOAL: &str = "25000";
pub const DONATION_FREQUENCIES: &[&str] = &["monthly", "once", "yearly"];
pub const DONATION_ASKS: &[&str] = &[
    "monthly:3",
    "monthly:10",
    "monthly:25",
    "once:20",
    "once:50",
    "once:100",
    "yearly:36",
    "yearly:120",
];
/// (language, title, impact line, labels of asks)
pub type DonationText = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);
pub const DONATION_TEXTS: &[DonationText] = &[
    (
        "en",
        "Stand with people on the move",
        "Your gift pays for legal advice at the border and for interpreters at asylum hearings.",
        &[
            "monthly:3=The price of a coffee",
            "yearly:36=A coffee a month, for a year",
        ],
    ),
    (
        "fr",
        "Aux côtés des personnes en migration",
        "Votre don finance des conseils juridiques à la frontière et des interprètes lors des audiences d'asile.",
        &[
            "monthly:3=Le prix d'un café",
            "yearly:36=Un café par mois, pendant un an",
        ],
    ),
    (
        "es",
        "Junto a las personas migrantes",
        "Tu donación paga asesoría jurídica en la frontera e intérpretes en las audiencias de asilo.",
        &[
            "monthly:3=Lo que cuesta un café",
            "yearly:36=Un café al mes, durante un año",
        ],
    ),
];
/// Gifts already made when the demo starts: (frequency, euros).
pub const PAST_GIFTS: &[(&str, u64)] = &[
    ("monthly", 3),
    ("monthly", 10),
    ("once", 50),
    ("monthly", 3),
    ("once", 20),
    ("yearly", 120),
    ("monthly", 25),
    ("once", 100),
    ("monthly", 3),
    ("once", 35),
    ("monthly", 10),
    ("once", 20),
];

/// The demo updates feed.
pub const FEED_SLUG: &str = "defenders-news";
pub const FEED_TITLE: &str = "Defenders news";
/// (language, hours ago, tags, title, Markdown body)
pub type DemoUpdate = (&'static str, i64, &'static str, &'static str, &'static str);
pub const UPDATES: &[DemoUpdate] = &[
    (
        "en",
        2,
        "global,treaty-bodies",
        "Committee opens its autumn session",
        "Eighteen experts meet this week to question four governments on how they protect people who defend rights. **Civil society briefings** are on Monday.",
    ),
    (
        "fr",
        5,
        "afrique,detention",
        "Visite de suivi dans les centres de rétention",
        "Une délégation de la coalition a pu entrer dans deux centres. Notre rapport paraîtra le mois prochain, avec des recommandations précises.",
    ),
    (
        "es",
        9,
        "americas,asylum",
        "Audiencia pública sobre el derecho de asilo",
        "Organizaciones de cinco países presentaron casos de personas devueltas en la frontera sin examen de su solicitud.",
    ),
    (
        "en",
        20,
        "europe,detention",
        "Court limits detention of children",
        "A regional court found that holding families with young children for months breached the right to liberty. Partners are studying what changes in practice.",
    ),
    (
        "en",
        30,
        "global,action-day",
        "18 December: plan your action",
        "International Migrants Day is three weeks away. The toolkit has share messages in three languages and a poster you can print.",
    ),
    (
        "fr",
        44,
        "global,treaty-bodies",
        "La Convention sur les travailleurs migrants a 35 ans",
        "Trente-cinq ans après son adoption, moins d'un tiers des États l'ont ratifiée. La coalition publie une carte des ratifications.",
    ),
    (
        "es",
        60,
        "americas,defenders",
        "Defensoras rurales reciben protección",
        "Tras meses de campaña, tres defensoras de la tierra cuentan ahora con medidas de protección. Gracias a quienes firmaron.",
    ),
    (
        "en",
        75,
        "asia,labour",
        "Recruitment fees: a step forward",
        "Two recruitment agencies agreed to stop charging workers fees. The coalition will check that the promise is kept.",
    ),
    (
        "fr",
        96,
        "europe,asylum",
        "Asile : ce que change la nouvelle procédure",
        "Délais plus courts, entretiens à distance, recours limités : nos juristes résument les points à surveiller.",
    ),
    (
        "en",
        120,
        "africa,defenders",
        "Journalist released after 200 days",
        "A journalist held for reporting on forced evictions was released on Friday. Thank you to everyone who wrote letters.",
    ),
    (
        "es",
        150,
        "global,action-day",
        "Kit de acción en español",
        "Mensajes para redes sociales, carteles y una guía para organizar una lectura pública el 18 de diciembre.",
    ),
    (
        "en",
        200,
        "global,treaty-bodies",
        "How a country review works",
        "A short guide to the review cycle: the state report, the list of issues, the dialogue in Geneva and the concluding observations.",
    ),
];
