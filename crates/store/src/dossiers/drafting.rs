//! Writing a draft dossier: the header, the lines, the engine's verdicts, files.

use super::rows::{
    DossierFileRow, DossierHeader, FlagDossier, LineVerdict, NewDossierFile, NewDossierLine,
};
use crate::audit::{Change, Who, record};
use crate::movements::now;
use crate::registry::SubjectRef;
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use thidua_domain::dossier::DossierId;
use thidua_domain::dossier::DossierState;
use thidua_domain::org::UnitId;
use time::Date;

impl crate::Store {
    pub async fn create_dossier(
        &self,
        who: &Who,
        unit: UnitId,
        h: &DossierHeader,
        today: Date,
    ) -> StoreResult<DossierId> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = insert_dossier!(tx, d, who, unit, h, today, json!(null));
            tx.commit().await?;
            id
        });
        Ok(DossierId(id))
    }

    /// Creates, in one transaction, a dossier proposing the leaders of
    /// emulation clusters for a flag: its lines, and a proposal row per
    /// leader, so that a leader is never proposed twice for the same flag
    /// from the same cluster.
    pub async fn create_flag_dossier(
        &self,
        who: &Who,
        f: &FlagDossier<'_>,
    ) -> StoreResult<DossierId> {
        let extra = json!(
            f.lines
                .iter()
                .map(|(c, l)| {
                    let unit = match l.subject {
                        SubjectRef::Unit(u) => Some(u.0),
                        SubjectRef::Person(_) => None,
                    };
                    json!({ "cluster": c, "unit_id": unit, "code": l.code })
                })
                .collect::<Vec<_>>()
        );
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = insert_dossier!(tx, d, who, f.unit, f.header, f.today, extra.clone());
            for (cluster, l) in &f.lines {
                let SubjectRef::Unit(unit) = l.subject else {
                    return Err(StoreError::Conflict("cờ thi đua chỉ tặng tập thể".into()));
                };
                sqlx::query(
                    "insert into dossier_lines (dossier_id, person_id, unit_id, code, period_from, period_to, summary) \
                     values ($1, null, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(unit.0)
                .bind(&l.code)
                .bind(l.period_from)
                .bind(l.period_to)
                .bind(l.summary.trim())
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "insert into cluster_proposals (cluster_id, unit_id, award_code, dossier_id, created_by, created_at) \
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(cluster)
                .bind(unit.0)
                .bind(&l.code)
                .bind(id)
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    crate::movements::conflict(
                        e,
                        format!("đơn vị #{} đã được đề nghị {} từ khối, cụm này", unit.0, l.code),
                    )
                })?;
            }
            tx.commit().await?;
            id
        });
        Ok(DossierId(id))
    }

    /// Rewrites the header while the unit may edit the dossier.
    pub async fn update_dossier_header(
        &self,
        who: &Who,
        id: DossierId,
        h: &DossierHeader,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, id.0);
            sqlx::query(
                "update dossiers set award_type = $1, movement_id = $2, title = $3, letter_number = $4, \
                 letter_date = $5, letter_signer = $6 where id = $7",
            )
            .bind(h.award_type.as_str())
            .bind(h.movement_id)
            .bind(h.title.trim())
            .bind(h.letter_number.as_deref())
            .bind(h.letter_date)
            .bind(h.letter_signer.as_deref())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.header", "dossier", id).after(json!({
                    "award_type": h.award_type.as_str(), "title": h.title,
                    "letter_number": h.letter_number, "letter_date": h.letter_date.map(|d| d.to_string()),
                    "letter_signer": h.letter_signer,
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn add_dossier_line(
        &self,
        who: &Who,
        dossier: DossierId,
        l: &NewDossierLine,
    ) -> StoreResult<i64> {
        let (person, unit) = match l.subject {
            SubjectRef::Person(p) => (Some(p), None),
            SubjectRef::Unit(u) => (None, Some(u.0)),
        };
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier.0);
            let dup: Option<(i64,)> = sqlx::query_as(
                "select id from dossier_lines where dossier_id = $1 and person_id is not distinct from $2 \
                 and unit_id is not distinct from $3 and code = $4",
            )
            .bind(dossier.0)
            .bind(person)
            .bind(unit)
            .bind(&l.code)
            .fetch_optional(&mut *tx)
            .await?;
            if dup.is_some() {
                return Err(StoreError::Conflict(
                    "đối tượng này đã có trong hồ sơ với cùng hình thức".into(),
                ));
            }
            let (id,): (i64,) = sqlx::query_as(
                "insert into dossier_lines (dossier_id, person_id, unit_id, code, period_from, period_to, summary, \
                 achievement_id) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(dossier.0)
            .bind(person)
            .bind(unit)
            .bind(&l.code)
            .bind(l.period_from)
            .bind(l.period_to)
            .bind(l.summary.trim())
            .bind(l.achievement)
            .fetch_one(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_add", "dossier", dossier).after(json!({
                    "line": id, "person_id": person, "unit_id": unit, "code": l.code,
                    "period_from": l.period_from, "period_to": l.period_to,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn remove_dossier_line(
        &self,
        who: &Who,
        dossier: DossierId,
        line: i64,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier.0);
            let done = sqlx::query("delete from dossier_lines where id = $1 and dossier_id = $2")
                .bind(line)
                .bind(dossier.0)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dòng #{line}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_remove", "dossier", dossier)
                    .before(json!({ "line": line }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The unit's text for a line (tóm tắt thành tích) and its reason for
    /// proposing against the engine.
    pub async fn update_dossier_line(
        &self,
        who: &Who,
        dossier: DossierId,
        line: i64,
        summary: &str,
        override_reason: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier.0);
            let done = sqlx::query(
                "update dossier_lines set summary = $1, override_reason = $2, \
                 status = case when status = 'needs_completion' then 'proposed' else status end \
                 where id = $3 and dossier_id = $4",
            )
            .bind(summary.trim())
            .bind(override_reason.map(str::trim).filter(|r| !r.is_empty()))
            .bind(line)
            .bind(dossier.0)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("dòng #{line}")));
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.line_edit", "dossier", dossier).after(json!({
                    "line": line, "summary": summary, "override_reason": override_reason,
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records the engine's verdict on lines (at submission, at appraisal,
    /// on demand). Not an edit of the dossier: the version stays.
    pub async fn record_line_checks(
        &self,
        who: &Who,
        dossier: DossierId,
        checks: &[LineVerdict],
        on: Date,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            line_checks!(tx, d, who, dossier.0, checks, on);
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn attach_dossier_file(
        &self,
        who: &Who,
        dossier: DossierId,
        f: &NewDossierFile<'_>,
    ) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            touch_editable!(tx, dossier.0);
            if let Some(line) = f.line_id {
                let ok: Option<(i64,)> = sqlx::query_as(
                    "select id from dossier_lines where id = $1 and dossier_id = $2",
                )
                .bind(line)
                .bind(dossier.0)
                .fetch_optional(&mut *tx)
                .await?;
                if ok.is_none() {
                    return Err(StoreError::NotFound(format!("dòng #{line}")));
                }
            }
            let (id,): (i64,) = sqlx::query_as(
                "insert into dossier_files (dossier_id, line_id, kind, file_name, content_type, size, sha256, content, \
                 uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
            )
            .bind(dossier.0)
            .bind(f.line_id)
            .bind(f.kind)
            .bind(f.file_name)
            .bind(f.content_type)
            .bind(i64::try_from(f.content.len()).unwrap_or(i64::MAX))
            .bind(f.sha256)
            .bind(f.content)
            .bind(&who.login)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            // The document asked for completes the line sent back for it.
            if let Some(line) = f.line_id {
                sqlx::query(
                    "update dossier_lines set status = 'proposed' \
                     where id = $1 and status = 'needs_completion'",
                )
                .bind(line)
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("dossier.file", "dossier", dossier).after(json!({
                    "file": id, "line": f.line_id, "kind": f.kind, "file_name": f.file_name,
                    "bytes": f.content.len(), "sha256": f.sha256,
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn dossier_files(&self, dossier: DossierId) -> StoreResult<Vec<DossierFileRow>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select id, line_id, kind, file_name, content_type, cast(size as bigint) as size, sha256, uploaded_by, \
                 uploaded_at from dossier_files where dossier_id = $1 order by id",
            )
            .bind(dossier.0)
            .fetch_all(p)
            .await?
        }))
    }

    /// (file name, content type, bytes) of one file of a dossier.
    pub async fn dossier_file(
        &self,
        dossier: DossierId,
        file: i64,
    ) -> StoreResult<Option<(String, String, Vec<u8>)>> {
        Ok(on_pool!(self, |p| {
            sqlx::query_as(
                "select file_name, content_type, content from dossier_files where dossier_id = $1 and id = $2",
            )
            .bind(dossier.0)
            .bind(file)
            .fetch_optional(p)
            .await?
        }))
    }
}
