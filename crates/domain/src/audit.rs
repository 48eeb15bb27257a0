//! The audit log's hash chain (nhật ký thay đổi).
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so
//! altering, deleting or reordering any stored entry breaks every hash after
//! it, and [`verify`] names the first entry that no longer fits.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an entry's hash covers, exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub at: &'a str,
    pub actor_id: Option<i64>,
    pub actor_login: &'a str,
    pub ip: Option<&'a str>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Option<&'a str>,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
}

/// SHA-256 (hex) of the previous hash and the fields, each prefixed by its
/// length so that no two different entries serialise alike.
pub fn entry_hash(prev_hash: &str, f: &AuditFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |s: Option<&str>| match s {
        None => h.update(b"-"),
        Some(s) => {
            h.update(s.len().to_string().as_bytes());
            h.update(b":");
            h.update(s.as_bytes());
        }
    };
    let actor = f.actor_id.map(|i| i.to_string());
    put(Some(prev_hash));
    put(Some(f.at));
    put(actor.as_deref());
    put(Some(f.actor_login));
    put(f.ip);
    put(Some(f.action));
    put(Some(f.object_type));
    put(f.object_id);
    put(f.before_json);
    put(f.after_json);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_login: String,
    pub ip: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl StoredEntry {
    pub fn fields(&self) -> AuditFields<'_> {
        AuditFields {
            at: &self.at,
            actor_id: self.actor_id,
            actor_login: &self.actor_login,
            ip: self.ip.as_deref(),
            action: &self.action,
            object_type: &self.object_type,
            object_id: self.object_id.as_deref(),
            before_json: self.before_json.as_deref(),
            after_json: self.after_json.as_deref(),
        }
    }
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("mục nhật ký #{id}: nội dung đã bị sửa (mã băm không khớp)")]
    Altered { id: i64 },
    #[error("mục nhật ký #{id}: không nối tiếp mục trước (mục bị xóa, chèn hoặc đổi thứ tự)")]
    Unlinked { id: i64 },
}

/// Checks a chain, given in id order. Returns how many entries it checked.
pub fn verify<I: IntoIterator<Item = StoredEntry>>(
    entries: I,
    mut prev: String,
) -> Result<(usize, String), ChainError> {
    let mut n = 0;
    for e in entries {
        if e.prev_hash != prev {
            return Err(ChainError::Unlinked { id: e.id });
        }
        if entry_hash(&e.prev_hash, &e.fields()) != e.hash {
            return Err(ChainError::Altered { id: e.id });
        }
        prev = e.hash;
        n += 1;
    }
    Ok((n, prev))
}

/// A timestamp as the log stores it: UTC, microseconds, fixed width, so
/// text order is time order on both engines.
pub fn timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Vec<StoredEntry> {
        let mut prev = GENESIS.to_owned();
        (0..n)
            .map(|i| {
                let mut e = StoredEntry {
                    id: i as i64 + 1,
                    at: format!("2026-01-01T00:00:{i:02}.000000Z"),
                    actor_id: Some(1),
                    actor_login: "admin".into(),
                    ip: Some("127.0.0.1".into()),
                    action: "unit.create".into(),
                    object_type: "unit".into(),
                    object_id: Some(i.to_string()),
                    before_json: None,
                    after_json: Some(format!("{{\"name\":\"Thôn {i}\"}}")),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&e.prev_hash, &e.fields());
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(chain(5), GENESIS.into()).map(|r| r.0), Ok(5));
    }

    #[test]
    fn an_altered_entry_is_named() {
        let mut c = chain(5);
        c[2].after_json = Some("{\"name\":\"Thôn giả\"}".into());
        assert_eq!(
            verify(c, GENESIS.into()),
            Err(ChainError::Altered { id: 3 })
        );
    }

    #[test]
    fn a_deleted_entry_breaks_the_next_link() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(c, GENESIS.into()),
            Err(ChainError::Unlinked { id: 3 })
        );
    }

    #[test]
    fn none_and_empty_hash_differently() {
        let mut a = chain(1).remove(0);
        let h1 = entry_hash(GENESIS, &a.fields());
        a.ip = Some(String::new());
        assert_ne!(h1, entry_hash(GENESIS, &a.fields()));
    }

    #[test]
    fn timestamps_are_fixed_width() {
        let t = time::macros::datetime!(2026-11-22 09:05:03.5 UTC);
        assert_eq!(timestamp(t), "2026-11-22T09:05:03.500000Z");
    }
}
