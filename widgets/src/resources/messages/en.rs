use super::Messages;

pub const MESSAGES: Messages = Messages {
    toolkit: "Toolkit",
    loading: "Loading the files…",
    unknown_feed: "These files could not be found.",
    failed: "The files could not be loaded. Trying again…",
    empty: "No files to download yet.",
};
