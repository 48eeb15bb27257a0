//! Khối, cụm thi đua: clusters per year with their members, the scoring
//! sheet's versions, the members' scores by stage, and finalisation.

use crate::audit::{Change, Who, record};
use crate::movements::{conflict, now};
use crate::{StoreError, StoreResult, on_pool};
use serde::Serialize;
use serde_json::json;
use thidua_domain::cluster::{ClusterKind, MemberRole, ScoreStage};
use thidua_domain::org::UnitId;
use time::Date;

/// A cluster to create, with its members and their roles.
#[derive(Debug, Clone)]
pub struct NewCluster {
    pub code: String,
    pub year: i32,
    pub name: String,
    pub kind: ClusterKind,
    pub authority: UnitId,
    pub council_member: Option<i64>,
    pub covenant: String,
    /// Quy chế tổ chức và hoạt động — the document the cluster works under.
    pub regulation: String,
    pub flag_count: i32,
    pub disagreement_threshold: i64,
    pub members: Vec<(UnitId, MemberRole)>,
    /// The scoring sheet's first version (JSON), when known at creation.
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ClusterRow {
    pub id: i64,
    pub code: String,
    pub year: i32,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: ClusterKind,
    pub authority_unit_id: i64,
    pub council_member_id: Option<i64>,
    pub covenant: String,
    pub regulation: String,
    pub flag_count: i32,
    pub disagreement_threshold: i64,
    pub finalised_at: Option<String>,
    pub finalised_by: Option<String>,
    /// Biên bản bình xét — the minutes of the year-end vote, when recorded.
    pub vote_minutes: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ClusterMemberRow {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SheetRow {
    pub version: i32,
    pub body: String,
    pub created_by: String,
    pub created_at: String,
}

/// A score to record: one member, one stage, the entries and what they
/// were worth against the sheet version they were scored on.
#[derive(Debug, Clone)]
pub struct NewScore {
    pub cluster: i64,
    pub unit: UnitId,
    pub stage: ScoreStage,
    pub sheet_version: i32,
    pub entries: String,
    pub scorecard: String,
    pub total: i64,
    /// Why a final score changes after finalisation.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ScoreRow {
    pub id: i64,
    pub unit_id: i64,
    #[sqlx(try_from = "String")]
    pub stage: ScoreStage,
    pub version: i32,
    pub sheet_version: i32,
    pub entries: String,
    pub scorecard: String,
    pub total: i64,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

const CLUSTER_COLS: &str = "id, code, year, name, kind, authority_unit_id, council_member_id, covenant, regulation, \
    flag_count, disagreement_threshold, finalised_at, finalised_by, vote_minutes, created_at";

impl crate::Store {
    pub async fn create_cluster(&self, who: &Who, c: &NewCluster) -> StoreResult<i64> {
        let id = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (id,): (i64,) = sqlx::query_as(
                "insert into emulation_clusters (code, year, name, kind, authority_unit_id, council_member_id, \
                 covenant, flag_count, disagreement_threshold, created_at, regulation) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
            )
            .bind(&c.code)
            .bind(c.year)
            .bind(&c.name)
            .bind(c.kind.as_str())
            .bind(c.authority.0)
            .bind(c.council_member)
            .bind(&c.covenant)
            .bind(c.flag_count)
            .bind(c.disagreement_threshold)
            .bind(now())
            .bind(&c.regulation)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict(e, format!("đã có khối, cụm mã {} năm {}", c.code, c.year)))?;
            for (unit, role) in &c.members {
                sqlx::query(
                    "insert into cluster_members (cluster_id, unit_id, role) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(unit.0)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    conflict(e, "một đơn vị được ghi hai lần trong khối, cụm".to_owned())
                })?;
            }
            if let Some(body) = &c.sheet {
                sqlx::query(
                    "insert into cluster_sheets (cluster_id, version, body, created_by, created_at) \
                     values ($1, 1, $2, $3, $4)",
                )
                .bind(id)
                .bind(body)
                .bind(&who.login)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            record!(
                tx,
                d,
                who,
                Change::new("cluster.create", "cluster", id).after(json!({
                    "sheet": c.sheet.is_some(),
                    "code": c.code, "year": c.year, "name": c.name, "kind": c.kind,
                    "members": c.members.iter().map(|(u, r)| json!([u.0, r])).collect::<Vec<_>>(),
                }))
            );
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Clusters of a year (all years when `None`), by code.
    pub async fn clusters(&self, year: Option<i32>) -> StoreResult<Vec<ClusterRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {CLUSTER_COLS} from emulation_clusters \
                 where $1 is null or year = $1 order by year desc, code"
            )))
            .bind(year)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn cluster(&self, id: i64) -> StoreResult<Option<ClusterRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {CLUSTER_COLS} from emulation_clusters where id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    pub async fn cluster_by_code(&self, code: &str, year: i32) -> StoreResult<Option<ClusterRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {CLUSTER_COLS} from emulation_clusters where code = $1 and year = $2"
            )))
            .bind(code)
            .bind(year)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// A cluster's members: head first, then deputy, then by code.
    pub async fn cluster_members(&self, cluster: i64) -> StoreResult<Vec<ClusterMemberRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select m.unit_id, u.code, u.name, m.role from cluster_members m \
                 join org_units u on u.id = m.unit_id where m.cluster_id = $1 and m.left_on is null \
                 order by case m.role when 'head' then 0 when 'deputy' then 1 else 2 end, u.code",
            )
            .bind(cluster)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Saves a new version of the cluster's scoring sheet (JSON); refused
    /// once the cluster's year is finalised.
    pub async fn save_cluster_sheet(
        &self,
        who: &Who,
        cluster: i64,
        body: &str,
    ) -> StoreResult<i32> {
        let version = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (finalised,): (Option<String>,) =
                sqlx::query_as("select finalised_at from emulation_clusters where id = $1")
                    .bind(cluster)
                    .fetch_one(&mut *tx)
                    .await?;
            if finalised.is_some() {
                return Err(StoreError::Conflict(
                    "khối, cụm đã chốt điểm: không sửa bảng điểm được nữa".into(),
                ));
            }
            let (last,): (Option<i32>,) =
                sqlx::query_as("select max(version) from cluster_sheets where cluster_id = $1")
                    .bind(cluster)
                    .fetch_one(&mut *tx)
                    .await?;
            let version = last.unwrap_or(0) + 1;
            sqlx::query(
                "insert into cluster_sheets (cluster_id, version, body, created_by, created_at) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(cluster)
            .bind(version)
            .bind(body)
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("cluster.sheet", "cluster", cluster)
                    .after(json!({ "version": version, "bytes": body.len() }))
            );
            tx.commit().await?;
            version
        });
        Ok(version)
    }

    /// The latest version of the cluster's sheet.
    pub async fn cluster_sheet(&self, cluster: i64) -> StoreResult<Option<SheetRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select version, body, created_by, created_at from cluster_sheets \
                 where cluster_id = $1 order by version desc limit 1",
            )
            .bind(cluster)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Records a score as the next version of its member and stage, with
    /// the evidence files uploaded for it. After finalisation only a final
    /// score with a reason is accepted (a correction, audited as such).
    pub async fn save_cluster_score(
        &self,
        who: &Who,
        s: &NewScore,
        files: &[NewEvidence<'_>],
    ) -> StoreResult<i32> {
        let version = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let (finalised,): (Option<String>,) =
                sqlx::query_as("select finalised_at from emulation_clusters where id = $1")
                    .bind(s.cluster)
                    .fetch_one(&mut *tx)
                    .await?;
            let correction = finalised.is_some();
            if correction
                && (s.stage != ScoreStage::Final
                    || s.reason.as_deref().is_none_or(|r| r.trim().is_empty()))
            {
                return Err(StoreError::Conflict(
                    "khối, cụm đã chốt điểm: chỉ sửa được điểm chốt, kèm lý do".into(),
                ));
            }
            let (last,): (Option<i32>,) = sqlx::query_as(
                "select max(version) from cluster_scores where cluster_id = $1 and unit_id = $2 and stage = $3",
            )
            .bind(s.cluster)
            .bind(s.unit.0)
            .bind(s.stage.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let version = last.unwrap_or(0) + 1;
            sqlx::query(
                "insert into cluster_scores (cluster_id, unit_id, stage, version, sheet_version, entries, \
                 scorecard, total, reason, created_by, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(s.cluster)
            .bind(s.unit.0)
            .bind(s.stage.as_str())
            .bind(version)
            .bind(s.sheet_version)
            .bind(&s.entries)
            .bind(&s.scorecard)
            .bind(s.total)
            .bind(s.reason.as_deref())
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            let mut file_ids = Vec::new();
            for e in files {
                let (fid,): (i64,) = sqlx::query_as(
                    "insert into cluster_evidence (cluster_id, unit_id, criterion, file_name, content_type, size, \
                     sha256, content, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     returning id",
                )
                .bind(s.cluster)
                .bind(s.unit.0)
                .bind(e.criterion)
                .bind(e.file_name)
                .bind(e.content_type)
                .bind(e.content.len() as i64)
                .bind(e.sha256)
                .bind(e.content)
                .bind(&who.login)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
                file_ids.push(json!({ "file": fid, "criterion": e.criterion, "sha256": e.sha256 }));
            }
            record!(
                tx,
                d,
                who,
                Change::new(
                    if correction {
                        "cluster.score_correction"
                    } else {
                        "cluster.score"
                    },
                    "cluster",
                    s.cluster
                )
                .after(json!({
                    "unit": s.unit.0, "stage": s.stage, "version": version, "total": s.total,
                    "reason": s.reason, "evidence": file_ids,
                }))
            );
            tx.commit().await?;
            version
        });
        Ok(version)
    }

    /// The latest score of every member and stage.
    pub async fn cluster_scores(&self, cluster: i64) -> StoreResult<Vec<ScoreRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select s.id, s.unit_id, s.stage, s.version, s.sheet_version, s.entries, s.scorecard, s.total, \
                 s.reason, s.created_by, s.created_at from cluster_scores s \
                 where s.cluster_id = $1 and s.version = (select max(v.version) from cluster_scores v \
                 where v.cluster_id = s.cluster_id and v.unit_id = s.unit_id and v.stage = s.stage) \
                 order by s.unit_id, s.stage",
            )
            .bind(cluster)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Closes the year's scoring, with the minutes of the members' vote if
    /// there are any; a second call is a conflict.
    pub async fn finalise_cluster(
        &self,
        who: &Who,
        cluster: i64,
        vote_minutes: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update emulation_clusters set finalised_at = $1, finalised_by = $2, vote_minutes = $3 \
                 where id = $4 and finalised_at is null",
            )
            .bind(now())
            .bind(&who.login)
            .bind(vote_minutes)
            .bind(cluster)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict("khối, cụm đã chốt điểm".into()));
            }
            record!(
                tx,
                d,
                who,
                Change::new("cluster.finalise", "cluster", cluster)
                    .after(json!({ "vote_minutes": vote_minutes }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The clusters a unit was a member of, every year.
    pub async fn clusters_of_unit(&self, unit: UnitId) -> StoreResult<Vec<ClusterRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {CLUSTER_COLS} from emulation_clusters where id in \
                 (select cluster_id from cluster_members where unit_id = $1) order by year, code"
            )))
            .bind(unit.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A member's evidence files, without their content.
    pub async fn cluster_evidence(
        &self,
        cluster: i64,
        unit: UnitId,
    ) -> StoreResult<Vec<EvidenceRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select id, cluster_id, unit_id, criterion, file_name, content_type, size, sha256, uploaded_by, \
                 uploaded_at from cluster_evidence where cluster_id = $1 and unit_id = $2 order by criterion, id",
            )
            .bind(cluster)
            .bind(unit.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// One evidence file with its content.
    pub async fn cluster_evidence_file(
        &self,
        id: i64,
    ) -> StoreResult<Option<(EvidenceRow, Vec<u8>)>> {
        let row: Option<EvidenceFile> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select id, cluster_id, unit_id, criterion, file_name, content_type, size, sha256, uploaded_by, \
                 uploaded_at, content from cluster_evidence where id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|f| (f.row, f.content)))
    }

    /// The flag proposals made from a cluster's results.
    pub async fn cluster_proposals(&self, cluster: i64) -> StoreResult<Vec<ProposalRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select cluster_id, unit_id, award_code, dossier_id, created_by, created_at \
                 from cluster_proposals where cluster_id = $1 order by award_code, unit_id",
            )
            .bind(cluster)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Records (or replaces) a collective's rating for a year.
    pub async fn set_unit_rating(
        &self,
        who: &Who,
        unit: UnitId,
        year: i32,
        rating: thidua_domain::eligibility::Rating,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let before: Option<(String,)> =
                sqlx::query_as("select rating from unit_ratings where unit_id = $1 and year = $2")
                    .bind(unit.0)
                    .bind(year)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query(
                "insert into unit_ratings (unit_id, year, rating, recorded_by, recorded_at) \
                 values ($1, $2, $3, $4, $5) on conflict (unit_id, year) do update \
                 set rating = excluded.rating, recorded_by = excluded.recorded_by, \
                 recorded_at = excluded.recorded_at",
            )
            .bind(unit.0)
            .bind(year)
            .bind(rating.code())
            .bind(&who.login)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            record!(
                tx,
                d,
                who,
                Change::new("registry.unit_rating", "unit", unit.0)
                    .before_opt(before.map(|b| json!({ "year": year, "rating": b.0 })))
                    .after(json!({ "year": year, "rating": rating.code() }))
            );
            tx.commit().await?;
        });
        Ok(())
    }
}

