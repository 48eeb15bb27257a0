//! Khối, cụm thi đua: creating a year's cluster, its scoring sheet, the
//! scoring round (self, head, final), finalisation and the ranking.
//!
//! Who does what: a member's own officers self-score it; the head unit's
//! officers cross-score the others (the deputy cross-scores the head); the
//! province's emulation office (those who appraise dossiers) sets the
//! sheet, gives final scores and finalises. A score is worth what
//! `domain::cluster::score` says against the sheet; nothing else counts.

mod members;

pub use members::office_province;
use members::{check_under_authority, judged_on, member_problem};

use crate::movements::Enterer;
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::BTreeMap;
use thidua_domain::cluster::{self as dom, Entry, MemberRole, Points, Scorecard, Sheet};
use thidua_domain::org::UnitId;
use thidua_domain::policy::Action;
use thidua_store::{ClusterMemberRow, ClusterRow, NewCluster, NewEvidence, NewScore, Store, Who};
use time::Date;

/// Vòng chấm điểm — who scored.
pub use thidua_domain::cluster::ScoreStage as Stage;

fn invalid(message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field: "score",
        message: message.into(),
    }
}

/// Whether the actor may take `action` on `unit` (the system always may).
pub(crate) async fn may(
    store: &Store,
    actor: Enterer<'_>,
    action: Action,
    unit: i64,
    today: Date,
) -> AppResult<bool> {
    Ok(match actor {
        Enterer::System => true,
        Enterer::User(user) => matches!(
            crate::auth::may_on_unit(store, user, action, UnitId(unit), today).await?,
            Some(Ok(()))
        ),
    })
}

/// Creates a year's cluster: one head, at most one deputy, by the
/// province's emulation office.
pub async fn create(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    new: &NewCluster,
) -> AppResult<i64> {
    if !may(store, actor, Action::ManageClusters, new.authority.0, today).await? {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    let heads = new
        .members
        .iter()
        .filter(|(_, r)| *r == MemberRole::Head)
        .count();
    let deputies = new
        .members
        .iter()
        .filter(|(_, r)| *r == MemberRole::Deputy)
        .count();
    if heads != 1 || deputies > 1 {
        return Err(invalid(
            "khối, cụm cần đúng một đơn vị trưởng và nhiều nhất một đơn vị phó",
        ));
    }
    if let Some(body) = &new.sheet {
        let sheet: Sheet = serde_json::from_str(body)
            .map_err(|e| invalid(format!("bảng điểm không đọc được: {e}")))?;
        sheet.check().map_err(|e| invalid(e.to_string()))?;
    }
    Ok(store.create_cluster(who, new).await?)
}

/// A cluster with its members and current sheet.
#[derive(Debug, Clone)]
pub struct ClusterView {
    pub row: ClusterRow,
    pub members: Vec<ClusterMemberRow>,
    pub sheet: Option<(i32, Sheet)>,
}

impl ClusterView {
    fn role_of(&self, unit: i64) -> Option<MemberRole> {
        self.members
            .iter()
            .find(|m| m.unit_id == unit)
            .map(|m| m.role)
    }

    fn unit_with(&self, role: MemberRole) -> Option<i64> {
        self.members
            .iter()
            .find(|m| m.role == role)
            .map(|m| m.unit_id)
    }
}

pub async fn load(store: &Store, id: i64) -> AppResult<ClusterView> {
    let row = store
        .cluster(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("khối, cụm #{id}")))?;
    let members = store.cluster_members(id).await?;
    let sheet = match store.cluster_sheet(id).await? {
        Some(s) => Some((
            s.version,
            serde_json::from_str(&s.body)
                .map_err(|e| AppError::Internal(format!("bảng điểm hỏng: {e}")))?,
        )),
        None => None,
    };
    Ok(ClusterView {
        row,
        members,
        sheet,
    })
}

