//! Quyết định khen thưởng pages: the list, one decision with its lines and
//! its documents (PDF, DOCX, certificates), corrections and revocations by
//! a later decision; the administrators' document templates with a preview.

use crate::extract::CheckedForm;
use crate::extract::Path;
use crate::pages::{Chrome, guard_system, redirect_with_error, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::decisions::{self as app, Amendment, Format};
use thidua_domain::decision::DecisionId;
use thidua_domain::decision::{DecisionKind, money_words};
use thidua_domain::template::TemplateKind;
use thidua_domain::{VnDate, policy::Action};
use thidua_store::DecisionRow;

pub struct Row {
    pub id: DecisionId,
    pub number: String,
    pub date: String,
    pub kind: &'static str,
    pub issuer: String,
    pub signer: String,
    pub lines: i64,
    pub dossier: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "decisions.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub rows: Vec<Row>,
    pub kinds: Vec<(&'static str, &'static str, bool)>,
    pub year: String,
    pub unit_text: String,
    pub error: String,
    pub xlsx_href: String,
}

async fn seen(
    st: &AppState,
    s: &Session,
    d: &DecisionRow,
) -> Result<app::DecisionAccess, WebError> {
    Ok(app::access(&st.store, &s.user, d, today_vn()).await?)
}

/// The list's filters, as the query string carries them.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// `award`, `correction`, `revocation`.
    #[serde(default)]
    loai: String,
    #[serde(default)]
    nam: String,
    /// The issuing unit and those under it, by name or code.
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    xuat: String,
}

/// Decisions read for one list: the newest this many.
const LIST_READ: i64 = 5000;

pub async fn list(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let (year, under, error) = match crate::list_filter::unit_and_year(&st, &q.don_vi, &q.nam).await
    {
        Ok(f) => {
            let under = match f.unit {
                Some(root) => {
                    Some(thidua_app::registry::units_under_any_map(&st.store, root).await?)
                }
                None => None,
            };
            (f.year, under, String::new())
        }
        Err(e) => (None, Some(Vec::new()), crate::list_filter::sentence(&e)),
    };
    let mut rows = Vec::new();
    for d in st.store.decisions(None, LIST_READ).await? {
        let kept = (q.loai.is_empty() || d.kind == q.loai)
            && year.is_none_or(|y| d.decision_date.year() == y)
            && under
                .as_ref()
                .is_none_or(|u| d.issuer_unit_id.is_some_and(|i| u.contains(&i)));
        if !kept || !seen(&st, &s, &d).await?.view {
            continue;
        }
        rows.push(Row {
            id: d.id,
            number: d.number.clone(),
            date: VnDate(d.decision_date).to_string(),
            kind: d.kind().label(),
            issuer: d.issuer.clone(),
            signer: d.signer.clone(),
            lines: d.lines,
            dossier: d.dossier_id,
        });
    }
    let query =
        serde_urlencoded::to_string([("loai", &q.loai), ("nam", &q.nam), ("don_vi", &q.don_vi)])
            .unwrap_or_default();
    if q.xuat == "xlsx" && error.is_empty() {
        return crate::list_export::xlsx(
            "Quyet dinh khen thuong",
            &[
                "Số, ký hiệu",
                "Ngày",
                "Loại",
                "Cấp quyết định",
                "Người ký",
                "Số dòng",
                "Hồ sơ",
            ],
            rows.into_iter()
                .map(|r| {
                    vec![
                        r.number,
                        r.date,
                        r.kind.to_owned(),
                        r.issuer,
                        r.signer,
                        r.lines.to_string(),
                        r.dossier.map(|d| format!("#{d}")).unwrap_or_default(),
                    ]
                })
                .collect(),
        );
    }
    Ok(ListPage {
        chrome: Chrome::new("quyet-dinh", Some(&s)),
        rows,
        kinds: DecisionKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(), k.as_str() == q.loai))
            .collect(),
        year: q.nam.clone(),
        unit_text: q.don_vi.clone(),
        error,
        xlsx_href: format!("/quyet-dinh?{query}&xuat=xlsx"),
    }
    .into_response())
}

pub struct LineView {
    pub award: i64,
    /// An annual title: its checkbox is named `title`.
    pub title: bool,
    pub name: String,
    pub detail: String,
    pub form: String,
    pub achievement: String,
    pub bonus: String,
    pub status: String,
    pub active: bool,
    pub person: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "decision.html")]
