use super::Messages;

pub const MESSAGES: Messages = Messages {
    loading: "Loading updates…",
    unknown_feed: "This news feed could not be found.",
    failed: "The updates could not be loaded. Trying again…",
    empty: "No updates yet.",
    empty_in_language: "No updates in English yet.",
    topics: "Topics",
    all_topics: "All",
    every_language: "Show updates in every language",
    only_language: "Show only updates in English",
    load_more: "More updates",
    read_more: "Read more",
    new_tab: "(opens in a new tab)",
    arrived_one: "{count} new update",
    arrived_other: "{count} new updates",
};
