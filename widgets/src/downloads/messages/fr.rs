use super::Messages;

pub const MESSAGES: Messages = Messages {
    downloads: "Téléchargements",
    also_in: "Aussi en\u{a0}:",
    checksum: "SHA-256\u{a0}:",
    kilobytes: "{n}\u{a0}ko",
    megabytes: "{whole},{tenth}\u{a0}Mo",
};