/// The cluster, for its organising office only.
async fn load_as_office(
    store: &Store,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
) -> AppResult<ClusterView> {
    let c = load(store, cluster).await?;
    if !may(
        store,
        actor,
        Action::ManageClusters,
        c.row.authority_unit_id,
        today,
    )
    .await?
    {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    Ok(c)
}

/// Saves a new version of the sheet, checked first.
pub async fn set_sheet(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
    sheet: &Sheet,
) -> AppResult<i32> {
    load_as_office(store, actor, today, cluster).await?;
    sheet.check().map_err(|e| invalid(e.to_string()))?;
    let body = serde_json::to_string(sheet).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(store.save_cluster_sheet(who, cluster, &body).await?)
}

/// One score to give: which member, at which stage, what was achieved.
#[derive(Debug, Clone)]
pub struct Scoring<'a> {
    pub cluster: i64,
    pub unit: i64,
    pub stage: Stage,
    pub entries: &'a [Entry],
    /// Why a final score changes after finalisation.
    pub reason: Option<String>,
    /// Evidence files uploaded with this score, each for a criterion.
    pub files: &'a [Upload],
}

/// Tệp minh chứng — an evidence file for one criterion.
#[derive(Debug, Clone)]
pub struct Upload {
    pub criterion: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Scores one member at one stage. Refused: a unit not in the cluster, a
/// scorer without the right for the stage, a score the sheet does not
/// allow, scoring after finalisation (except a final correction with a
/// reason).
pub async fn score(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    s: Scoring<'_>,
) -> AppResult<Scorecard> {
    let Scoring {
        cluster,
        unit,
        stage,
        entries,
        reason,
        files,
    } = s;
    let c = load(store, cluster).await?;
    let Some(role) = c.role_of(unit) else {
        return Err(invalid(format!(
            "đơn vị #{unit} không thuộc {} năm {}",
            c.row.name, c.row.year
        )));
    };
    let Some((version, sheet)) = &c.sheet else {
        return Err(invalid("khối, cụm chưa có bảng điểm"));
    };
    let allowed = match stage {
        Stage::SelfScore => may(store, actor, Action::ScoreInCluster, unit, today).await?,
        Stage::Head => {
            // The head cross-scores the others; the deputy scores the head.
            let scorer = if role == MemberRole::Head {
                c.unit_with(MemberRole::Deputy)
            } else {
                c.unit_with(MemberRole::Head)
            };
            match scorer {
                Some(s) => may(store, actor, Action::ScoreInCluster, s, today).await?,
                None => false,
            }
        }
        Stage::Final => {
            may(
                store,
                actor,
                Action::ManageClusters,
                c.row.authority_unit_id,
                today,
            )
            .await?
        }
    };
    if !allowed {
        return Err(invalid(format!(
            "bạn không được chấm «{}» cho đơn vị này",
            stage.label()
        )));
    }
    if c.row.finalised_at.is_some() && stage != Stage::Final {
        return Err(invalid(format!(
            "{} năm {} đã chốt điểm",
            c.row.name, c.row.year
        )));
    }
    // A file is evidence of its criterion's entry: its name joins the
    // entry's references before the sheet judges the entries.
    let mut entries = entries.to_vec();
    let mut checked = Vec::with_capacity(files.len());
    for f in files {
        let Some(entry) = entries.iter_mut().find(|e| e.criterion == f.criterion) else {
            return Err(invalid(format!(
                "tệp «{}» là minh chứng của tiêu chí {} nhưng tiêu chí này chưa chấm",
                f.file_name, f.criterion
            )));
        };
        let (content_type, sha) = crate::dossiers::check_upload(&f.file_name, &f.bytes)?;
        let name = crate::dossiers::clean_file_name(&f.file_name);
        entry.evidence.push(name.clone());
        checked.push((f, content_type, sha, name));
    }
    let card = dom::score(sheet, &entries).map_err(|e| invalid(e.to_string()))?;
    let uploads: Vec<NewEvidence<'_>> = checked
        .iter()
        .map(|(f, content_type, sha, name)| NewEvidence {
            criterion: &f.criterion,
            file_name: name,
            content_type,
            sha256: sha,
            content: &f.bytes,
        })
        .collect();
    store
        .save_cluster_score(
            who,
            &NewScore {
                cluster,
                unit: UnitId(unit),
                stage,
                sheet_version: *version,
                entries: to_json(&entries)?,
                scorecard: to_json(&card)?,
                total: card.total.0,
                reason: reason.filter(|r| !r.trim().is_empty()),
            },
            &uploads,
        )
        .await?;
    Ok(card)
}

/// JSON of a stored value; a value that does not serialise is a bug.
fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// Closes the round: every member needs a final score. `vote_minutes`
/// names the minutes of the members' vote for the flag (biên bản bình
/// xét), if the meeting has been held; without them the engine sends
/// the leaders' flag to the council's review.
pub async fn finalise(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
    vote_minutes: Option<&str>,
) -> AppResult<()> {
    let c = load_as_office(store, actor, today, cluster).await?;
    let scores = store.cluster_scores(cluster).await?;
    let missing: Vec<&str> = c
        .members
        .iter()
        .filter(|m| {
            !scores
                .iter()
                .any(|s| s.unit_id == m.unit_id && s.stage == Stage::Final)
        })
        .map(|m| m.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(invalid(format!(
            "chưa có điểm chốt của: {}",
            missing.join(", ")
        )));
    }
    // Every member is cross-scored before the ranking is final — the head
    // by the deputy — or the head would lead the block on its own word.
    // A cluster without a deputy has no one to cross-score its head.
    let has_deputy = c.members.iter().any(|m| m.role == MemberRole::Deputy);
    let uncrossed: Vec<&str> = c
        .members
        .iter()
        .filter(|m| has_deputy || m.role != MemberRole::Head)
        .filter(|m| {
            !scores
                .iter()
                .any(|s| s.unit_id == m.unit_id && s.stage == Stage::Head)
        })
        .map(|m| m.name.as_str())
        .collect();
    if !uncrossed.is_empty() {
        return Err(invalid(format!(
            "chưa được chấm chéo: {} (trưởng khối, cụm chấm chéo các thành viên, phó trưởng chấm chéo trưởng)",
            uncrossed.join(", ")
        )));
    }
    let minutes = vote_minutes.map(str::trim).filter(|m| !m.is_empty());
    if minutes.is_some_and(|m| m.chars().count() > 200) {
        return Err(invalid("biên bản bình xét: tối đa 200 ký tự"));
    }
    Ok(store.finalise_cluster(who, cluster, minutes).await?)
}

/// Roles for next year: the deputy becomes head, the first plain member
/// (in the members' order) becomes deputy, the head steps down to member
/// (or to deputy when there is no plain member).
/// A cluster without a deputy keeps its head. Pure, so it is tested alone.
pub fn rotate(members: &[(i64, MemberRole)]) -> Vec<(i64, MemberRole)> {
    let deputy = members
        .iter()
        .find(|(_, r)| *r == MemberRole::Deputy)
        .map(|(u, _)| *u);
    // With no plain member, the old head deputises.
    let next_deputy = members
        .iter()
        .find(|(_, r)| *r == MemberRole::Member)
        .or_else(|| members.iter().find(|(_, r)| *r == MemberRole::Head))
        .map(|(u, _)| *u);
    members
        .iter()
        .map(|(u, r)| {
            let role = match (r, deputy) {
                (_, None) => *r,
                (MemberRole::Deputy, _) => MemberRole::Head,
                _ if Some(*u) == next_deputy => MemberRole::Deputy,
                _ => MemberRole::Member,
            };
            (*u, role)
        })
        .collect()
}

/// Copies a cluster to the next year: the same code, name, kind and
/// settings, the members as they are on 1 January of that year (a member
/// merged away is replaced by the unit it became part of), the roles
/// rotated, and the sheet as the new year's first version. The covenant
/// is the new year's to sign, so it starts empty.
pub async fn copy_to_next_year(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
) -> AppResult<i64> {
    let c = load_as_office(store, actor, today, cluster).await?;
    let year = c.row.year + 1;
    let first_day = Date::from_calendar_date(year, time::Month::January, 1)
        .map_err(|e| invalid(e.to_string()))?;
    let mut members: Vec<(i64, MemberRole)> = Vec::new();
    for m in &c.members {
        let unit = if store.unit(UnitId(m.unit_id), first_day).await?.is_some() {
            Some(m.unit_id)
        } else {
            store
                .became_as_of(UnitId(m.unit_id), first_day)
                .await?
                .iter()
                .find(|l| l.primary)
                .map(|l| l.unit.id.0)
        };
        // A unit dissolved without successor leaves the cluster; two
        // members merged into one count once, with the stronger role.
        let Some(unit) = unit else { continue };
        match members.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, role)) if m.role != MemberRole::Member && *role == MemberRole::Member => {
                *role = m.role;
            }
            Some(_) => {}
            None => members.push((unit, m.role)),
        }
    }
    let new = NewCluster {
        code: c.row.code.clone(),
        year,
        name: c.row.name.clone(),
        kind: c.row.kind,
        authority: UnitId(c.row.authority_unit_id),
        council_member: c.row.council_member_id,
        covenant: String::new(),
        regulation: c.row.regulation.clone(),
        flag_count: c.row.flag_count,
        disagreement_threshold: c.row.disagreement_threshold,
        members: rotate(&members)
            .into_iter()
            .map(|(u, r)| (UnitId(u), r))
            .collect(),
        sheet: c.sheet.as_ref().map(|(_, s)| to_json(s)).transpose()?,
    };
    create(store, who, actor, today, &new).await
}

