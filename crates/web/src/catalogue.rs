//! `/quan-tri/danh-muc`: the award catalogue as data — what is in force
//! today, every version, new versions added as TOML blocks (the format of
//! the shipped file), and the quotas the annual review applies.

use crate::pages::{Chrome, redirect_with_flash, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::eligibility as app_el;
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
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn add_versions(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<VersionsForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    guard(&st, &s).await?;
    let back = "/quan-tri/danh-muc";
    let entries = match app_el::parse_catalogue(&f.toml) {
        Ok(e) if e.is_empty() => {
            return Ok(redirect_with_flash(
                &st,
                back,
                "Chưa ghi: không có mục nào.",
            ));
        }
        Ok(e) => e,
        Err(e) => return Ok(redirect_with_flash(&st, back, &format!("Chưa ghi: {e}."))),
    };
    match st.store.add_catalogue_versions(&s.who(), &entries).await {
        Ok(n) => Ok(redirect_with_flash(
            &st,
            back,
            &format!("Đã thêm {n} phiên bản vào danh mục."),
        )),
        Err(thidua_store::StoreError::Conflict(m)) => {
            Ok(redirect_with_flash(&st, back, &format!("Chưa ghi: {m}.")))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct QuotaForm {
    code: String,
    #[serde(default)]
    max_percent: String,
    #[serde(default)]
    of: String,
    #[serde(default)]
    source: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

pub async fn set_quota(
    State(st): State<AppState>,
    s: Session,
    Form(f): Form<QuotaForm>,
) -> Result<Response, WebError> {
    s.check_form_csrf(&f.csrf)?;
    guard(&st, &s).await?;
    let back = "/quan-tri/danh-muc";
    let code = AwardCode::parse(&f.code)
        .ok_or_else(|| WebError::BadRequest(format!("Danh hiệu «{}» không có.", f.code)))?;
    let quota = match f.max_percent.trim() {
        "" => None,
        p => {
            let Some(max) = thidua_domain::number::parse_vi(p)
                .ok()
                .filter(|v| *v > 0.0 && *v <= 100.0)
            else {
                return Ok(redirect_with_flash(
                    &st,
                    back,
                    &format!("Chưa ghi: tỷ lệ «{p}» phải từ trên 0 đến 100 %."),
                ));
            };
            let of =
                match f.of.trim() {
                    "" => None,
                    o => Some(AwardCode::parse(o).ok_or_else(|| {
                        WebError::BadRequest(format!("Danh hiệu «{o}» không có."))
                    })?),
                };
            if f.source.trim().is_empty() {
                return Ok(redirect_with_flash(
                    &st,
                    back,
                    "Chưa ghi: cần ghi căn cứ (văn bản quy định giới hạn).",
                ));
            }
            Some((max, of, f.source.trim()))
        }
    };
    st.store.set_quota(&s.who(), code, quota).await?;
    Ok(redirect_with_flash(
        &st,
        back,
        &match quota {
            Some(_) => format!("Đã đặt giới hạn tỷ lệ cho {code}."),
            None => format!("Đã bỏ giới hạn tỷ lệ của {code}."),
        },
    ))
}
