//! `/quan-tri/danh-muc`: the award catalogue as data — what is in force
//! today, every version, new versions added as TOML blocks (the format of
//! the shipped file), and the quotas the annual review applies.

use crate::extract::CheckedForm;
use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_domain::date::VnDate;
use thidua_domain::eligibility::AwardCode;
use thidua_domain::eligibility::catalogue::{award_type_label, in_force};
use thidua_domain::number::format_vi_short;
use thidua_domain::policy::Action;

pub struct EntryLine {
    pub code: String,
    pub name: String,
    pub category: &'static str,
    pub subjects: String,
    pub authorities: String,
    pub level: &'static str,
    pub types: String,
    pub bonus: String,
    pub article: String,
    pub since: String,
    pub versions: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue.html")]
pub struct CataloguePage {
    pub chrome: Chrome,
    pub entries: Vec<EntryLine>,
    pub quotas: Vec<(String, String, String)>,
    pub codes: Vec<(&'static str, &'static str)>,
    pub example: String,
}

async fn guard(st: &AppState, s: &Session) -> Result<(), WebError> {
    crate::pages::guard_system(st, s, Action::ManageCatalogue).await
}

pub async fn page(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    guard(&st, &s).await?;
    let all = st.store.catalogue_versions().await?;
    let today = today_vn();
    let entries = in_force(&all, today)
        .into_iter()
        .map(|e| EntryLine {
            code: e.code.to_string(),
            name: e.name.clone(),
            category: e.category.label(),
            subjects: e
                .subjects
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(", "),
            authorities: e
                .authorities
                .iter()
                .map(|a| a.label())
                .collect::<Vec<_>>()
                .join("; "),
            level: e.level.label(),
            types: e
                .award_types
                .iter()
                .map(|t| award_type_label(*t))
                .collect::<Vec<_>>()
                .join(", "),
            bonus: match e.bonus_multiple {
                Some(b) => format!(
                    "{}{}",
                    format_vi_short(b, 2),
                    if e.bonus_confirmed {
                        ""
                    } else {
                        " (chưa xác nhận)"
                    }
                ),
                None => "—".to_owned(),
            },
            article: e.article.clone().unwrap_or_default(),
            since: VnDate(e.effective_from).to_string(),
            versions: all.iter().filter(|v| v.code == e.code).count(),
        })
        .collect();
    let quotas = st
        .store
        .quotas()
        .await?
        .into_iter()
        .map(|q| {
            (
                q.quota.code.label().to_owned(),
                format!(
                    "tối đa {} % số {}",
                    format_vi_short(q.quota.max_percent, 2),
                    q.quota.of.map_or("thành viên", AwardCode::label)
                ),
                q.source,
            )
        })
        .collect();
    Ok(CataloguePage {
        chrome: Chrome::new("quan-tri", Some(&s)),
        entries,
        quotas,
        codes: AwardCode::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        example: "[[entry]]\ncode = \"LAO_DONG_TIEN_TIEN\"\neffective_from = \"2026-07-01\"\nname = \"Lao động tiên tiến\"\ncategory = \"title\"\nsubjects = [\"individual\"]\nauthorities = [\"thu_truong_co_quan\", \"chu_tich_ubnd_xa\"]\nlevel = \"co_so\"\naward_types = [\"regular\"]\nbonus_multiple = 0.3\nbonus_confirmed = true\narticle = \"Điều 24 Luật TĐKT 2022\"".to_owned(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct VersionsForm {
    toml: String,
}

pub async fn add_versions(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<VersionsForm>,
) -> Result<Response, WebError> {
    let r = thidua_app::catalogue::add_versions(&st.store, &s.user, &s.who(), &f.toml, today_vn())
        .await;
    match r {
        Ok(n) => Ok(redirect_with_flash(
            &st,
            BACK,
            &format!("Đã thêm {n} phiên bản vào danh mục."),
        )),
        Err(e) => crate::dossiers::outcome(&st, BACK, "", Err::<(), _>(e)),
    }
}

/// Where the catalogue's forms lead back to.
const BACK: &str = "/quan-tri/danh-muc";

#[derive(Deserialize)]
pub struct QuotaForm {
    code: String,
    #[serde(default)]
    max_percent: String,
    #[serde(default)]
    of: String,
    #[serde(default)]
    source: String,
}

pub async fn set_quota(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<QuotaForm>,
) -> Result<Response, WebError> {
    let input = thidua_app::catalogue::QuotaInput {
        code: f.code,
        max_percent: f.max_percent,
        of: f.of,
        source: f.source,
    };
    match thidua_app::catalogue::set_quota(&st.store, &s.user, &s.who(), &input, today_vn()).await {
        Ok((code, true)) => Ok(redirect_with_flash(
            &st,
            BACK,
            &format!("Đã đặt giới hạn tỷ lệ cho {code}."),
        )),
        Ok((code, false)) => Ok(redirect_with_flash(
            &st,
            BACK,
            &format!("Đã bỏ giới hạn tỷ lệ của {code}."),
        )),
        // An unknown title is a request no page of ours sends.
        Err(thidua_app::AppError::Invalid {
            field: "code" | "of",
            message,
        }) => Err(WebError::BadRequest(message)),
        Err(e) => crate::dossiers::outcome(&st, BACK, "", Err::<(), _>(e)),
    }
}