/// One member's line in the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RankLine {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub role: MemberRole,
    pub rank: usize,
    pub total: Points,
    /// Per criteria group, in the sheet's order.
    pub groups: Vec<(String, Points)>,
    pub decided_by: Option<String>,
    /// The stage the line's score comes from (final once finalised).
    pub stage: Stage,
    /// Criteria where self and head scores differ by more than the
    /// cluster's threshold: (criterion, self, head).
    pub disagreements: Vec<(String, Points, Points)>,
}

/// The ranking: by final scores, or before finalisation by the latest
/// stage each member has (final, else head, else self) — provisional.
pub async fn ranking(store: &Store, cluster: i64) -> AppResult<Vec<RankLine>> {
    let c = load(store, cluster).await?;
    let mut best: BTreeMap<i64, (Stage, Scorecard)> = BTreeMap::new();
    let mut by_stage: BTreeMap<(i64, Stage), Scorecard> = BTreeMap::new();
    for s in store.cluster_scores(cluster).await? {
        let stage = s.stage;
        let card: Scorecard = serde_json::from_str(&s.scorecard)
            .map_err(|e| AppError::Internal(format!("điểm hỏng: {e}")))?;
        by_stage.insert((s.unit_id, stage), card.clone());
        if best.get(&s.unit_id).is_none_or(|(b, _)| stage > *b) {
            best.insert(s.unit_id, (stage, card));
        }
    }
    let scored: Vec<(String, Scorecard)> = c
        .members
        .iter()
        .filter_map(|m| {
            best.get(&m.unit_id)
                .map(|(_, card)| (m.code.clone(), card.clone()))
        })
        .collect();
    let threshold = Points(c.row.disagreement_threshold);
    let mut out = Vec::new();
    for r in dom::rank(&scored) {
        let Some(m) = c.members.iter().find(|m| m.code == r.member) else {
            continue;
        };
        let Some((stage, card)) = best.get(&m.unit_id) else {
            continue;
        };
        let disagreements = match (
            by_stage.get(&(m.unit_id, Stage::SelfScore)),
            by_stage.get(&(m.unit_id, Stage::Head)),
        ) {
            (Some(a), Some(b)) => dom::disagreements(a, b, threshold),
            _ => Vec::new(),
        };
        out.push(RankLine {
            unit_id: m.unit_id,
            code: m.code.clone(),
            name: m.name.clone(),
            role: m.role,
            rank: r.rank,
            total: r.total,
            groups: card.groups.clone(),
            decided_by: r.decided_by,
            stage: *stage,
            disagreements,
        });
    }
    Ok(out)
}

