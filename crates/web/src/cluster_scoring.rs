//! Chấm điểm khối, cụm: the scoring form (self, head, final) with evidence
//! files, the office's finalisation with the vote's minutes, the flag
//! proposals, and evidence downloads.
//!
//! The form shows the sheet as it is: a checkbox for a fixed criterion, a
//! choice of levels, an amount against a target, points for a bonus or a
//! penalty. It opens with the stage's last score, else the best earlier
//! stage's (the head starts from the self-score, the office from the
//! head's), so a scorer adjusts rather than retypes. A refused score comes
//! back with everything typed and the reason; nothing is written.

use crate::extract::Path;
use crate::extract::{CheckedForm, TokenOnly};
use crate::pages::{Chrome, redirect_with_error, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use thidua_app::clusters::{self as app, ClusterView, Scoring, Stage, Upload};
use thidua_app::movements::Enterer;
use thidua_app::{cluster_flags, cluster_reports};
use thidua_domain::cluster::{Achieved, CriterionKind, Entry, Points, Sheet};
use thidua_domain::number::{format_vi_short, parse_vi};

pub struct Field {
    pub code: String,
    pub name: String,
    pub max: String,
    /// "fixed", "levels", "amount", "points"
    pub input: &'static str,
    pub hint: String,
    pub levels: Vec<String>,
    pub value: String,
    pub evidence: String,
    pub evidence_required: bool,
    /// Earlier stages' points for this criterion, for the scorer to compare.
    pub earlier: String,
}

pub struct GroupFields {
    pub title: String,
    pub fields: Vec<Field>,
}

pub struct FileLine {
    pub id: i64,
    pub criterion: String,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cluster_score.html")]
struct ScorePage {
    chrome: Chrome,
    cluster_id: i64,
    cluster_name: String,
    year: i32,
    unit_id: i64,
    unit_name: String,
    stage: &'static str,
    stage_label: &'static str,
    correction: bool,
    groups: Vec<GroupFields>,
    files: Vec<FileLine>,
    earlier_label: String,
    reason: String,
    error: String,
}

fn not_found(id: i64) -> WebError {
    WebError::NotFound(format!("khối, cụm #{id}"))
}

/// The cluster and the user's rights in it, or 404 for those outside.
pub(crate) async fn load(
    st: &AppState,
    s: &Session,
    id: i64,
) -> Result<(ClusterView, app::ClusterAccess), WebError> {
    let view = app::load(&st.store, id).await.map_err(|_| not_found(id))?;
    let access = app::access(&st.store, &s.user, today_vn(), &view).await?;
    if !access.sees() {
        return Err(not_found(id));
    }
    Ok((view, access))
}

/// The stage the user may score for this member now, or 404. After
/// finalisation the office may still correct a final score (with a reason).
fn allowed(
    view: &ClusterView,
    access: app::ClusterAccess,
    unit: i64,
    stage: Stage,
) -> Result<bool, WebError> {
    let finalised = view.row.finalised_at.is_some();
    if finalised && stage == Stage::Final && access.office {
        return Ok(true);
    }
    if app::stages_for(access, view).contains(&(unit, stage)) {
        return Ok(false);
    }
    Err(WebError::NotFound(
        "Không có việc chấm điểm này cho bạn.".into(),
    ))
}

fn value_of(achieved: &Achieved) -> String {
    match achieved {
        Achieved::Met(true) => "1".into(),
        Achieved::Met(false) => String::new(),
        Achieved::Level(l) => l.clone(),
        Achieved::Amount(a) => format_vi_short(*a, 2),
        Achieved::Points(p) => p.to_string(),
    }
}

type Earlier = Vec<(Stage, BTreeMap<String, Points>)>;

fn fields(
    sheet: &Sheet,
    entries: &BTreeMap<String, Entry>,
    typed: Option<&BTreeMap<String, String>>,
    earlier: &Earlier,
) -> Vec<GroupFields> {
    sheet
        .groups
        .iter()
        .map(|g| GroupFields {
            title: format!("{}. {}", g.code, g.name),
            fields: g
                .criteria
                .iter()
                .map(|c| {
                    let (input, hint, levels) = match &c.kind {
                        CriterionKind::Fixed => {
                            ("fixed", "Đạt thì được đủ điểm".to_owned(), vec![])
                        }
                        CriterionKind::Levels { levels } => (
                            "levels",
                            "Chọn mức đạt được".to_owned(),
                            levels.iter().map(|l| l.label.clone()).collect(),
                        ),
                        CriterionKind::Proportional { target } => (
                            "amount",
                            format!(
                                "Kết quả so với chỉ tiêu {} (điểm theo tỷ lệ)",
                                format_vi_short(*target, 2)
                            ),
                            vec![],
                        ),
                        CriterionKind::Bonus => ("points", "Điểm thưởng".to_owned(), vec![]),
                        CriterionKind::Penalty => ("points", "Điểm trừ".to_owned(), vec![]),
                    };
                    let stored = entries.get(&c.code);
                    let (value, evidence) = match typed {
                        Some(t) => (
                            t.get(&format!("v_{}", c.code)).cloned().unwrap_or_default(),
                            t.get(&format!("ev_{}", c.code))
                                .cloned()
                                .unwrap_or_default(),
                        ),
                        None => (
                            stored.map(|e| value_of(&e.achieved)).unwrap_or_default(),
                            stored.map(|e| e.evidence.join("; ")).unwrap_or_default(),
                        ),
                    };
                    Field {
                        code: c.code.clone(),
                        name: c.name.clone(),
                        max: c.max.to_string(),
                        input,
                        hint,
                        levels,
                        value,
                        evidence,
                        evidence_required: c.evidence_required,
                        earlier: earlier
                            .iter()
                            .filter_map(|(st, pts)| {
                                pts.get(&c.code).map(|p| format!("{}: {p}", st.label()))
                            })
                            .collect::<Vec<_>>()
                            .join(" · "),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The member's latest entries per stage and each stage's points.
async fn stored(
    st: &AppState,
    cluster: i64,
    unit: i64,
) -> Result<BTreeMap<Stage, (Vec<Entry>, BTreeMap<String, Points>)>, WebError> {
    let mut out = BTreeMap::new();
    for sc in st.store.cluster_scores(cluster).await? {
        if sc.unit_id != unit {
            continue;
        }
        let stage = sc.stage;
        let entries: Vec<Entry> = serde_json::from_str(&sc.entries)
            .map_err(|e| WebError::Internal(format!("điểm hỏng: {e}")))?;
        let card: thidua_domain::cluster::Scorecard = serde_json::from_str(&sc.scorecard)
            .map_err(|e| WebError::Internal(format!("điểm hỏng: {e}")))?;
        out.insert(stage, (entries, card.criteria));
    }
    Ok(out)
}

async fn page(
    st: &AppState,
    s: &Session,
    id: i64,
    unit: i64,
    stage: Stage,
    typed: Option<(&BTreeMap<String, String>, String)>,
) -> Result<Response, WebError> {
    let (view, access) = load(st, s, id).await?;
    let correction = allowed(&view, access, unit, stage)?;
    let member = view
        .members
        .iter()
        .find(|m| m.unit_id == unit)
        .ok_or_else(|| not_found(id))?;
    let Some((_, sheet)) = &view.sheet else {
        return Err(WebError::BadRequest("Khối, cụm chưa có bảng điểm.".into()));
    };
    let by_stage = stored(st, id, unit).await?;
    // Start from this stage's last score, else the latest earlier one.
    let start: BTreeMap<String, Entry> = by_stage
        .get(&stage)
        .or_else(|| by_stage.range(..stage).next_back().map(|(_, v)| v))
        .map(|(entries, _)| {
            entries
                .iter()
                .map(|e| (e.criterion.clone(), e.clone()))
                .collect()
        })
        .unwrap_or_default();
    // The office compares the stages; a member sees only its own self-score.
    let earlier: Earlier = by_stage
        .iter()
        .filter(|(s, _)| **s != stage && (access.office || **s == Stage::SelfScore))
        .map(|(s, (_, pts))| (*s, pts.clone()))
        .collect();
    let files = st
        .store
        .cluster_evidence(id, thidua_domain::org::UnitId(unit))
        .await?
        .into_iter()
        .map(|f| FileLine {
            id: f.id,
            criterion: f.criterion,
            name: f.file_name,
        })
        .collect();
    let (typed_values, error) = match typed {
        Some((t, e)) => (Some(t), e),
        None => (None, String::new()),
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ScorePage {
        chrome: Chrome::new("khoi-cum", Some(s)),
        cluster_id: id,
        cluster_name: view.row.name.clone(),
        year: view.row.year,
        unit_id: unit,
        unit_name: member.name.clone(),
        stage: stage.as_str(),
        stage_label: stage.label(),
        correction,
        groups: fields(sheet, &start, typed_values, &earlier),
        files,
        earlier_label: earlier
            .iter()
            .map(|(s, _)| s.label())
            .collect::<Vec<_>>()
            .join(", "),
        reason: typed_values
            .and_then(|t| t.get("ly_do").cloned())
            .unwrap_or_default(),
        error,
    };
    Ok((status, page).into_response())
}

fn stage_of(s: &str) -> Result<Stage, WebError> {
    Stage::parse(s).map_err(|_| WebError::NotFound("Không có vòng chấm này.".into()))
}

pub async fn form(
    State(st): State<AppState>,
    s: Session,
    Path((id, unit, stage)): Path<(i64, i64, String)>,
) -> Result<Response, WebError> {
    page(&st, &s, id, unit, stage_of(&stage)?, None).await
}

/// Reads the typed values into entries; an empty value leaves the
/// criterion unscored (a fixed criterion unchecked is "not met").
fn entries_from(sheet: &Sheet, typed: &BTreeMap<String, String>) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for c in sheet.groups.iter().flat_map(|g| &g.criteria) {
        let raw = typed
            .get(&format!("v_{}", c.code))
            .map(|v| v.trim())
            .unwrap_or("");
        let achieved = match &c.kind {
            CriterionKind::Fixed => Achieved::Met(!raw.is_empty()),
            _ if raw.is_empty() => continue,
            CriterionKind::Levels { .. } => Achieved::Level(raw.to_owned()),
            CriterionKind::Proportional { .. } => {
                Achieved::Amount(parse_vi(raw).map_err(|_| {
                    format!("tiêu chí {}: «{raw}» không phải là số (ví dụ 95,5)", c.code)
                })?)
            }
            CriterionKind::Bonus | CriterionKind::Penalty => {
                Achieved::Points(Points::parse(raw).ok_or_else(|| {
                    format!(
                        "tiêu chí {}: «{raw}» không phải là số điểm (ví dụ 2,5)",
                        c.code
                    )
                })?)
            }
        };
        let evidence = typed
            .get(&format!("ev_{}", c.code))
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        out.push(Entry {
            criterion: c.code.clone(),
            achieved,
            evidence,
        });
    }
    Ok(out)
}

pub async fn save(
    State(st): State<AppState>,
    s: Session,
    Path((id, unit, stage)): Path<(i64, i64, String)>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    let stage = stage_of(&stage)?;
    let bad = crate::upload_error;
    let mut typed = BTreeMap::new();
    let mut files = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(code) = name.strip_prefix("f_") {
            let named = field.file_name().is_some_and(|n| !n.is_empty());
            let file_name = crate::input_guard::file_name(field.file_name());
            let bytes = field.bytes().await.map_err(bad)?;
            // An empty file input sends an empty part.
            if named || !bytes.is_empty() {
                files.push(Upload {
                    criterion: code.to_owned(),
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            let value = field.text().await.map_err(bad)?;
            typed.insert(
                name.clone(),
                crate::input_guard::multipart_text(&name, value)?,
            );
        }
    }
    s.check_form_csrf(typed.get("_csrf").map(String::as_str).unwrap_or(""))?;
    let (view, access) = load(&st, &s, id).await?;
    allowed(&view, access, unit, stage)?;
    let Some((_, sheet)) = &view.sheet else {
        return Err(WebError::BadRequest("Khối, cụm chưa có bảng điểm.".into()));
    };
    let entries = match entries_from(sheet, &typed) {
        Ok(e) => e,
        Err(message) => return page(&st, &s, id, unit, stage, Some((&typed, message))).await,
    };
    let r = app::score(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        today_vn(),
        Scoring {
            cluster: id,
            unit,
            stage,
            entries: &entries,
            reason: typed.get("ly_do").cloned(),
            files: &files,
        },
    )
    .await;
    match r {
        Ok(card) => {
            let name = view
                .members
                .iter()
                .find(|m| m.unit_id == unit)
                .map(|m| m.name.as_str())
                .unwrap_or_default();
            Ok(redirect_with_flash(
                &st,
                &format!("/khoi-cum/{id}"),
                &format!(
                    "Đã ghi «{}» của {name}: {} điểm.",
                    stage.label(),
                    card.total
                ),
            ))
        }
        Err(thidua_app::AppError::Invalid { message, .. }) => {
            page(&st, &s, id, unit, stage, Some((&typed, message))).await
        }
        Err(thidua_app::AppError::Store(thidua_store::StoreError::Conflict(m))) => {
            page(&st, &s, id, unit, stage, Some((&typed, m))).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct FinaliseForm {
    #[serde(default)]
    bien_ban: String,
}

pub async fn finalise(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedForm(s, f): CheckedForm<FinaliseForm>,
) -> Result<Response, WebError> {
    load(&st, &s, id).await?;
    let r = app::finalise(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        today_vn(),
        id,
        Some(&f.bien_ban),
    )
    .await;
    crate::dossiers::outcome(&st, &format!("/khoi-cum/{id}"), "Đã chốt điểm.", r)
}

/// A change that opens a new page (a dossier, next year's cluster): there
/// on success, else back with the reason.
fn opened<T>(
    st: &AppState,
    r: Result<T, thidua_app::AppError>,
    to: impl Fn(T) -> String,
    ok: &str,
    back: &str,
) -> Result<Response, WebError> {
    match r {
        Ok(id) => Ok(redirect_with_flash(st, &to(id), ok)),
        r => crate::dossiers::outcome(st, back, "", r),
    }
}

pub async fn propose(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedForm(s, TokenOnly {}): CheckedForm<TokenOnly>,
) -> Result<Response, WebError> {
    load(&st, &s, id).await?;
    let r = cluster_flags::propose_province_flag(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        today_vn(),
        id,
    )
    .await;
    opened(
        &st,
        r,
        |d| format!("/ho-so/{d}"),
        "Đã lập hồ sơ đề nghị tặng Cờ thi đua của UBND tỉnh.",
        &format!("/khoi-cum/{id}"),
    )
}

#[derive(Deserialize)]
pub struct GovernmentForm {
    nam: i32,
    don_vi: i64,
    #[serde(default)]
    so_luong: String,
}

pub async fn propose_government(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<GovernmentForm>,
) -> Result<Response, WebError> {
    let back = format!("/khoi-cum?nam={}", f.nam);
    let Ok(count) = f.so_luong.trim().parse::<usize>() else {
        return Ok(redirect_with_error(
            &st,
            &back,
            &format!("Chưa ghi: «{}» không phải là số đơn vị.", f.so_luong),
        ));
    };
    let r = cluster_flags::propose_government_flag(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        today_vn(),
        thidua_domain::org::UnitId(f.don_vi),
        f.nam,
        count,
    )
    .await;
    opened(
        &st,
        r,
        |d| format!("/ho-so/{d}"),
        "Đã lập hồ sơ đề nghị tặng Cờ thi đua của Chính phủ.",
        &back,
    )
}

/// An evidence file: for the office, the member itself, and its scorers
/// (the head, or the deputy for the head).
pub async fn evidence(
    State(st): State<AppState>,
    s: Session,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (view, access) = load(&st, &s, id).await?;
    let missing = || WebError::NotFound("Không có tệp này.".into());
    let (row, bytes) = st
        .store
        .cluster_evidence_file(file)
        .await?
        .filter(|(r, _)| r.cluster_id == id)
        .ok_or_else(missing)?;
    let scorer = app::stages_for(access, &view)
        .iter()
        .any(|(u, _)| *u == row.unit_id);
    if !(access.office || access.member == Some(row.unit_id) || scorer) {
        return Err(missing());
    }
    Ok(crate::movements::attachment(
        &row.file_name,
        crate::movements::content_type_static(&row.content_type),
        bytes,
    ))
}

/// The sheet as XLSX, for anyone who sees the cluster.
pub async fn sheet_xlsx(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (view, _) = load(&st, &s, id).await?;
    let Some((_, sheet)) = &view.sheet else {
        return Err(WebError::NotFound("Khối, cụm chưa có bảng điểm.".into()));
    };
    let bytes = cluster_reports::sheet_to_xlsx(sheet)?;
    Ok(crate::movements::attachment(
        &format!("bang-diem-{}-{}.xlsx", view.row.code, view.row.year),
        crate::movements::XLSX,
        bytes,
    ))
}

/// A new version of the sheet from XLSX, by the office, before scores
/// are final. Problems come back by row and column; nothing is written.
pub async fn sheet_upload(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
    mut mp: Multipart,
) -> Result<Response, WebError> {
    // Only the organising office sets the sheet: others are refused
    // before the file is read.
    let (_, access) = load(&st, &s, id).await?;
    if !access.office {
        return Err(WebError::Forbidden(
            "Chỉ cơ quan tổ chức khối, cụm được thay bảng điểm.".into(),
        ));
    }
    let (csrf, file) = crate::movements::read_multipart(&mut mp).await?;
    s.check_form_csrf(&csrf)?;
    let (_, file) = file.unwrap_or_default();
    let back = format!("/khoi-cum/{id}");
    let sheet = match cluster_reports::parse_sheet(file).await? {
        Ok(sheet) => sheet,
        Err(problems) => {
            return Ok(redirect_with_error(
                &st,
                &back,
                &format!("Chưa ghi bảng điểm: {}.", problems.join("; ")),
            ));
        }
    };
    let r = app::set_sheet(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        today_vn(),
        id,
        &sheet,
    )
    .await;
    match r {
        Ok(version) => Ok(redirect_with_flash(
            &st,
            &back,
            &format!("Đã ghi bảng điểm, phiên bản {version}."),
        )),
        r => crate::dossiers::outcome(&st, &back, "", r),
    }
}

/// The year's results and the years before, as XLSX: for the office, and
/// for members once the year is final.
pub async fn report_xlsx(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (view, access) = load(&st, &s, id).await?;
    if !access.sees_ranking(view.row.finalised_at.is_some()) {
        return Err(WebError::NotFound(
            "Kết quả được công bố khi khối, cụm chốt điểm.".into(),
        ));
    }
    let lines = app::ranking(&st.store, id).await?;
    let past = cluster_reports::history(&st.store, &view).await?;
    let bytes = cluster_reports::report_xlsx(&view, &lines, &past)?;
    Ok(crate::movements::attachment(
        &format!("ket-qua-{}-{}.xlsx", view.row.code, view.row.year),
        crate::movements::XLSX,
        bytes,
    ))
}

/// Next year's cluster, by the office.
pub async fn copy(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedForm(s, TokenOnly {}): CheckedForm<TokenOnly>,
) -> Result<Response, WebError> {
    load(&st, &s, id).await?;
    let r =
        app::copy_to_next_year(&st.store, &s.who(), Enterer::User(&s.user), today_vn(), id).await;
    match r {
        Ok(next) => Ok(redirect_with_flash(
            &st,
            &format!("/khoi-cum/{next}"),
            "Đã lập khối, cụm năm sau: trưởng, phó luân phiên; bảng điểm chép từ năm trước.",
        )),
        r => crate::dossiers::outcome(&st, &format!("/khoi-cum/{id}"), "", r),
    }
}
