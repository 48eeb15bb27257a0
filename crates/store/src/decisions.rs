//! Decisions (quyết định khen thưởng) and what they write into the
//! registry; the base salary's history; the administrators' templates.

use crate::audit::{Change, Who, record};
use crate::dossiers::RegistryEntry;
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use thidua_domain::decision::DecisionId;
use thidua_domain::decision::{BaseSalary, DecisionKind};
use thidua_domain::dossier::DossierId;
use thidua_domain::org::UnitId;
use thidua_domain::template::TemplateKind;
use time::Date;

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub kind: DecisionKind,
    pub issuer: String,
    pub issuer_unit: Option<UnitId>,
    pub number: String,
    pub serial: Option<i64>,
    pub date: Date,
    pub signer: String,
    pub signer_title: String,
    pub grounds: String,
    pub proposer: String,
    pub award_code: Option<String>,
    pub refers_to: Option<i64>,
    pub reason: Option<String>,
    pub dossier: Option<i64>,
    pub base_salary_vnd: Option<i64>,
    /// The issuing office's authority word (`chu_tich_ubnd_tinh`,
    /// `thu_truong_co_quan`, `thu_tuong`…).
    pub issuer_kind: Option<String>,
}

/// What a decision does to the registry besides being recorded.
#[derive(Debug, Clone)]
pub enum DecisionEffect {
    /// New awards (or annual titles).
    Award(Vec<RegistryEntry>),
    /// Awards and annual titles taken back.
    Revoke { awards: Vec<i64>, titles: Vec<i64> },
    /// Each earlier award replaced by a corrected line.
    Correct(Vec<(i64, RegistryEntry)>),
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DecisionRow {
    #[sqlx(try_from = "i64")]
    pub id: DecisionId,
    pub kind: String,
    pub issuer: String,
    pub issuer_unit_id: Option<i64>,
    pub number: String,
    pub year: i32,
    pub serial: Option<i64>,
    pub decision_date: Date,
    pub signer: String,
    pub signer_title: String,
    pub grounds: String,
    pub proposer: String,
    pub award_code: Option<String>,
    pub refers_to: Option<i64>,
    pub reason: Option<String>,
    pub dossier_id: Option<i64>,
    pub base_salary_vnd: Option<i64>,
    pub issuer_kind: Option<String>,
    pub created_by: String,
    pub created_at: String,
    /// Lines it gave (or, for a revocation, took back).
    pub lines: i64,
}

impl DecisionRow {
    pub fn kind(&self) -> DecisionKind {
        DecisionKind::parse(&self.kind).unwrap_or(DecisionKind::Award)
    }
}

/// One line of a decision: an award with its subject, as the list prints it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DecisionLineRow {
    pub award_id: i64,
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub subject_name: String,
    pub gender: Option<String>,
    pub position: Option<String>,
    /// The unit the subject belonged to on the decision day.
    pub subject_unit: Option<String>,
    pub code: String,
    pub achievement: Option<String>,
    pub bonus_vnd: Option<i64>,
    pub period_from: Option<i32>,
    pub period_to: Option<i32>,
    pub status: String,
    pub award_type: String,
    pub subject_unit_id: Option<i64>,
    pub decision_id: Option<i64>,
    pub superseded_by: Option<i64>,
    pub revoked_by: Option<i64>,
    /// An annual title (a row of `titles`, `award_id` being its id there)
    /// rather than an award.
    pub title: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TemplateRow {
    pub id: i64,
    pub kind: String,
    pub body: String,
    pub created_by: String,
    pub created_at: String,
}

const DECISION_SELECT: &str = "select d.id, d.kind, d.issuer, d.issuer_unit_id, d.number, d.year, \
    cast(d.serial as bigint) as serial, d.decision_date, d.signer, d.signer_title, d.grounds, d.proposer, \
    d.award_code, d.refers_to, d.reason, d.dossier_id, d.base_salary_vnd, d.issuer_kind, d.created_by, d.created_at, \
    (select count(*) from awards a where a.decision_id = d.id or a.revoked_by = d.id) \
    + (select count(*) from titles t where t.decision_id = d.id or t.revoked_by = d.id) as lines \
    from decisions d";

/// Inserts one registry entry inside the open transaction: annual titles
/// into `titles`, everything else into `awards` with its decision.
macro_rules! registry_insert {
    ($tx:expr, $e:expr, $decision:expr, $number:expr, $date:expr, $issuer:expr) => {{
        let e: &$crate::dossiers::RegistryEntry = $e;
        let (person, unit) = e.subject.columns();
        if e.annual_title {
            let (id,): (i64,) = sqlx::query_as(
                "insert into titles (person_id, unit_id, year, code, decision_number, decision_date, \
                 subject_unit_id, created_at, decision_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
            )
            .bind(person)
            .bind(unit)
            .bind(e.period_to)
            .bind(&e.code)
            .bind($number)
            .bind($date)
            .bind(e.subject_unit.map(|u| u.0).or(unit))
            .bind($crate::movements::now())
            .bind($decision)
            .fetch_one(&mut *$tx)
            .await
            .map_err(|err| {
                $crate::movements::conflict(err, format!("đã có danh hiệu năm {} trong sổ", e.period_to))
            })?;
            id
        } else {
            let (id,): (i64,) = sqlx::query_as(
                "insert into awards (person_id, unit_id, code, award_type, decision_number, decision_date, issuer, \
                 period_from, period_to, decision_id, achievement, bonus_vnd, subject_unit_id, movement_id, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id",
            )
            .bind(person)
            .bind(unit)
            .bind(&e.code)
            .bind(&e.award_type)
            .bind($number)
            .bind($date)
            .bind($issuer)
            .bind(e.period_from)
            .bind(e.period_to)
            .bind($decision)
            .bind(e.achievement.as_deref())
            .bind(e.bonus_vnd)
            .bind(e.subject_unit.map(|u| u.0).or(unit))
            .bind(e.movement)
            .bind($crate::movements::now())
            .fetch_one(&mut *$tx)
            .await?;
            let issuer: Option<&str> = $issuer;
            if let Some(i) = issuer {
                sqlx::query("insert into award_issuers (name) values ($1) on conflict do nothing")
                    .bind(i)
                    .execute(&mut *$tx)
                    .await?;
            }
            id
        }
    }};
}
pub(crate) use registry_insert;

/// Inserts a decision inside the open transaction; a number its issuer
/// already used that year is a conflict.
macro_rules! decision_insert {
    ($tx:expr, $who:expr, $n:expr) => {{
        let n: &$crate::decisions::NewDecision = $n;
        let (id,): (i64,) = sqlx::query_as(
            "insert into decisions (kind, issuer, issuer_unit_id, number, year, serial, decision_date, signer, \
             signer_title, grounds, proposer, award_code, refers_to, reason, dossier_id, base_salary_vnd, \
             created_by, created_at, issuer_kind) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
             $14, $15, $16, $17, $18, $19) returning id",
        )
        .bind(n.kind.as_str())
        .bind(&n.issuer)
        .bind(n.issuer_unit.map(|u| u.0))
        .bind(&n.number)
        .bind(n.date.year())
        .bind(n.serial)
        .bind(n.date)
        .bind(&n.signer)
        .bind(&n.signer_title)
        .bind(&n.grounds)
        .bind(&n.proposer)
        .bind(n.award_code.as_deref())
        .bind(n.refers_to)
        .bind(n.reason.as_deref())
        .bind(n.dossier)
        .bind(n.base_salary_vnd)
        .bind(&$who.login)
        .bind($crate::movements::now())
        .bind(n.issuer_kind.as_deref())
        .fetch_one(&mut *$tx)
        .await
        .map_err(|e| {
            $crate::movements::conflict(
                e,
                format!("số {} đã được {} dùng trong năm {}", n.number, n.issuer, n.date.year()),
            )
        })?;
        id
    }};
}
pub(crate) use decision_insert;