/// What a user may see of a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterAccess {
    /// The organising office (and administrators): everything, drafts
    /// included, and the provisional ranking.
    pub office: bool,
    /// The member the user works for, if any: its own scores.
    pub member: Option<i64>,
}

impl ClusterAccess {
    pub fn sees(self) -> bool {
        self.office || self.member.is_some()
    }

    /// The ranking shows others' scores: to members only once final.
    pub fn sees_ranking(self, finalised: bool) -> bool {
        self.office || (finalised && self.member.is_some())
    }
}

/// What the user may score in this cluster: (member, stage). The office
/// gives final scores to every member; a member's officers self-score it;
/// the head's officers cross-score the others and the deputy's the head.
/// Nothing once the year is finalised (a correction is the office's, from
/// the final form).
pub fn stages_for(access: ClusterAccess, c: &ClusterView) -> Vec<(i64, Stage)> {
    let mut out = Vec::new();
    if c.row.finalised_at.is_some() {
        return out;
    }
    if let Some(own) = access.member {
        out.push((own, Stage::SelfScore));
        match c.role_of(own) {
            Some(MemberRole::Head) => out.extend(
                c.members
                    .iter()
                    .filter(|m| m.unit_id != own)
                    .map(|m| (m.unit_id, Stage::Head)),
            ),
            Some(MemberRole::Deputy) => {
                out.extend(c.unit_with(MemberRole::Head).map(|h| (h, Stage::Head)))
            }
            _ => {}
        }
    }
    if access.office {
        out.extend(c.members.iter().map(|m| (m.unit_id, Stage::Final)));
    }
    out
}

