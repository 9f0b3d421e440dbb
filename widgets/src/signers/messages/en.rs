use super::Messages;

pub const MESSAGES: Messages = Messages {
    heading: "Who stands with this call",
    loading: "Loading the signatories…",
    failed: "The signatories could not be loaded. Trying again…",
    organisations: "Organisations",
    search: "Search organisations",
    search_button: "Search",
    no_match: "No organisation matches this search.",
    no_organisations: "No organisation is listed yet.",
    unnamed_one: "and {count} organisation that cannot be named",
    unnamed_other: "and {count} organisations that cannot be named",
    more_organisations: "More organisations",
    people: "People",
    people_note: "Only people who asked to be listed are shown, by first name. New names appear in batches.",
    no_people: "No one is listed yet.",
    more_people: "More names",
    by_country: "Signatories by country",
    country: "Country",
    fewer_than_ten: "fewer than 10",
    new_tab: "(opens in a new tab)",
    arrived: "New signatories have been added.",
};