impl crate::Store {
    /// Records a decision made outside a dossier (a correction, a
    /// revocation, a historical decision) with its effect, in one
    /// transaction with its audit entry.
    pub async fn add_decision(
        &self,
        who: &Who,
        n: &NewDecision,
        effect: &DecisionEffect,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = decision_insert!(tx, who, n);
            let mut touched = Vec::new();
            let mut revoked_titles: Vec<i64> = Vec::new();
            match effect {
                DecisionEffect::Award(entries) => {
                    for e in entries {
                        touched.push(registry_insert!(
                            tx,
                            e,
                            Some(id),
                            &n.number,
                            n.date,
                            Some(n.issuer.as_str())
                        ));
                    }
                }
                DecisionEffect::Revoke { awards, titles } => {
                    let lines = awards.iter().map(|a| ("awards", "khen thưởng", a));
                    let lines = lines.chain(titles.iter().map(|t| ("titles", "danh hiệu", t)));
                    for (table, what, line) in lines {
                        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "update {table} set status = 'revoked', revoked_date = $1, revocation_ground = $2, \
                             revoked_by = $3 where id = $4 and status = 'active'"
                        )))
                        .bind(n.date)
                        .bind(n.reason.as_deref())
                        .bind(id)
                        .bind(line)
                        .execute(&mut *tx)
                        .await?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::Conflict(format!(
                                "{what} #{line} không còn hiệu lực để hủy bỏ"
                            )));
                        }
                    }
                    touched.extend(awards);
                    revoked_titles.extend(titles);
                }
                DecisionEffect::Correct(pairs) => {
                    for (old, e) in pairs {
                        let new = registry_insert!(
                            tx,
                            e,
                            Some(id),
                            &n.number,
                            n.date,
                            Some(n.issuer.as_str())
                        );
                        let done = sqlx::query(
                            "update awards set status = 'revoked', revoked_date = $1, revocation_ground = $2, \
                             superseded_by = $3 where id = $4 and status = 'active'",
                        )
                        .bind(n.date)
                        .bind(format!("Đính chính bởi Quyết định {}", n.number))
                        .bind(new)
                        .bind(old)
                        .execute(&mut *tx)
                        .await?;
                        if done.rows_affected() == 0 {
                            return Err(StoreError::Conflict(format!(
                                "khen thưởng #{old} không còn hiệu lực để đính chính"
                            )));
                        }
                        touched.push(new);
                    }
                }
            }
            record!(
                tx,
                d,
                who,
                Change::new("decision.add", "decision", id).after(json!({
                    "kind": n.kind.as_str(), "number": n.number, "issuer": n.issuer,
                    "date": n.date.to_string(), "refers_to": n.refers_to, "reason": n.reason,
                    "awards": touched, "titles": revoked_titles,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The highest serial an issuer has given in a year.
    pub async fn last_decision_serial(
        &self,
        issuer: &str,
        issuer_unit: Option<UnitId>,
        year: i32,
    ) -> StoreResult<Option<i64>> {
        let row: (Option<i64>,) = on_pool!(self, |p| {
            sqlx::query_as(
                "select cast(max(serial) as bigint) from decisions where issuer = $1 \
                 and coalesce(issuer_unit_id, 0) = $2 and year = $3",
            )
            .bind(issuer)
            .bind(issuer_unit.map_or(0, |u| u.0))
            .bind(year)
            .fetch_one(p)
            .await?
        });
        Ok(row.0)
    }

    /// Decisions, newest first; `number` narrows to one document number.
    pub async fn decisions(
        &self,
        number: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<DecisionRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{DECISION_SELECT} where ($1 is null or d.number = $1) \
                 order by d.decision_date desc, d.id desc limit $2"
            )))
            .bind(number)
            .bind(limit)
            .fetch_all(p)
            .await?
        }))
    }

    /// The decisions a unit's head issued, newest first.
    pub async fn decisions_of_issuer_unit(&self, unit: UnitId) -> StoreResult<Vec<DecisionRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{DECISION_SELECT} where d.issuer_unit_id = $1 order by d.decision_date desc, d.id desc limit 200"
            )))
            .bind(unit.0)
            .fetch_all(p)
            .await?
        }))
    }

    /// The later decisions that correct or revoke `id`.
    pub async fn decisions_referring_to(&self, id: DecisionId) -> StoreResult<Vec<DecisionRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{DECISION_SELECT} where d.refers_to = $1 order by d.decision_date, d.id"
            )))
            .bind(id.0)
            .fetch_all(p)
            .await?
        }))
    }

    pub async fn decision(&self, id: DecisionId) -> StoreResult<Option<DecisionRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{DECISION_SELECT} where d.id = $1"
            )))
            .bind(id.0)
            .fetch_optional(p)
            .await?
        }))
    }

    /// The decision a dossier ended in, if any.
    pub async fn dossier_decision(&self, dossier: DossierId) -> StoreResult<Option<DecisionRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{DECISION_SELECT} where d.dossier_id = $1 order by d.id desc limit 1"
            )))
            .bind(dossier.0)
            .fetch_optional(p)
            .await?
        }))
    }

    /// The lines of a decision (for a revocation: the awards it took back),
    /// collectives first, then people in Vietnamese name order.
    pub async fn decision_lines(&self, id: DecisionId) -> StoreResult<Vec<DecisionLineRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select * from (select a.id as award_id, a.person_id, a.unit_id, \
                 coalesce(p.full_name, u.name, '') as subject_name, p.gender, p.position, \
                 su.name as subject_unit, a.code, a.achievement, a.bonus_vnd, a.period_from, a.period_to, \
                 a.status, a.award_type, a.subject_unit_id, a.decision_id, a.superseded_by, a.revoked_by, \
                 false as title, p.sort_key, u.name as unit_name \
                 from awards a left join people p on p.id = a.person_id \
                 left join org_units u on u.id = a.unit_id \
                 left join org_units su on su.id = a.subject_unit_id \
                 where a.decision_id = $1 or a.revoked_by = $1 \
                 union all \
                 select t.id, t.person_id, t.unit_id, coalesce(p.full_name, u.name, ''), p.gender, p.position, \
                 su.name, t.code, null, null, t.year, t.year, t.status, 'regular', t.subject_unit_id, \
                 t.decision_id, null, t.revoked_by, true, p.sort_key, u.name \
                 from titles t left join people p on p.id = t.person_id \
                 left join org_units u on u.id = t.unit_id \
                 left join org_units su on su.id = t.subject_unit_id \
                 where t.decision_id = $1 or t.revoked_by = $1) l \
                 order by case when l.unit_id is null then 1 else 0 end, l.sort_key, l.unit_name, l.title, l.award_id",
            )
            .bind(id.0)
            .fetch_all(p)
            .await?
        }))
    }

    /// The base salary's history, oldest first.
    pub async fn base_salaries(&self) -> StoreResult<Vec<BaseSalary>> {
        let rows: Vec<(Date, i64, String, bool)> = on_pool!(self, |p| {
            sqlx::query_as(
                "select valid_from, amount_vnd, source, confirmed from base_salaries order by valid_from",
            )
            .fetch_all(p)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(from, amount_vnd, source, confirmed)| BaseSalary {
                from,
                amount_vnd,
                source,
                confirmed,
            })
            .collect())
    }

    /// Adds a base salary from a day on (a day already set is a conflict).
    pub async fn add_base_salary(&self, who: &Who, b: &BaseSalary) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query(
                "insert into base_salaries (valid_from, amount_vnd, source, confirmed, set_by, set_at) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(b.from)
            .bind(b.amount_vnd)
            .bind(&b.source)
            .bind(b.confirmed)
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict(e, format!("đã có mức lương cơ sở từ ngày {}", b.from)))?;
            record!(
                tx,
                d,
                who,
                Change::new("decision.base_salary", "base_salary", 0).after(json!({
                    "from": b.from.to_string(), "amount_vnd": b.amount_vnd, "source": b.source,
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The template in force for a kind: its latest version.
    pub async fn template(&self, kind: TemplateKind) -> StoreResult<Option<TemplateRow>> {
        Ok(self.template_versions(kind, 1).await?.into_iter().next())
    }

    /// A kind's versions, newest first.
    pub async fn template_versions(
        &self,
        kind: TemplateKind,
        limit: i64,
    ) -> StoreResult<Vec<TemplateRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, kind, body, created_by, created_at from document_templates \
                 where kind = $1 order by id desc limit $2",
            )
            .bind(kind.as_str())
            .bind(limit)
            .fetch_all(p)
            .await?
        }))
    }

    /// Saves a new version of a template (already checked by the caller).
    pub async fn save_template(
        &self,
        who: &Who,
        kind: TemplateKind,
        body: &str,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into document_templates (kind, body, created_by, created_at) \
                 values ($1, $2, $3, $4) returning id",
            )
            .bind(kind.as_str())
            .bind(body)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("decision.template", "document_template", id)
                    .after(json!({ "kind": kind.as_str(), "body": body }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }
}
