use super::Messages;

pub const MESSAGES: Messages = Messages {
    downloads: "Downloads",
    also_in: "Also in:",
    checksum: "SHA-256:",
    kilobytes: "{n} KB",
    megabytes: "{whole}.{tenth} MB",
};
