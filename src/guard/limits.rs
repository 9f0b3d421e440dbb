//! How many signatures one client may send before the rest are held for
//! review. Generous: an office or a campaign stall behind one address signs
//! many times in an hour. Held signatures are kept, not lost, and the
//! organiser can accept them.

/// Signatures from one client to one petition within an hour, by default.
pub const PER_PETITION_PER_HOUR: u64 = 10;
/// Signatures from one client to all petitions within an hour, by default.
pub const PER_CLIENT_PER_HOUR: u64 = 30;

/// How many signatures a client may send in an hour before the rest are held.
#[derive(Debug, Clone, clap::Args)]
pub struct Limits {
    /// Signatures one client may send to one petition in an hour before the
    /// rest are held for review; 0 turns the limit off.
    #[arg(long, env = "CHORUS_LIMIT_PER_PETITION", default_value_t = PER_PETITION_PER_HOUR)]
    pub per_petition: u64,
    /// Signatures one client may send to all petitions in an hour; 0: no limit.
    #[arg(long, env = "CHORUS_LIMIT_PER_CLIENT", default_value_t = PER_CLIENT_PER_HOUR)]
    pub per_client: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_petition: PER_PETITION_PER_HOUR,
            per_client: PER_CLIENT_PER_HOUR,
        }
    }
}

/// Why a signature is held for review instead of counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The honeypot field, hidden from people, was filled in.
    Honeypot,
    /// Over [`PER_PETITION_PER_HOUR`].
    PetitionRate,
    /// Over [`PER_CLIENT_PER_HOUR`].
    ClientRate,
}

impl Hold {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Honeypot => "honeypot",
            Self::PetitionRate => "petition_rate",
            Self::ClientRate => "client_rate",
        }
    }

    /// The hold, if any, for a client that already sent `to_petition`
    /// signatures to this petition and `in_all` to any, within the hour.
    pub fn for_rate(limits: &Limits, to_petition: u64, in_all: u64) -> Option<Self> {
        let over = |limit: u64, sent: u64| limit > 0 && sent >= limit;
        if over(limits.per_petition, to_petition) {
            Some(Self::PetitionRate)
        } else if over(limits.per_client, in_all) {
            Some(Self::ClientRate)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_signatures_pass_and_the_rest_are_held() {
        let limits = Limits::default();
        assert_eq!(Hold::for_rate(&limits, 0, 0), None);
        assert_eq!(Hold::for_rate(&limits, PER_PETITION_PER_HOUR - 1, 20), None);
        assert_eq!(
            Hold::for_rate(&limits, PER_PETITION_PER_HOUR, 20),
            Some(Hold::PetitionRate)
        );
        assert_eq!(
            Hold::for_rate(&limits, 3, PER_CLIENT_PER_HOUR),
            Some(Hold::ClientRate)
        );
        let off = Limits {
            per_petition: 0,
            per_client: 0,
        };
        assert_eq!(Hold::for_rate(&off, 1_000, 1_000), None);
    }
}