pub async fn access(
    store: &Store,
    user: &thidua_store::UserRow,
    today: Date,
    c: &ClusterView,
) -> AppResult<ClusterAccess> {
    let office = may(
        store,
        Enterer::User(user),
        Action::ManageClusters,
        c.row.authority_unit_id,
        today,
    )
    .await?;
    let mut member = None;
    for m in &c.members {
        if may(
            store,
            Enterer::User(user),
            Action::ScoreInCluster,
            m.unit_id,
            today,
        )
        .await?
        {
            member = Some(m.unit_id);
            break;
        }
    }
    Ok(ClusterAccess { office, member })
}

/// Creates a year's block or cluster after checking that every member
/// stands under the organiser — the door the page and the CLI use.
pub async fn create_checked(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    new: &NewCluster,
) -> AppResult<i64> {
    if !may(store, actor, Action::ManageClusters, new.authority.0, today).await? {
        return Err(AppError::Denied(thidua_domain::policy::Denied::Role));
    }
    if new.code.trim().is_empty() || new.name.trim().is_empty() {
        return Err(AppError::Invalid {
            field: "code",
            message: "Hãy nhập mã và tên khối, cụm.".into(),
        });
    }
    if new.members.len() < 2 {
        return Err(member_problem(
            "Khối, cụm cần ít nhất hai đơn vị thành viên.".into(),
        ));
    }
    let on = judged_on(new.year, today);
    for (unit, _) in &new.members {
        check_under_authority(store, new.authority, *unit, on).await?;
    }
    create(store, who, actor, today, new).await
}

/// Adds a member during the year.
pub async fn add_member(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
    unit: UnitId,
    role: MemberRole,
) -> AppResult<()> {
    let c = load_as_office(store, actor, today, cluster).await?;
    if role == MemberRole::Head && c.members.iter().any(|m| m.role == MemberRole::Head)
        || role == MemberRole::Deputy && c.members.iter().any(|m| m.role == MemberRole::Deputy)
    {
        return Err(member_problem(format!(
            "Khối, cụm đã có {}.",
            role.label().to_lowercase()
        )));
    }
    check_under_authority(
        store,
        UnitId(c.row.authority_unit_id),
        unit,
        judged_on(c.row.year, today),
    )
    .await?;
    Ok(store.add_cluster_member(who, cluster, unit, role).await?)
}

/// A member leaves on `on` with its reason; the head cannot leave before
/// another is named.
pub async fn remove_member(
    store: &Store,
    who: &Who,
    actor: Enterer<'_>,
    today: Date,
    cluster: i64,
    unit: UnitId,
    (on, reason): (Date, &str),
) -> AppResult<()> {
    let c = load_as_office(store, actor, today, cluster).await?;
    let Some(m) = c.members.iter().find(|m| m.unit_id == unit.0) else {
        return Err(AppError::NotFound(format!("thành viên #{}", unit.0)));
    };
    if m.role == MemberRole::Head {
        return Err(member_problem(
            "Đơn vị trưởng khối, cụm không rời khối khi chưa có trưởng khối mới.".into(),
        ));
    }
    if on.year() != c.row.year {
        return Err(AppError::Invalid {
            field: "on",
            message: format!("Ngày rời khối phải trong năm {}.", c.row.year),
        });
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid {
            field: "reason",
            message: "Hãy ghi lý do (sáp nhập, giải thể, chuyển khối…).".into(),
        });
    }
    Ok(store
        .remove_cluster_member(who, cluster, unit, on, reason)
        .await?)
}

#[cfg(test)]
mod tests;
