//! Bản sao chỉ đọc — PostgreSQL hot-standby replicas for read-only work.
//! `serve --db-replica URL` (repeatable) opens one pool per replica; a
//! read-only page asks `for_reading` for a store and gets a replica that
//! has replayed everything this server has written (so whoever has just
//! written reads their own write), else the primary. A replica that does
//! not answer is left alone for a while; nothing ever writes to one.

use crate::pool::{Pool, Replica, Replicas, Store, StoreError, StoreResult, redact};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long a replica that failed is not asked again.
const REST: Duration = Duration::from_secs(10);
/// How long the replay position may take to come back.
const ASK: Duration = Duration::from_millis(500);

/// A replica as `/metrics` shows it.
#[derive(Debug, Clone)]
pub struct ReplicaState {
    /// The URL without its password.
    pub url: String,
    pub reads: u64,
    pub resting: bool,
}

/// "16/B374D848" → one number that orders positions.
fn lsn(text: &str) -> Option<u64> {
    let (hi, lo) = text.split_once('/')?;
    Some(u64::from_str_radix(hi, 16).ok()? << 32 | u64::from_str_radix(lo, 16).ok()?)
}

impl Store {
    /// Adds read replicas (PostgreSQL only; connected when first asked).
    pub fn with_replicas(mut self, urls: &[String]) -> StoreResult<Store> {
        if urls.is_empty() {
            return Ok(self);
        }
        if !matches!(self.pool, Pool::Postgres(_)) {
            return Err(StoreError::Refused(
                "bản sao chỉ đọc (--db-replica) chỉ dùng với PostgreSQL".into(),
            ));
        }
        let mut list = Vec::with_capacity(urls.len());
        for url in urls {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(StoreError::InvalidUrl(redact(url)));
            }
            let opts =
                PgConnectOptions::from_str(url).map_err(|_| StoreError::InvalidUrl(redact(url)))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(ASK)
                .connect_lazy_with(opts);
            list.push(Replica {
                url: url.as_str().into(),
                pool,
                resting_until: Mutex::new(None),
                reads: AtomicU64::new(0),
            });
        }
        self.replicas = Some(std::sync::Arc::new(Replicas {
            list,
            next: AtomicUsize::new(0),
            written: AtomicU64::new(0),
        }));
        Ok(self)
    }

    /// Remembers how far the primary's WAL is after a write, so later reads
    /// go only to replicas that have replayed it. Without replicas: nothing.
    /// The insert position, not the write position: with asynchronous
    /// commit the write's commit record may not be written out yet, and a
    /// replica at the write position would not show it.
    pub async fn note_write(&self) {
        let (Some(r), Pool::Postgres(p)) = (&self.replicas, &self.pool) else {
            return;
        };
        let at: Result<String, _> = sqlx::query_scalar("select pg_current_wal_insert_lsn()::text")
            .fetch_one(p)
            .await;
        if let Some(n) = at.ok().as_deref().and_then(lsn) {
            r.written.fetch_max(n, Ordering::SeqCst);
        }
    }

    /// A store for read-only work: a replica that has caught up with this
    /// server's writes, else the primary.
    pub async fn for_reading(&self) -> Store {
        let Some(r) = &self.replicas else {
            return self.clone();
        };
        let written = r.written.load(Ordering::SeqCst);
        for _ in 0..r.list.len() {
            let k = r.next.fetch_add(1, Ordering::Relaxed) % r.list.len();
            let rep = &r.list[k];
            if rep
                .resting_until
                .lock()
                .ok()
                .and_then(|g| *g)
                .is_some_and(|t| t > Instant::now())
            {
                continue;
            }
            let asked = tokio::time::timeout(
                ASK,
                sqlx::query_scalar::<_, Option<String>>("select pg_last_wal_replay_lsn()::text")
                    .fetch_one(&rep.pool),
            )
            .await;
            match asked {
                Ok(Ok(Some(at))) if lsn(&at).is_some_and(|n| n >= written) => {
                    rep.reads.fetch_add(1, Ordering::Relaxed);
                    return Store {
                        pool: Pool::Postgres(rep.pool.clone()),
                        url: rep.url.clone(),
                        replicas: None,
                    };
                }
                // Behind this server's last write, or not a standby at
                // all: the next one, or the primary.
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    tracing::warn!(replica = %redact(&rep.url), error = %e, "replica not answering; reading from the primary");
                    if let Ok(mut g) = rep.resting_until.lock() {
                        *g = Some(Instant::now() + REST);
                    }
                }
                Err(_) => {
                    tracing::warn!(replica = %redact(&rep.url), "replica too slow; reading from the primary");
                    if let Ok(mut g) = rep.resting_until.lock() {
                        *g = Some(Instant::now() + REST);
                    }
                }
            }
        }
        self.clone()
    }

    /// The replicas and the reads each has served.
    pub fn replica_states(&self) -> Vec<ReplicaState> {
        self.replicas.as_ref().map_or_else(Vec::new, |r| {
            r.list
                .iter()
                .map(|rep| ReplicaState {
                    url: redact(&rep.url),
                    reads: rep.reads.load(Ordering::Relaxed),
                    resting: rep
                        .resting_until
                        .lock()
                        .ok()
                        .and_then(|g| *g)
                        .is_some_and(|t| t > Instant::now()),
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::lsn;

    #[test]
    fn positions_order() {
        assert_eq!(lsn("0/16B3748"), Some(0x16B3748));
        assert!(lsn("1/0").unwrap() > lsn("0/FFFFFFFF").unwrap());
        assert_eq!(lsn("nonsense"), None);
    }
}
