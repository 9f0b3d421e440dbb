//! Signers grouped the ways a bot run shows: by the hour they signed in
//! and, with the organisation's secret key, by their email's domain. Worked
//! out from the petition's rows as `chorus review` reads them; nothing more
//! is stored for it.

use std::collections::BTreeMap;

use crate::storage::{Millis, SignedRow, rfc3339};

/// Signers who share an hour or a domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    pub counted: u64,
    pub held: u64,
    pub first: Millis,
    pub last: Millis,
    /// Whom a decision on the group is about.
    pub signer_ids: Vec<i64>,
}

impl Group {
    pub fn size(&self) -> u64 {
        self.counted + self.held
    }
}

/// Groups under construction, by key.
#[derive(Debug, Default)]
pub struct Grouping(BTreeMap<String, Group>);

impl Grouping {
    /// Adds a signer under `key`, if it counts or is held: only those are
    /// for review.
    pub fn add(&mut self, key: String, row: &SignedRow) {
        let (counted, held) = match row.status.as_str() {
            "counted" => (1, 0),
            "held" => (0, 1),
            _ => return,
        };
        let group = self.0.entry(key).or_insert_with(|| Group {
            first: row.signed_at,
            last: row.signed_at,
            ..Group::default()
        });
        group.counted += counted;
        group.held += held;
        group.first = group.first.min(row.signed_at);
        group.last = group.last.max(row.signed_at);
        group.signer_ids.push(row.signer_id);
    }

    /// The groups worth a look: every one with held signers, and the
    /// `busiest` largest others of more than one signer; largest first.
    pub fn notable(self, busiest: usize) -> Vec<(String, Group)> {
        let mut groups: Vec<(String, Group)> = self.0.into_iter().collect();
        groups.sort_by(|a, b| b.1.size().cmp(&a.1.size()).then(a.0.cmp(&b.0)));
        let mut others = 0;
        groups.retain(|(_, group)| {
            let keep = group.held > 0 || (group.size() > 1 && others < busiest);
            if group.held == 0 && keep {
                others += 1;
            }
            keep
        });
        groups
    }

    /// The group under `key`, if any signer is in it.
    pub fn take(mut self, key: &str) -> Option<Group> {
        self.0.remove(key)
    }
}

/// The UTC hour `at` falls in, as `chorus review` shows and reads it:
/// `2026-11-22T05`.
pub fn hour_of(at: Millis) -> String {
    rfc3339(at)
        .and_then(|time| time.get(..13).map(str::to_owned))
        .unwrap_or_default()
}

/// The domain of an email address, lower case; empty without one.
pub fn domain_of(email: &str) -> String {
    email
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim().trim_end_matches('.').to_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, at: Millis, status: &str) -> SignedRow {
        SignedRow {
            signer_id: id,
            signed_at: at,
            status: status.into(),
            partner: None,
            sealed: None,
            country: "FR".into(),
            lang: "fr".into(),
            consent_version: "1".into(),
            opt_in_organiser: false,
            opt_in_partner: false,
        }
    }

    #[test]
    fn groups_with_held_signers_always_show_and_the_busiest_others_follow() {
        let mut grouping = Grouping::default();
        for (id, key, status) in [
            (1, "a", "counted"),
            (2, "a", "counted"),
            (3, "a", "counted"),
            (4, "b", "counted"),
            (5, "b", "counted"),
            (6, "c", "held"),
            (7, "d", "counted"),
            (8, "a", "withdrawn"),
        ] {
            grouping.add(key.into(), &row(id, id * 1_000, status));
        }
        let notable = grouping.notable(1);
        let keys: Vec<&str> = notable.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "c"], "b is beyond the busiest 1, d is alone");
        assert_eq!(notable[0].1.signer_ids, [1, 2, 3]);
        assert_eq!((notable[0].1.first, notable[0].1.last), (1_000, 3_000));
        assert_eq!((notable[1].1.counted, notable[1].1.held), (0, 1));
    }

    #[test]
    fn hours_and_domains_read_as_the_organiser_types_them() {
        // 2026-11-22T05:59:59.999Z
        assert_eq!(hour_of(1_795_327_199_999), "2026-11-22T05");
        assert_eq!(domain_of("Ana@Mail.Example."), "mail.example");
        assert_eq!(domain_of("not an address"), "");
    }
}
