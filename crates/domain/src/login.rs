//! Đăng nhập sai — how wrong passwords slow an attacker down without
//! handing them a way to lock someone else out or to learn which logins
//! exist. Failures are counted per (login as typed, client address): an
//! attacker guessing the administrator's password from one address locks
//! only that pair, while the administrator logs in from their own. Locks
//! grow with each repeat, and a login that does not exist is treated
//! exactly like one that does.

use std::collections::HashMap;

/// The rule's figures (a province may set its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Wrong passwords in a row before the first lock.
    pub max_failures: u32,
    /// The first lock, in seconds; each further lock doubles it.
    pub first_lock_seconds: i64,
    /// No lock is longer than this.
    pub max_lock_seconds: i64,
    /// Pairs not seen for this long are forgotten.
    pub forget_after_seconds: i64,
}

impl Default for ThrottleRule {
    fn default() -> Self {
        ThrottleRule {
            max_failures: 5,
            first_lock_seconds: 15 * 60,
            max_lock_seconds: 24 * 3600,
            forget_after_seconds: 24 * 3600,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Pair {
    failures: u32,
    locks: u32,
    locked_until: i64,
    last_seen: i64,
}

/// What a login attempt may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Open,
    /// Refuse without checking, for this many more seconds.
    Locked { seconds: i64 },
}

/// What a wrong password led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Counted(u32),
    /// The pair is now locked for this many seconds (the n-th lock).
    Locked {
        seconds: i64,
        nth: u32,
    },
}

/// The counters, keyed by the folded login and the client's address.
/// Pure: the caller passes the time (seconds) and keeps it behind a lock.
#[derive(Debug, Default)]
pub struct Throttle {
    pairs: HashMap<(String, String), Pair>,
}

/// At most this many pairs are kept; older ones are forgotten first.
const MAX_PAIRS: usize = 100_000;

impl Throttle {
    fn key(login: &str, client: &str) -> (String, String) {
        (
            crate::text::fold(login).chars().take(200).collect(),
            client.to_owned(),
        )
    }

    pub fn gate(&self, login: &str, client: &str, now: i64) -> Gate {
        match self.pairs.get(&Self::key(login, client)) {
            Some(p) if p.locked_until > now => Gate::Locked {
                seconds: p.locked_until - now,
            },
            _ => Gate::Open,
        }
    }

    pub fn failed(&mut self, rule: &ThrottleRule, login: &str, client: &str, now: i64) -> Failure {
        if self.pairs.len() >= MAX_PAIRS {
            let horizon = now - rule.forget_after_seconds;
            self.pairs
                .retain(|_, p| p.last_seen > horizon || p.locked_until > now);
            if self.pairs.len() >= MAX_PAIRS {
                // Under a flood of distinct pairs, the oldest half goes.
                let mut seen: Vec<i64> = self.pairs.values().map(|p| p.last_seen).collect();
                seen.sort_unstable();
                let cut = seen[seen.len() / 2];
                self.pairs.retain(|_, p| p.last_seen > cut);
            }
        }
        let p = self.pairs.entry(Self::key(login, client)).or_default();
        if now - p.last_seen > rule.forget_after_seconds {
            *p = Pair::default();
        }
        p.last_seen = now;
        p.failures += 1;
        if p.failures < rule.max_failures {
            return Failure::Counted(p.failures);
        }
        p.failures = 0;
        p.locks += 1;
        let seconds = rule
            .first_lock_seconds
            .saturating_mul(1_i64 << (p.locks - 1).min(20))
            .min(rule.max_lock_seconds);
        p.locked_until = now + seconds;
        Failure::Locked {
            seconds,
            nth: p.locks,
        }
    }

    /// A right password clears the pair.
    pub fn succeeded(&mut self, login: &str, client: &str) {
        self.pairs.remove(&Self::key(login, client));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const R: ThrottleRule = ThrottleRule {
        max_failures: 5,
        first_lock_seconds: 900,
        max_lock_seconds: 24 * 3600,
        forget_after_seconds: 24 * 3600,
    };

    #[test]
    fn five_wrong_passwords_lock_the_pair_not_the_account() {
        let mut t = Throttle::default();
        for i in 1..5 {
            assert_eq!(
                t.failed(&R, "admin", "203.0.113.9", 100),
                Failure::Counted(i)
            );
        }
        assert_eq!(
            t.failed(&R, "Admin", "203.0.113.9", 100),
            Failure::Locked {
                seconds: 900,
                nth: 1
            }
        );
        assert_eq!(
            t.gate("admin", "203.0.113.9", 200),
            Gate::Locked { seconds: 800 }
        );
        // The administrator, from their own address, is not locked out.
        assert_eq!(t.gate("admin", "10.0.0.7", 200), Gate::Open);
        assert_eq!(t.gate("admin", "203.0.113.9", 1000), Gate::Open);
    }

    #[test]
    fn locks_grow_with_each_repeat_and_are_capped() {
        let mut t = Throttle::default();
        let mut now = 0;
        let mut locks = Vec::new();
        for _ in 0..10 {
            for _ in 0..5 {
                if let Failure::Locked { seconds, .. } = t.failed(&R, "x", "c", now) {
                    locks.push(seconds);
                    now += seconds;
                }
            }
        }
        assert_eq!(&locks[..4], &[900, 1800, 3600, 7200]);
        assert!(locks.iter().all(|s| *s <= 24 * 3600));
        assert_eq!(*locks.last().unwrap(), 24 * 3600);
    }

    #[test]
    fn success_clears_and_time_forgets() {
        let mut t = Throttle::default();
        for _ in 0..4 {
            t.failed(&R, "hoa", "c", 0);
        }
        t.succeeded("hoa", "c");
        assert_eq!(t.failed(&R, "hoa", "c", 1), Failure::Counted(1));
        for _ in 0..3 {
            t.failed(&R, "hoa", "c", 1);
        }
        // A day later the four failures are forgotten.
        assert_eq!(t.failed(&R, "hoa", "c", 2 + 24 * 3600), Failure::Counted(1));
    }

    proptest! {
        /// A client's wrong passwords never change what another client
        /// may do with the same login: no one can lock an account out
        /// from somewhere else.
        #[test]
        fn one_clients_failures_never_lock_another(
            attempts in proptest::collection::vec((0u8..3, 0u8..3, 0i64..5000), 0..80)
        ) {
            let mut t = Throttle::default();
            let mut now = 0;
            for (login, client, dt) in attempts {
                now += dt;
                let (l, c) = (format!("u{login}"), format!("c{client}"));
                let others: Vec<String> = (0..3).map(|o| format!("c{o}")).filter(|o| *o != c).collect();
                let before: Vec<Gate> = others.iter().map(|o| t.gate(&l, o, now)).collect();
                if t.gate(&l, &c, now) == Gate::Open {
                    t.failed(&R, &l, &c, now);
                }
                let after: Vec<Gate> = others.iter().map(|o| t.gate(&l, o, now)).collect();
                prop_assert_eq!(before, after);
            }
        }
    }
}
