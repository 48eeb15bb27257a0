//! Reading dossiers, their lines and their timeline.

use super::rows::{
    DOSSIER_COLS, DossierEvent, DossierLineRow, DossierRec, DossierRow, EventRec, LINE_SELECT,
    LineRec, OpenProposal, PostedLine, PostingOf,
};
use crate::registry::SubjectRef;
use crate::{StoreResult, on_pool};
use std::collections::HashMap;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::{DossierState, LineStatus};
use thidua_domain::org::UnitId;
use time::Date;

impl crate::Store {
    pub async fn dossier(&self, id: DossierId) -> StoreResult<Option<DossierRow>> {
        let rec: Option<DossierRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {DOSSIER_COLS} from dossiers where id = $1"
            )))
            .bind(id.0)
            .fetch_optional(p)
            .await?
        });
        rec.map(DossierRow::try_from).transpose()
    }

    /// Every dossier, newest first; callers filter by what the user may see.
    pub async fn dossiers(&self) -> StoreResult<Vec<DossierRow>> {
        let recs: Vec<DossierRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {DOSSIER_COLS} from dossiers order by id desc"
            )))
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierRow::try_from).collect()
    }

    pub async fn dossier_lines(&self, dossier: DossierId) -> StoreResult<Vec<DossierLineRow>> {
        let recs: Vec<LineRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} where l.dossier_id = $1 order by (l.person_id is null), l.id"
            )))
            .bind(dossier.0)
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierLineRow::try_from).collect()
    }

    /// Lines of the dossiers in the given states, for the public page.
    pub async fn dossier_lines_in_states(
        &self,
        states: &[DossierState],
    ) -> StoreResult<Vec<DossierLineRow>> {
        let list = states
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let recs: Vec<LineRec> = on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} join dossiers dd on dd.id = l.dossier_id where dd.state in ({list}) \
                 order by l.dossier_id, l.id"
            )))
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierLineRow::try_from).collect()
    }

    /// The lines posted publicly on `today` (the posting has begun and not
    /// ended, the line still in the running), with their proposing unit
    /// and last day, one page in dossier order, and how many there are.
    pub async fn posted_lines_on(
        &self,
        today: Date,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(Vec<PostedLine>, i64)> {
        let active = [
            LineStatus::Proposed,
            LineStatus::NeedsCompletion,
            LineStatus::CouncilPassed,
        ]
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
        let posted = DossierState::Posted.as_str();
        let filter = format!(
            "dd.state = '{posted}' and dd.posted_from is not null and dd.posted_from <= $1 \
             and (dd.posted_until is null or dd.posted_until >= $1) and l.status in ({active})"
        );
        let (recs, extra, total): (Vec<LineRec>, Vec<PostingOf>, i64) = on_pool!(self, |p| {
            let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "select count(*) from dossier_lines l join dossiers dd on dd.id = l.dossier_id where {filter}"
                )))
                .bind(today)
                .fetch_one(p)
                .await?;
            let recs: Vec<LineRec> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{LINE_SELECT} join dossiers dd on dd.id = l.dossier_id where {filter} \
                     order by l.dossier_id, l.id limit $2 offset $3"
            )))
            .bind(today)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
            let extra: Vec<PostingOf> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "select l.id, dd.unit_id, dd.posted_until from dossier_lines l join dossiers dd on dd.id = l.dossier_id \
                     where {filter} order by l.dossier_id, l.id limit $2 offset $3"
                )))
                .bind(today)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await?;
            (recs, extra, total)
        });
        let extra: HashMap<i64, (i64, Option<Date>)> =
            extra.into_iter().map(|(l, u, d)| (l, (u, d))).collect();
        let mut out = Vec::with_capacity(recs.len());
        for r in recs {
            let line = DossierLineRow::try_from(r)?;
            let (unit, until) = extra.get(&line.id).copied().unwrap_or((0, None));
            out.push(PostedLine {
                line,
                proposer: UnitId(unit),
                posted_until: until,
            });
        }
        Ok((out, total))
    }

    pub async fn dossier_events(&self, dossier: DossierId) -> StoreResult<Vec<DossierEvent>> {
        let recs: Vec<EventRec> = on_pool!(self, |p| {
            sqlx::query_as(
                "select id, at, on_day, login, action, from_state, to_state, note from dossier_events \
                 where dossier_id = $1 order by id",
            )
            .bind(dossier.0)
            .fetch_all(p)
            .await?
        });
        recs.into_iter().map(DossierEvent::try_from).collect()
    }

    /// Lines proposing the same subject in other open dossiers.
    pub async fn open_proposals(
        &self,
        subject: SubjectRef,
        except_dossier: DossierId,
    ) -> StoreResult<Vec<OpenProposal>> {
        let (person, unit) = match subject {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        };
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select d.id as dossier_id, l.id as line_id, l.code, d.state from dossier_lines l \
                 join dossiers d on d.id = l.dossier_id where d.id <> $1 \
                 and (l.person_id = $2 or l.unit_id = $3) \
                 and d.state not in ('draft', 'decided', 'rejected', 'withdrawn') \
                 and l.status in ('proposed', 'needs_completion', 'council_passed') order by d.id",
            )
            .bind(except_dossier.0)
            .bind(person)
            .bind(unit)
            .fetch_all(p)
            .await?
        }))
    }
}
