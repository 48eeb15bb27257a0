//! Nomination dossiers (hồ sơ đề nghị khen thưởng): their lines, files,
//! timeline, council votes and public feedback; the calendar's overrides,
//! the procedure's limits and notifications. The state machine is the
//! domain's; this module writes what the application decided, refusing a
//! change made on a version someone else has moved on from.

/// Records the engine's verdicts on a dossier's lines, and their audit
/// entry, inside the open transaction.
macro_rules! line_checks {
    ($tx:expr, $d:expr, $who:expr, $dossier:expr, $checks:expr, $on:expr) => {{
        let checks: &[$crate::dossiers::LineVerdict] = $checks;
        for (line, outcome, verdict) in checks {
            sqlx::query(
                "update dossier_lines set outcome = $1, verdict = $2, checked_on = $3 where id = $4 and dossier_id = $5",
            )
            .bind(outcome.as_str())
            .bind(verdict)
            .bind($on)
            .bind(line)
            .bind($dossier)
            .execute(&mut *$tx)
            .await?;
        }
        record!(
            $tx,
            $d,
            $who,
            Change::new("dossier.check", "dossier", $dossier).after(json!({
                "lines": checks.iter().map(|(l, o, _)| json!({"line": l, "outcome": o.as_str()})).collect::<Vec<_>>(),
            }))
        );
    }};
}

/// Appends a step to the dossier's timeline inside the open transaction.
macro_rules! timeline {
    ($tx:expr, $dossier:expr, $who:expr, $action:expr, $from:expr, $to:expr, $note:expr, $day:expr) => {
        sqlx::query(
            "insert into dossier_events (dossier_id, at, on_day, login, action, from_state, to_state, note) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($dossier)
        .bind(now())
        .bind($day)
        .bind(&$who.login)
        .bind($action)
        .bind($from)
        .bind($to)
        .bind($note)
        .execute(&mut *$tx)
        .await?
    };
}

/// Inserts a notice and its e-mail copy in the outbox inside the open
/// transaction.
macro_rules! notice {
    ($tx:expr, $dossier:expr, $n:expr) => {{
        let n: &$crate::dossiers::Notice = $n;
        let (nid,): (i64,) = sqlx::query_as(
            "insert into notifications (user_id, dossier_id, kind, message, dedup_key, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(n.user_id)
        .bind($dossier)
        .bind(n.kind)
        .bind(&n.message)
        .bind(n.dedup_key.as_deref())
        .bind(now())
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query(
            "insert into outbox (notification_id, channel, recipient, subject, body, created_at) \
             values ($1, 'email', $2, $3, $4, $5)",
        )
        .bind(nid)
        .bind(&n.login)
        .bind(format!("[thidua] Hồ sơ #{}", $dossier))
        .bind(&n.message)
        .bind(now())
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Moves a dossier that is editable by its unit to a new version, or
/// says why not.
macro_rules! touch_editable {
    ($tx:expr, $id:expr) => {{
        let cur: Option<(String,)> = sqlx::query_as("select state from dossiers where id = $1")
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let Some((state,)) = cur else {
            return Err(StoreError::NotFound(format!("hồ sơ #{}", $id)));
        };
        let state = DossierState::parse(&state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if !state.editable_by_proposer() {
            return Err(StoreError::Conflict(format!(
                "hồ sơ đang ở trạng thái «{}», đơn vị không sửa được",
                state.label()
            )));
        }
        sqlx::query("update dossiers set version = version + 1, updated_at = $1 where id = $2")
            .bind(now())
            .bind($id)
            .execute(&mut *$tx)
            .await?;
    }};
}

/// Inserts a draft dossier with its first timeline step and audit entry
/// inside the open transaction; `extra` goes into the audit entry.
macro_rules! insert_dossier {
    ($tx:expr, $d:expr, $who:expr, $unit:expr, $h:expr, $today:expr, $extra:expr) => {{
        let (id,): (i64,) = sqlx::query_as(
            "insert into dossiers (unit_id, award_type, movement_id, title, state, letter_number, letter_date, \
             letter_signer, created_by, created_at, updated_at) values ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $9) \
             returning id",
        )
        .bind($unit.0)
        .bind($h.award_type.as_str())
        .bind($h.movement_id)
        .bind($h.title.trim())
        .bind($h.letter_number.as_deref())
        .bind($h.letter_date)
        .bind($h.letter_signer.as_deref())
        .bind(&$who.login)
        .bind(now())
        .fetch_one(&mut *$tx)
        .await?;
        timeline!(
            $tx,
            id,
            $who,
            thidua_domain::dossier::TimelineEvent::Created.as_str(),
            None::<&str>,
            Some("draft"),
            None::<&str>,
            $today
        );
        let mut after = json!({
            "unit_id": $unit.0, "award_type": $h.award_type.as_str(), "title": $h.title,
            "movement_id": $h.movement_id,
        });
        let extra: serde_json::Value = $extra;
        if !extra.is_null() {
            after["proposals"] = extra;
        }
        record!($tx, $d, $who, Change::new("dossier.create", "dossier", id).after(after));
        id
    }};
}

mod drafting;
mod listing;
mod notices;
mod procedure;
mod public;
mod reading;
mod rows;
mod steps;

pub use listing::{DossierListing, UnsentInList};
pub use rows::{
    DossierEvent, DossierFileRow, DossierHeader, DossierLineRow, DossierPatch, DossierRow,
    FeedbackRow, FlagDossier, LineChange, LineVerdict, NewDossierFile, NewDossierLine, Notice,
    NotificationRow, OpenProposal, PostedLine, RegistryEntry, VoteRow,
};
pub use steps::Step;
