use super::Messages;

pub const MESSAGES: Messages = Messages {
    read_more: "Read the full text",
    form_title: "Add your name",
    first_name: "First name",
    last_name: "Last name",
    email: "Email",
    country: "Country",
    choose_country: "Choose your country",
    comment: "Comment",
    optional: "(optional)",
    privacy_before: "I agree to the ",
    privacy_link: "privacy notice",
    privacy_after: " and to my signature being handed in with this petition.",
    opt_in_organiser: "I would like to hear from the campaign's organisers by email.",
    opt_in_partner: "I would like to hear from {partner} by email.",
    listed: "Show my name on the public list of signers (my first name and the initial of my last name, at most). I will confirm by email.",
    city: "Your city, shown beside your name",
    sign: "Sign the petition",
    sending: "Sending your signature…",
    saved_on_device: "Your signature is saved on this device and is being sent. You can keep reading; it will go through when the connection returns.",
    refused: "Signatures cannot be accepted on this page right now. Please try again later.",
    paused: "Signing is paused for a while. Your signature is saved on this device and will be sent when signing reopens.",
    closed: "This petition has closed and takes no more signatures. Thank you for your support.",
    fix_errors: "Please check the highlighted fields.",
    required: "Please fill this in.",
    too_long: "This is too long.",
    not_a_name: "Please enter your name using letters only, without web addresses.",
    invalid_email: "Please enter a valid email address, like name@example.org.",
    unknown_country: "Please choose a country from the list.",
    consent_required: "Please agree to the privacy notice to sign.",
    invalid: "This contains characters that cannot be accepted.",
    thanks_title: "Thank you for signing!",
    thanks_confirm: "One more step: we have sent you an email. Your signature counts once you confirm it from there.",
    thanks_body: "Your name is now part of this call. More voices make it harder to ignore: please share it.",
    share_heading: "Share the petition",
    share_email: "Email",
    copy_link: "Copy link",
    link_copied: "Link copied",
    share_native: "Share…",
    mastodon_server: "Your Mastodon server",
    mastodon_share: "Share on Mastodon",
    #[cfg(feature = "pledge")]
    signing_as: "Who is signing?",
    #[cfg(feature = "pledge")]
    as_person: "As an individual",
    #[cfg(feature = "pledge")]
    as_organisation: "As an organisation",
    #[cfg(feature = "pledge")]
    organisation_title: "Add your organisation's name",
    #[cfg(feature = "pledge")]
    organisation: "Organisation name",
    #[cfg(feature = "pledge")]
    organisation_url: "Website",
    #[cfg(feature = "pledge")]
    organisation_country: "Country where it works",
    #[cfg(feature = "pledge")]
    kind: "Kind of organisation",
    #[cfg(feature = "pledge")]
    choose_kind: "Choose a kind",
    #[cfg(feature = "pledge")]
    kinds: [
        "NGO",
        "Trade union",
        "Faith group",
        "Community group",
        "Network or coalition",
        "Other",
    ],
    #[cfg(feature = "pledge")]
    statement: "Why your organisation signs (shown publicly)",
    #[cfg(feature = "pledge")]
    logo_url: "Logo: the web address of a PNG or JPEG image",
    #[cfg(feature = "pledge")]
    logo_upload: "Or upload it: PNG, JPEG, WebP or GIF, up to 256 KB",
    #[cfg(feature = "pledge")]
    unnamed: "Count our organisation, but do not show its name: for organisations at risk.",
    #[cfg(feature = "pledge")]
    signer_name: "Your name",
    #[cfg(feature = "pledge")]
    signer_role: "Your role",
    #[cfg(feature = "pledge")]
    work_email: "Your email (one at your organisation's web domain lets us verify it)",
    #[cfg(feature = "pledge")]
    organisation_sign: "Add our organisation",
    #[cfg(feature = "pledge")]
    thanks_organisation: "One more step: we have sent you an email. Once you confirm it, the organisers review your organisation's signature before it is counted and listed.",
};
