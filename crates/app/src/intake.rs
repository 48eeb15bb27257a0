//! Untrusted files (spreadsheets, CSV) are parsed here: on the blocking
//! pool, never on the async workers, and only a few at a time, so that
//! two large uploads cannot stall every other request (`/healthz`
//! included). Callers check permission before they read the body; the
//! parsers themselves bound what they keep (`thidua_sheets::LIMITS`).

use crate::{AppError, AppResult};
use tokio::sync::Semaphore;

/// Parses at once; the rest wait their turn. Two, for the two cores
/// thidua is sized for: the async workers keep a core between them.
static PARSERS: Semaphore = Semaphore::const_new(2);

/// Runs `work` on the blocking pool once a parsing place is free. A panic
/// inside becomes an internal error instead of taking the request's task
/// (or the server) with it.
pub async fn off_thread<T, F>(work: F) -> AppResult<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _place = PARSERS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("parser queue closed: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(format!("parser failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_parser_is_an_error_not_a_crash() {
        let r: AppResult<()> = off_thread(|| panic!("hostile input")).await;
        assert!(matches!(r, Err(AppError::Internal(_))));
        assert_eq!(off_thread(|| 2 + 2).await.unwrap(), 4);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn parsing_leaves_the_async_workers_free() {
        let slow = (0..4)
            .map(|_| {
                tokio::spawn(off_thread(|| {
                    std::thread::sleep(std::time::Duration::from_millis(300))
                }))
            })
            .collect::<Vec<_>>();
        // While four parses queue for two places, a plain task still runs at once.
        let started = std::time::Instant::now();
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        tokio::spawn(async {}).await.unwrap();
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
        for t in slow {
            t.await.unwrap().unwrap();
        }
    }
}
