//! The public posting page and its comments.

use crate::pages::{Chrome, today_vn};
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::dossiers::{self as app};
use thidua_domain::VnDate;
use thidua_domain::dossier::DossierId;
use thidua_domain::eligibility::catalogue::in_force;

pub struct PublicLine {
    pub dossier: DossierId,
    pub line: i64,
    pub name: String,
    pub unit: String,
    pub award: String,
    pub period: String,
    pub summary: String,
    pub until: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public.html")]
pub struct PublicPage {
    pub chrome: Chrome,
    pub lines: Vec<PublicLine>,
    pub message: Option<String>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

/// Lines shown on one public page.
pub(super) const PUBLIC_PAGE: i64 = 100;

/// The public page: only what is posted today, one page of it, in three
/// reads (the lines, the catalogue, the proposing units' names).
pub(super) async fn public_page(
    st: &AppState,
    page: i64,
    message: Option<String>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let page = page.max(1);
    let (posted, total) = st
        .store
        .posted_lines_on(today, (page - 1) * PUBLIC_PAGE, PUBLIC_PAGE)
        .await?;
    let catalogue = st.store.catalogue_versions().await?;
    let entries = in_force(&catalogue, today);
    let mut units = std::collections::HashMap::new();
    for p in &posted {
        if let std::collections::hash_map::Entry::Vacant(v) = units.entry(p.proposer) {
            let name = st
                .store
                .unit(p.proposer, today)
                .await?
                .map(|u| u.name)
                .unwrap_or_default();
            v.insert(name);
        }
    }
    let lines = posted
        .into_iter()
        .map(|p| {
            let l = p.line;
            PublicLine {
                dossier: l.dossier_id,
                line: l.id,
                award: entries
                    .iter()
                    .find(|e| e.code == l.code)
                    .map_or_else(|| l.code.as_str().to_owned(), |e| e.name.clone()),
                period: if l.period_from == l.period_to {
                    l.period_to.to_string()
                } else {
                    format!("{}–{}", l.period_from, l.period_to)
                },
                name: l.name,
                unit: units.get(&p.proposer).cloned().unwrap_or_default(),
                summary: l.summary,
                until: p
                    .posted_until
                    .map(|d| VnDate(d).to_string())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let pages = ((total + PUBLIC_PAGE - 1) / PUBLIC_PAGE).max(1);
    Ok(PublicPage {
        chrome: Chrome::new("cong-khai", None),
        lines,
        message,
        page,
        pages,
        total,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct PublicQuery {
    trang: Option<String>,
}

pub async fn public(
    State(st): State<AppState>,
    Query(q): Query<PublicQuery>,
) -> Result<Response, WebError> {
    // Read-only: a replica may answer (serve --db-replica).
    let st = st.reading().await;
    let page = crate::admin::Pager::requested(q.trang.as_deref());
    public_page(&st, page, None).await
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    dossier: i64,
    #[serde(default)]
    line: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    body: String,
    /// The honeypot: hidden from people, filled by robots.
    #[serde(default)]
    website: String,
}

pub async fn feedback(
    State(st): State<AppState>,
    crate::session::ClientIp(ip): crate::session::ClientIp,
    Form(f): Form<FeedbackForm>,
) -> Result<Response, WebError> {
    let ip = ip.unwrap_or_else(|| "-".into());
    // A robot is thanked and nothing is kept.
    if !f.website.trim().is_empty() {
        return public_page(&st, 1, Some("Cảm ơn ông/bà đã gửi ý kiến.".into())).await;
    }
    if !st.feedback_limiter.allow(&ip) {
        return Err(WebError::TooMany);
    }
    let comment = app::PublicComment {
        dossier: DossierId(f.dossier),
        line: f.line,
        name: f.name,
        contact: f.contact,
        body: f.body,
    };
    match app::public_comment(&st.store, &ip, &comment, today_vn()).await {
        Ok(()) => {
            public_page(
                &st,
                1,
                Some(
                    "Cảm ơn ông/bà đã gửi ý kiến. Ý kiến đã được chuyển đến cơ quan thẩm định."
                        .into(),
                ),
            )
            .await
        }
        Err(AppError::TooMany(_)) => Err(WebError::TooMany),
        Err(AppError::Invalid { message, .. }) => refused(&st, message).await,
        Err(AppError::Store(
            thidua_store::StoreError::Conflict(m) | thidua_store::StoreError::NotFound(m),
        )) => refused(&st, format!("Chưa gửi được: {m}.")).await,
        Err(e) => Err(e.into()),
    }
}

/// The public page again, with why the comment was not kept.
pub(super) async fn refused(st: &AppState, message: String) -> Result<Response, WebError> {
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        public_page(st, 1, Some(message)).await?,
    )
        .into_response())
}
