//! What Chorus knows about each petition besides its count (the record, its
//! texts and its partners), kept in memory for a few seconds.
//!
//! Why: every signature, petition view and frame page needs them, and asking
//! the database each time cost three or four queries per signature; across a
//! network to PostgreSQL that halved the signing rate. And while the
//! database is unreachable, the last copy keeps answering reads.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::ident::Slug;
use crate::storage::{
    Organisation, PetitionPartner, PetitionRecord, PetitionText, Store, StoreResult,
};

/// How long a copy is used before the database is asked again: an
/// organiser's change (a new partner, a translation) shows within this.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// A petition with everything its pages and its signing route need.
#[derive(Debug)]
pub struct Campaign {
    pub record: PetitionRecord,
    pub texts: Vec<PetitionText>,
    pub partners: Vec<PetitionPartner>,
    /// The organisation running it, whose key signers' details are sealed to.
    pub organisation: Option<Organisation>,
}

impl Campaign {
    /// The petition's title in a signer's language, for their email: the
    /// default language's when it has none in theirs.
    pub fn title_in(&self, lang: &str) -> String {
        let wanted = crate::ident::Lang::parse(lang).ok();
        crate::ident::pick_text(&self.texts, wanted.as_ref(), &self.record.default_lang)
            .map_or_else(|| self.record.slug.to_string(), |t| t.title.clone())
    }
}

/// A campaign and when it was read.
type Snapshot = (Instant, Arc<Campaign>);

#[derive(Debug, Clone)]
pub struct Directory {
    store: Arc<dyn Store>,
    known: Arc<Mutex<HashMap<Slug, Snapshot>>>,
    /// Petitions being read again now. While one request reads, the others
    /// answer from the old copy: at thousands of signatures a second, every
    /// request used to read the same four rows at once each time a copy aged.
    rereading: Arc<Mutex<HashSet<Slug>>>,
}

impl Directory {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            known: Arc::default(),
            rereading: Arc::default(),
        }
    }

    /// The petition `slug`, `None` if there is none. A copy at most
    /// [`FRESH_FOR`] old (or a little older while another request reads it
    /// again), or any copy when the database cannot answer.
    pub async fn campaign(&self, slug: &Slug) -> StoreResult<Option<Arc<Campaign>>> {
        let known = self.lock().get(slug).cloned();
        if let Some((read_at, campaign)) = &known
            && read_at.elapsed() < FRESH_FOR
        {
            return Ok(Some(campaign.clone()));
        }
        let claimed = lock(&self.rereading).insert(slug.clone());
        if let (false, Some((_, campaign))) = (claimed, &known) {
            return Ok(Some(campaign.clone()));
        }
        let read = self.read(slug).await;
        if claimed {
            lock(&self.rereading).remove(slug);
        }
        match read {
            Ok(Some(campaign)) => {
                let campaign = Arc::new(campaign);
                self.lock()
                    .insert(slug.clone(), (Instant::now(), campaign.clone()));
                Ok(Some(campaign))
            }
            Ok(None) => {
                self.lock().remove(slug);
                Ok(None)
            }
            Err(error) => match known {
                Some((_, campaign)) => {
                    tracing::warn!(%error, %slug, "database unreachable; answering from memory");
                    Ok(Some(campaign))
                }
                None => Err(error),
            },
        }
    }

    async fn read(&self, slug: &Slug) -> StoreResult<Option<Campaign>> {
        let Some(record) = self.store.petition_by_slug(slug).await? else {
            return Ok(None);
        };
        let texts = self.store.petition_texts(record.id).await?;
        let partners = self.store.petition_partners(record.id).await?;
        let organisation = match record.organisation_id {
            Some(id) => self.store.organisation(id).await?,
            None => None,
        };
        Ok(Some(Campaign {
            record,
            texts,
            partners,
            organisation,
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Slug, Snapshot>> {
        lock(&self.known)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
