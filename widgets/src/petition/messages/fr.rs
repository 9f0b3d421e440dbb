use super::Messages;

pub const MESSAGES: Messages = Messages {
    read_more: "Lire le texte complet",
    form_title: "Ajoutez votre nom",
    first_name: "Prénom",
    last_name: "Nom",
    email: "Adresse e-mail",
    country: "Pays",
    choose_country: "Choisissez votre pays",
    comment: "Commentaire",
    optional: "(facultatif)",
    privacy_before: "J'accepte la ",
    privacy_link: "politique de confidentialité",
    privacy_after: " et que ma signature soit remise avec cette pétition.",
    opt_in_organiser: "Je souhaite recevoir des nouvelles des organisateurs de la campagne par e-mail.",
    opt_in_partner: "Je souhaite recevoir des nouvelles de {partner} par e-mail.",
    listed: "Afficher mon nom dans la liste publique des signataires (au plus mon prénom et l'initiale de mon nom). Je confirmerai par e-mail.",
    city: "Votre ville, affichée à côté de votre nom",
    sign: "Signer la pétition",
    sending: "Envoi de votre signature…",
    saved_on_device: "Votre signature est enregistrée sur cet appareil et en cours d'envoi. Vous pouvez continuer votre lecture : elle partira dès que la connexion reviendra.",
    refused: "Les signatures ne peuvent pas être acceptées sur cette page pour le moment. Veuillez réessayer plus tard.",
    paused: "La signature est suspendue pour un moment. Votre signature est gardée sur cet appareil et sera envoyée à la réouverture.",
    closed: "Cette pétition est close et ne reçoit plus de signatures. Merci de votre soutien.",
    fix_errors: "Veuillez vérifier les champs signalés.",
    required: "Veuillez remplir ce champ.",
    too_long: "C'est trop long.",
    not_a_name: "Veuillez saisir votre nom en lettres, sans adresse web.",
    invalid_email: "Veuillez saisir une adresse e-mail valide, comme nom@exemple.org.",
    unknown_country: "Veuillez choisir un pays dans la liste.",
    consent_required: "Veuillez accepter la politique de confidentialité pour signer.",
    invalid: "Ce champ contient des caractères qui ne peuvent pas être acceptés.",
    thanks_title: "Merci d'avoir signé !",
    thanks_confirm: "Encore une étape : nous vous avons envoyé un e-mail. Votre signature comptera dès que vous l'aurez confirmée.",
    thanks_body: "Votre nom fait désormais partie de cet appel. Plus nous sommes nombreux, plus il est difficile de l'ignorer : partagez-le.",
    share_heading: "Partager la pétition",
    share_email: "E-mail",
    copy_link: "Copier le lien",
    link_copied: "Lien copié",
    share_native: "Partager…",
    mastodon_server: "Votre serveur Mastodon",
    mastodon_share: "Partager sur Mastodon",
    #[cfg(feature = "pledge")]
    signing_as: "Qui signe ?",
    #[cfg(feature = "pledge")]
    as_person: "À titre personnel",
    #[cfg(feature = "pledge")]
    as_organisation: "Au nom d'une organisation",
    #[cfg(feature = "pledge")]
    organisation_title: "Ajoutez le nom de votre organisation",
    #[cfg(feature = "pledge")]
    organisation: "Nom de l'organisation",
    #[cfg(feature = "pledge")]
    organisation_url: "Site web",
    #[cfg(feature = "pledge")]
    organisation_country: "Pays où elle agit",
    #[cfg(feature = "pledge")]
    kind: "Type d'organisation",
    #[cfg(feature = "pledge")]
    choose_kind: "Choisissez un type",
    #[cfg(feature = "pledge")]
    kinds: [
        "ONG",
        "Syndicat",
        "Groupe confessionnel",
        "Association de quartier",
        "Réseau ou coalition",
        "Autre",
    ],
    #[cfg(feature = "pledge")]
    statement: "Pourquoi votre organisation signe (affiché publiquement)",
    #[cfg(feature = "pledge")]
    logo_url: "Logo : l'adresse web d'une image PNG ou JPEG",
    #[cfg(feature = "pledge")]
    logo_upload: "Ou téléversez-le : PNG, JPEG, WebP ou GIF, 256 Ko au plus",
    #[cfg(feature = "pledge")]
    unnamed: "Comptez notre organisation sans afficher son nom : pour les organisations en danger.",
    #[cfg(feature = "pledge")]
    signer_name: "Votre nom",
    #[cfg(feature = "pledge")]
    signer_role: "Votre fonction",
    #[cfg(feature = "pledge")]
    work_email: "Votre e-mail (une adresse au domaine de votre organisation nous permet de la vérifier)",
    #[cfg(feature = "pledge")]
    organisation_sign: "Ajouter notre organisation",
    #[cfg(feature = "pledge")]
    thanks_organisation: "Encore une étape : nous vous avons envoyé un e-mail. Une fois confirmée, la signature de votre organisation est examinée par les organisateurs avant d'être comptée et affichée.",
};
