use super::Messages;

pub const MESSAGES: Messages = Messages {
    downloads: "Descargas",
    also_in: "También en:",
    checksum: "SHA-256:",
    kilobytes: "{n} KB",
    megabytes: "{whole},{tenth} MB",
};
