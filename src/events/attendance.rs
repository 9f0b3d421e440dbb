//! Every upcoming event's attendance in memory, read again when an RSVP is
//! stored or cancelled on any instance, and pushed to the live connections
//! of the pages that show the event's day.
//!
//! RSVPs arrive a few a minute even on a day of action, so, like the
//! donation totals, the table is simply read again when a cheap version
//! query says something changed.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chorus_wire::events::Attendance as AttendanceJson;
use tokio::sync::{Notify, broadcast};

use crate::ident::Slug;
use crate::live::CountUpdate;
use crate::storage::{AttendanceRow, Store, StoreResult, now_millis};

/// How often the table looks for RSVPs stored by another instance.
const POLL_INTERVAL: Duration = Duration::from_millis(250);
const CHANNEL_CAPACITY: usize = 1024;

/// The live key every event's changes are also published under, for the
/// widgets that list events of every day (`?days=all`). No day may take it.
pub const ALL_DAYS: &str = "all";

#[derive(Debug, Default)]
struct Table {
    by_event: HashMap<String, AttendanceRow>,
    version: Option<i64>,
}

/// The live attendance of every upcoming event. Cheap to clone; clones
/// share state.
#[derive(Debug, Clone)]
pub struct Attendance {
    store: Arc<dyn Store>,
    table: Arc<RwLock<Table>>,
    /// Day slugs by id, learnt as days appear.
    days: Arc<RwLock<HashMap<i64, Slug>>>,
    updates: broadcast::Sender<Arc<CountUpdate>>,
    wake: Arc<Notify>,
}

impl Attendance {
    pub async fn load(store: Arc<dyn Store>) -> StoreResult<Self> {
        let (updates, _) = broadcast::channel(CHANNEL_CAPACITY);
        let attendance = Self {
            store,
            table: Arc::default(),
            days: Arc::default(),
            updates,
            wake: Arc::default(),
        };
        attendance.refresh().await?;
        Ok(attendance)
    }

    /// Keeps the table true until the process ends.
    pub fn spawn_refresher(&self) -> tokio::task::JoinHandle<()> {
        let attendance = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    () = attendance.wake.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
                if let Err(error) = attendance.refresh().await {
                    tracing::warn!(%error, "could not refresh event attendance; serving the last known");
                }
            }
        })
    }

    /// Asks the refresher to look now, after this process stored an RSVP.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CountUpdate>> {
        self.updates.subscribe()
    }

    /// The current attendance of every event of a day (or of every day,
    /// [`ALL_DAYS`]), as the live stream sends it.
    pub fn of_day(&self, day: &Slug) -> Vec<String> {
        let days = self.days.read().unwrap_or_else(|e| e.into_inner());
        let table = self.table.read().unwrap_or_else(|e| e.into_inner());
        table
            .by_event
            .values()
            .filter(|row| {
                day.as_str() == ALL_DAYS || row.day_id.and_then(|id| days.get(&id)) == Some(day)
            })
            .filter_map(json)
            .collect()
    }

    async fn refresh(&self) -> StoreResult<()> {
        let version = self.store.attendance_version().await?;
        let known = self.table.read().unwrap_or_else(|e| e.into_inner()).version;
        if known == Some(version) {
            return Ok(());
        }
        let rows = self.store.attendance(now_millis()).await?;
        self.learn_days(&rows).await?;
        let changed: Vec<AttendanceRow> = {
            let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
            let changed = rows
                .iter()
                .filter(|row| table.by_event.get(&row.public_id) != Some(*row))
                .cloned()
                .collect();
            table.by_event = rows
                .into_iter()
                .map(|row| (row.public_id.clone(), row))
                .collect();
            table.version = Some(version);
            changed
        };
        let days = self.days.read().unwrap_or_else(|e| e.into_inner()).clone();
        let all = Slug::parse(ALL_DAYS).expect("a valid slug");
        for row in changed {
            let Some(json) = json(&row) else { continue };
            let json = Arc::new(json);
            let keys = row
                .day_id
                .and_then(|id| days.get(&id))
                .into_iter()
                .chain([&all]);
            for slug in keys {
                // An error only means nobody is listening right now.
                drop(self.updates.send(Arc::new(CountUpdate {
                    slug: slug.clone(),
                    json: json.to_string(),
                })));
            }
        }
        Ok(())
    }

    async fn learn_days(&self, rows: &[AttendanceRow]) -> StoreResult<()> {
        let unknown = {
            let days = self.days.read().unwrap_or_else(|e| e.into_inner());
            rows.iter()
                .filter_map(|r| r.day_id)
                .any(|id| !days.contains_key(&id))
        };
        if unknown {
            let fresh = self.store.action_days().await?;
            let mut days = self.days.write().unwrap_or_else(|e| e.into_inner());
            days.extend(fresh.into_iter().map(|d| (d.id, d.slug)));
        }
        Ok(())
    }
}

fn json(row: &AttendanceRow) -> Option<String> {
    serde_json::to_string(&AttendanceJson {
        event: row.public_id.clone(),
        total_accepted: row.going,
        capacity: row.capacity,
    })
    .ok()
}