pub struct DetailPage {
    pub chrome: Chrome,
    pub id: DecisionId,
    pub number: String,
    pub kind: &'static str,
    pub is_award: bool,
    pub facts: Vec<(&'static str, String)>,
    pub earlier: Option<(DecisionId, String)>,
    pub later: Vec<(DecisionId, String, &'static str)>,
    pub lines: Vec<LineView>,
    pub total: String,
    pub may_amend: bool,
    pub today: String,
}

async fn load(
    st: &AppState,
    s: &Session,
    id: DecisionId,
) -> Result<(DecisionRow, app::DecisionAccess), WebError> {
    let d = st
        .store
        .decision(id)
        .await?
        .ok_or_else(|| WebError::NotFound("Không có quyết định này.".into()))?;
    let access = seen(st, s, &d).await?;
    if !access.view {
        return Err(WebError::NotFound("Không có quyết định này.".into()));
    }
    Ok((d, access))
}

pub async fn detail(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<DecisionId>,
) -> Result<Response, WebError> {
    let (d, access) = load(&st, &s, id).await?;
    let catalogue = st.store.catalogue_versions().await?;
    let lines = st.store.decision_lines(id).await?;
    let earlier = match d.refers_to {
        Some(r) => st
            .store
            .decision(DecisionId(r))
            .await?
            .map(|e| (e.id, e.number)),
        None => None,
    };
    let later = st
        .store
        .decisions_referring_to(id)
        .await?
        .into_iter()
        .map(|x| (x.id, x.number.clone(), x.kind().label()))
        .collect();
    let total: i64 = lines
        .iter()
        .filter(|l| l.decision_id == Some(id.0))
        .filter_map(|l| l.bonus_vnd)
        .sum();
    let mut facts = vec![
        ("Loại", d.kind().label().to_owned()),
        ("Cấp quyết định", d.issuer.clone()),
        ("Ngày ký", VnDate(d.decision_date).to_string()),
        ("Người ký", format!("{} — {}", d.signer, d.signer_title)),
    ];
    if let Some(b) = d.base_salary_vnd {
        facts.push(("Mức lương cơ sở", money_words(b)));
    }
    if !d.grounds.is_empty() {
        facts.push(("Căn cứ thêm", d.grounds.clone()));
    }
    if let Some(r) = &d.reason {
        facts.push(("Lý do", r.clone()));
    }
    if let Some(dossier) = d.dossier_id {
        facts.push(("Hồ sơ", format!("#{dossier}")));
    }
    let lines = lines
        .iter()
        .map(|l| LineView {
            award: l.award_id,
            title: l.title,
            name: l.subject_name.clone(),
            detail: [l.position.clone(), l.subject_unit.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            form: app::form_name(&catalogue, &l.code, d.decision_date),
            achievement: l.achievement.clone().unwrap_or_default(),
            bonus: l
                .bonus_vnd
                .map_or_else(|| "chưa có mức".to_owned(), money_words),
            status: match (l.status.as_str(), l.superseded_by, l.revoked_by) {
                ("active", ..) => "Còn hiệu lực".into(),
                (_, Some(_), _) => "Đã đính chính".into(),
                (_, _, Some(_)) => "Đã hủy bỏ".into(),
                _ => "Đã hủy bỏ".into(),
            },
            active: l.status == "active" && l.decision_id == Some(id.0),
            person: l.person_id,
        })
        .collect();
    Ok(DetailPage {
        chrome: Chrome::new("quyet-dinh", Some(&s)),
        id,
        number: d.number.clone(),
        kind: d.kind().label(),
        is_award: d.kind() != DecisionKind::Revocation,
        facts,
        earlier,
        later,
        lines,
        total: if total > 0 {
            money_words(total)
        } else {
            String::new()
        },
        may_amend: access.amend,
        today: VnDate(today_vn()).to_string(),
    }
    .into_response())
}

fn file_name(d: &DecisionRow, what: &str, ext: &str) -> String {
    format!("{what} {}.{ext}", d.number.replace('/', "-"))
}

pub async fn pdf(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<DecisionId>,
) -> Result<Response, WebError> {
    let (d, _) = load(&st, &s, id).await?;
    let bytes = app::render(&st.store, id, Format::Pdf).await?;
    Ok(crate::movements::attachment(
        &file_name(&d, "Quyết định", "pdf"),
        "application/pdf",
        bytes,
    ))
}

pub async fn docx(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<DecisionId>,
) -> Result<Response, WebError> {
    let (d, _) = load(&st, &s, id).await?;
    let bytes = app::render(&st.store, id, Format::Docx).await?;
    Ok(crate::movements::attachment(
        &file_name(&d, "Quyết định", "docx"),
        crate::movements::content_type_static(crate::movements::DOCX),
        bytes,
    ))
}

pub async fn certificates(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<DecisionId>,
) -> Result<Response, WebError> {
    let (d, _) = load(&st, &s, id).await?;
    let bytes = app::certificates(&st.store, id).await?;
    Ok(crate::movements::attachment(
        &file_name(&d, "Bằng khen", "pdf"),
        "application/pdf",
        bytes,
    ))
}

#[derive(Deserialize)]
pub struct AmendForm {
    kind: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    signer: String,
    #[serde(default)]
    signer_title: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    achievement: String,
}

pub async fn amend(
    State(st): State<AppState>,
    Path(id): Path<DecisionId>,
    crate::extract::CheckedText(s, body): crate::extract::CheckedText,
) -> Result<Response, WebError> {
    let (awards, f): (Vec<i64>, AmendForm) = crate::dossiers::form_with_checked(&body, "award")?;
    let (titles, _): (Vec<i64>, AmendForm) = crate::dossiers::form_with_checked(&body, "title")?;
    let (_, access) = load(&st, &s, id).await?;
    if !access.amend {
        return Err(WebError::Forbidden(
            "Bạn không có quyền đính chính, hủy bỏ quyết định này.".into(),
        ));
    }
    let back = format!("/quyet-dinh/{id}");
    let Ok(date) = VnDate::parse(f.date.trim()) else {
        return Ok(redirect_with_error(
            &st,
            &back,
            "Chưa ghi: ngày quyết định theo dạng dd/mm/yyyy.",
        ));
    };
    let a = Amendment {
        kind: DecisionKind::parse(&f.kind).unwrap_or(DecisionKind::Award),
        refers_to: id,
        awards,
        titles,
        achievement: Some(f.achievement.trim().to_owned()).filter(|x| !x.is_empty()),
        number: f.number,
        date: date.0,
        signer: f.signer,
        signer_title: f.signer_title,
        reason: f.reason,
    };
    match app::amend(&st.store, &s.who(), today_vn(), &a).await {
        Ok(new) => Ok(redirect_with_flash(
            &st,
            &format!("/quyet-dinh/{new}"),
            "Đã ghi quyết định.",
        )),
        Err(e) => crate::dossiers::outcome(&st, &back, "", Err::<(), _>(e)),
    }
}

// ------------------------------------------------------------ templates

pub struct KindView {
    pub kind: &'static str,
    pub label: &'static str,
    pub body: String,
    pub fields: Vec<(&'static str, &'static str)>,
    pub sections: Vec<(&'static str, &'static str)>,
    pub versions: usize,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "doc_templates.html")]
pub struct TemplatesPage {
    pub chrome: Chrome,
    pub kinds: Vec<KindView>,
}

#[derive(Deserialize, Default)]
pub struct KindQuery {
    #[serde(default)]
    loai: String,
}

pub async fn templates(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<KindQuery>,
) -> Result<Response, WebError> {
    guard_system(&st, &s, Action::ManageCatalogue).await?;
    let mut kinds = Vec::new();
    for kind in TemplateKind::ALL {
        let versions = st.store.template_versions(kind, 100).await?;
        kinds.push(KindView {
            kind: kind.as_str(),
            label: kind.label(),
            body: versions
                .first()
                .map_or_else(|| kind.default_text().to_owned(), |t| t.body.clone()),
            fields: kind.fields().to_vec(),
            sections: kind.sections().to_vec(),
            versions: versions.len(),
            selected: q.loai == kind.as_str()
                || (q.loai.is_empty() && kind == TemplateKind::Decision),
        });
    }
    Ok(TemplatesPage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        kinds,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct TemplateForm {
    kind: String,
    body: String,
    #[serde(default)]
    preview: String,
}

pub async fn save_template(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<TemplateForm>,
) -> Result<Response, WebError> {
    guard_system(&st, &s, Action::ManageCatalogue).await?;
    let kind = TemplateKind::parse(&f.kind)
        .ok_or_else(|| WebError::BadRequest("Không có loại mẫu này.".into()))?;
    let back = format!("/quan-tri/mau-van-ban?loai={}", kind.as_str());
    // The form's text area sends CRLF line ends.
    let body = f.body.replace("\r\n", "\n");
    if !f.preview.is_empty() {
        return match app::preview(kind, &body) {
            Ok(pdf) => Ok(crate::movements::attachment(
                &format!("Xem thử {}.pdf", kind.label()),
                "application/pdf",
                pdf,
            )),
            Err(AppError::Invalid { message, .. }) => Ok(redirect_with_error(
                &st,
                &back,
                &format!("Mẫu chưa dùng được: {message}."),
            )),
            Err(e) => Err(e.into()),
        };
    }
    match app::save_template(&st.store, &s.who(), kind, &body).await {
        Ok(_) => Ok(redirect_with_flash(
            &st,
            &back,
            "Đã lưu phiên bản mới của mẫu.",
        )),
        Err(AppError::Invalid { message, .. }) => Ok(redirect_with_error(
            &st,
            &back,
            &format!("Mẫu chưa được lưu: {message}."),
        )),
        Err(e) => Err(e.into()),
    }
}
