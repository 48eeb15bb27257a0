//! A movement from its launch: status, documents, registrations.

use super::rows::{
    IndicatorRow, MOVEMENT_COLS, MovementRecord, MovementRow, NewMovement, Registrant,
    RegistrationRow, Review, ReviewRow, conflict, now, strings,
};
use crate::audit::{Change, Who, record};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde_json::json;
use std::collections::HashMap;
use thidua_domain::document::DocumentNumber;
use thidua_domain::movement::{MovementCode, MovementStatus, ReviewKind};
use thidua_domain::org::UnitId;
use time::Date;

impl crate::Store {
    /// Creates a movement in draft with its indicators.
    pub async fn create_movement(&self, who: &Who, m: &NewMovement) -> StoreResult<i64> {
        thidua_domain::indicator::check_indicators(&m.indicators).map_err(|errs| {
            StoreError::Conflict(
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let defs: Vec<String> = m
            .indicators
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into movements (code, name, kind, level, authority_unit_id, doc_number, doc_date, doc_signer, \
                 theme, start_date, end_date, registration_deadline, parent_id, target_collectives, target_individuals, \
                 content_areas, award_forms, status, created_at, criteria) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'draft', $18, $19) returning id",
            )
            .bind(m.code.as_str())
            .bind(m.name.trim())
            .bind(m.kind.as_str())
            .bind(m.level.as_str())
            .bind(m.authority.map(|u| u.0))
            .bind(m.doc_number.as_ref().map(DocumentNumber::as_str))
            .bind(m.doc_date)
            .bind(m.doc_signer.as_deref())
            .bind(m.theme.as_deref())
            .bind(m.start)
            .bind(m.end)
            .bind(m.registration_deadline)
            .bind(m.parent)
            .bind(strings(&m.target_collectives))
            .bind(strings(&m.target_individuals))
            .bind(strings(&m.content_areas))
            .bind(strings(&m.award_forms))
            .bind(now())
            .bind(strings(&m.criteria))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, format!("mã phong trào {} đã được dùng", m.code)))?;
            for (pos, (def, json)) in m.indicators.iter().zip(&defs).enumerate() {
                sqlx::query(
                    "insert into indicators (movement_id, position, code, definition) values ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(pos as i64)
                .bind(def.code.as_str())
                .bind(json)
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("movement.create", "movement", id).after(json!({
                    "code": m.code.as_str(), "name": m.name, "kind": m.kind.as_str(),
                    "level": m.level.as_str(), "start": m.start.to_string(),
                    "end": m.end.map(|d| d.to_string()),
                    "indicators": m.indicators.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn movements(&self) -> StoreResult<Vec<MovementRow>> {
        let sql = format!("select {MOVEMENT_COLS} from movements order by start_date desc, code");
        let recs: Vec<MovementRecord> =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .fetch_all(p)
                .await?);
        recs.into_iter().map(MovementRow::try_from).collect()
    }

    pub async fn movement_by_code(&self, code: &MovementCode) -> StoreResult<Option<MovementRow>> {
        let sql = format!("select {MOVEMENT_COLS} from movements where code = $1");
        let rec: Option<MovementRecord> =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(code.as_str())
                .fetch_optional(p)
                .await?);
        rec.map(MovementRow::try_from).transpose()
    }

    pub async fn movement(&self, id: i64) -> StoreResult<Option<MovementRow>> {
        let sql = format!("select {MOVEMENT_COLS} from movements where id = $1");
        let rec: Option<MovementRecord> =
            on_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(id)
                .fetch_optional(p)
                .await?);
        rec.map(MovementRow::try_from).transpose()
    }

    pub async fn indicators(&self, movement: i64) -> StoreResult<Vec<IndicatorRow>> {
        let recs: Vec<(i64, String)> = on_pool!(self, |p| sqlx::query_as(
            "select id, definition from indicators where movement_id = $1 order by position"
        )
        .bind(movement)
        .fetch_all(p)
        .await?);
        recs.into_iter()
            .map(|(id, def)| {
                Ok(IndicatorRow {
                    id,
                    def: parse_stored(serde_json::from_str(&def))?,
                })
            })
            .collect()
    }

    /// Moves a movement along its lifecycle; a review needs its date and report.
    pub async fn set_movement_status(
        &self,
        who: &Who,
        id: i64,
        to: MovementStatus,
        review: Option<&Review>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let cur: Option<(String,)> =
                sqlx::query_as("select status from movements where id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let cur = cur.ok_or_else(|| StoreError::NotFound(format!("phong trào #{id}")))?;
            let from = parse_stored(MovementStatus::parse(&cur.0))?;
            from.transition(to)
                .map_err(|e| StoreError::Conflict(e.to_string()))?;
            if to.is_review() {
                let r = review.ok_or_else(|| {
                    StoreError::Conflict("sơ kết, tổng kết cần ngày và báo cáo".to_owned())
                })?;
                sqlx::query(
                    "insert into movement_reviews (movement_id, kind, held_on, doc_number, report, created_by, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(
                    if to == MovementStatus::FinalReview {
                        ReviewKind::Final
                    } else {
                        ReviewKind::Interim
                    }
                    .as_str(),
                )
                .bind(r.held_on)
                .bind(r.doc_number.as_ref().map(DocumentNumber::as_str))
                .bind(r.report.trim())
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("update movements set status = $2 where id = $1")
                .bind(id)
                .bind(to.as_str())
                .execute(&mut *tx)
                .await?;
            record!(
                tx,
                d,
                who,
                Change::new("movement.status", "movement", id)
                    .before(json!({ "status": from.as_str() }))
                    .after(json!({
                        "status": to.as_str(),
                        "review": review.map(|r| json!({
                            "held_on": r.held_on.to_string(),
                            "doc_number": r.doc_number.as_ref().map(DocumentNumber::as_str),
                        })),
                    }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn movement_reviews(&self, id: i64) -> StoreResult<Vec<ReviewRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select id, kind, held_on, doc_number, report, created_by from movement_reviews where movement_id = $1 order by held_on, id"
        )
        .bind(id)
        .fetch_all(p)
        .await?
        }))
    }

    /// Attaches the launching document's file.
    pub async fn attach_movement_file(
        &self,
        who: &Who,
        id: i64,
        file_name: &str,
        content_type: &str,
        content: &[u8],
    ) -> StoreResult<i64> {
        let file_id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (fid,): (i64,) = sqlx::query_as(
                "insert into movement_files (movement_id, file_name, content_type, content, uploaded_by, uploaded_at) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(id)
            .bind(file_name)
            .bind(content_type)
            .bind(content)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("movement.file", "movement", id).after(json!({
                    "file_id": fid, "file_name": file_name, "bytes": content.len(),
                }))
            );
            tx.commit().await?;
            fid
        });
        Ok(file_id)
    }

    /// (id, file name, content type, size) of a movement's files.
    pub async fn movement_files(&self, id: i64) -> StoreResult<Vec<(i64, String, String)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select id, file_name, content_type from movement_files where movement_id = $1 order by id"
        )
        .bind(id)
        .fetch_all(p)
        .await?
        }))
    }

    /// (file name, content type, bytes) of one file of a movement.
    pub async fn movement_file(
        &self,
        movement: i64,
        file: i64,
    ) -> StoreResult<Option<(String, String, Vec<u8>)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
            "select file_name, content_type, content from movement_files where movement_id = $1 and id = $2"
        )
        .bind(movement)
        .bind(file)
        .fetch_optional(p)
        .await?
        }))
    }

    /// Registers a unit or a person, with targets per indicator.
    pub async fn register(
        &self,
        who: &Who,
        movement: i64,
        registrant: Registrant,
        on: Date,
        pledges: Option<&str>,
        targets: &[(i64, f64)],
    ) -> StoreResult<i64> {
        let (unit, person) = match registrant {
            Registrant::Unit(u) => (Some(u.0), None),
            Registrant::Person(p) => (None, Some(p)),
        };
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into registrations (movement_id, unit_id, person_id, registered_on, pledges, registered_by) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(movement)
            .bind(unit)
            .bind(person)
            .bind(on)
            .bind(pledges.map(str::trim).filter(|s| !s.is_empty()))
            .bind(&who.login)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, "đơn vị hoặc cá nhân này đã đăng ký phong trào".to_owned()))?;
            for (indicator, target) in targets {
                sqlx::query(
                    "insert into registration_targets (registration_id, indicator_id, target) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(indicator)
                .bind(target)
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("movement.register", "movement", movement).after(json!({
                    "registration": id, "unit_id": unit, "person_id": person,
                    "on": on.to_string(), "pledges": pledges, "targets": targets,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn registrations(&self, movement: i64) -> StoreResult<Vec<RegistrationRow>> {
        type Rec = (i64, Option<i64>, Option<i64>, Date, Option<String>, String);
        let (recs, targets): (Vec<Rec>, Vec<(i64, i64, f64)>) = on_pool!(self, |p| {
            let recs = sqlx::query_as(
                "select id, unit_id, person_id, registered_on, pledges, registered_by from registrations \
                 where movement_id = $1 order by registered_on, id",
            )
            .bind(movement)
            .fetch_all(p)
            .await?;
            let targets = sqlx::query_as(
                "select t.registration_id, t.indicator_id, t.target from registration_targets t \
                 join registrations r on r.id = t.registration_id where r.movement_id = $1",
            )
            .bind(movement)
            .fetch_all(p)
            .await?;
            (recs, targets)
        });
        let mut by_reg: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
        for (r, i, t) in targets {
            by_reg.entry(r).or_default().push((i, t));
        }
        Ok(recs
            .into_iter()
            .map(|(id, unit, person, on, pledges, by)| RegistrationRow {
                id,
                unit: unit.map(UnitId),
                person_id: person,
                registered_on: on,
                pledges,
                registered_by: by,
                targets: by_reg.remove(&id).unwrap_or_default(),
            })
            .collect())
    }
}