/// An evidence file to keep with a score, already checked by its content.
/// The member and cluster are the score's.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub criterion: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub cluster_id: i64,
    pub unit_id: i64,
    pub criterion: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

#[derive(sqlx::FromRow)]
struct EvidenceFile {
    #[sqlx(flatten)]
    row: EvidenceRow,
    content: Vec<u8>,
}

/// A leader proposed for a flag, and the dossier that carries it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProposalRow {
    pub cluster_id: i64,
    pub unit_id: i64,
    pub award_code: String,
    pub dossier_id: i64,
    pub created_by: String,
    pub created_at: String,
}

/// A member that left a cluster during its year (merged, dissolved): its
/// scores stay with the cluster.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FormerMemberRow {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub left_on: Date,
    pub left_reason: Option<String>,
}

impl crate::Store {
    /// Adds a unit to a cluster during its year (not after finalisation).
    pub async fn add_cluster_member(
        &self,
        who: &Who,
        cluster: i64,
        unit: UnitId,
        role: MemberRole,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let open: Option<(i64,)> = sqlx::query_as(
                "select id from emulation_clusters where id = $1 and finalised_at is null",
            )
            .bind(cluster)
            .fetch_optional(&mut *tx)
            .await?;
            if open.is_none() {
                return Err(StoreError::Conflict(
                    "khối, cụm đã chốt điểm: không thay đổi thành viên".into(),
                ));
            }
            sqlx::query(
                "insert into cluster_members (cluster_id, unit_id, role) values ($1, $2, $3)",
            )
            .bind(cluster)
            .bind(unit.0)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                conflict(
                    e,
                    "đơn vị này đã (hoặc từng) là thành viên của khối, cụm".to_owned(),
                )
            })?;
            record!(
                tx,
                d,
                who,
                Change::new("cluster.member_add", "cluster", cluster)
                    .after(json!({"unit_id": unit.0, "role": role.as_str()}))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// A member leaves on `on` (merged, dissolved, moved to another block);
    /// its row and scores stay, marked.
    pub async fn remove_cluster_member(
        &self,
        who: &Who,
        cluster: i64,
        unit: UnitId,
        on: Date,
        reason: &str,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update cluster_members set left_on = $1, left_reason = $2 where cluster_id = $3 and unit_id = $4 \
                 and left_on is null and exists (select 1 from emulation_clusters c where c.id = $3 and c.finalised_at is null)",
            )
            .bind(on)
            .bind(reason)
            .bind(cluster)
            .bind(unit.0)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(
                    "đơn vị không còn là thành viên, hoặc khối, cụm đã chốt điểm".into(),
                ));
            }
            record!(
                tx,
                d,
                who,
                Change::new("cluster.member_leave", "cluster", cluster)
                    .after(json!({"unit_id": unit.0, "on": on.to_string(), "reason": reason}))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn cluster_former_members(&self, cluster: i64) -> StoreResult<Vec<FormerMemberRow>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
                "select m.unit_id, u.code, u.name, m.left_on, m.left_reason from cluster_members m \
                 join org_units u on u.id = m.unit_id where m.cluster_id = $1 and m.left_on is not null \
                 order by m.left_on, u.code",
            )
            .bind(cluster)
            .fetch_all(pool)
            .await?
        }))
    }
}
