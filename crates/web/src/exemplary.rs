//! Điển hình tiên tiến: the examples of the user's scope with the forms
//! that record them and the conferences, the province's choice of what to
//! publish, and the public page of good examples.

use crate::chrome::{Chrome, today_vn};
use crate::extract::{CheckedForm, Path};
use crate::pages::redirect_with_flash;
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::AppError;
use thidua_app::exemplary::{self as app, EventInput, ExampleInput};
use thidua_app::movements::Enterer;
use thidua_domain::date::VnDate;
use thidua_domain::exemplary::{EventKind, ModelKind};
use thidua_domain::policy::{Action, role_allows};
use thidua_store::ExampleRow;

pub struct Line {
    pub id: i64,
    pub kind: &'static str,
    pub subject: String,
    pub unit: String,
    pub movement: String,
    pub year: i32,
    pub deeds: String,
    pub honoured: String,
    pub published: bool,
}

fn line(e: ExampleRow) -> Line {
    let honoured = match (e.event_name, e.honoured_by) {
        (Some(ev), Some(h)) => format!("{ev}; {h}"),
        (Some(ev), None) => ev,
        (None, Some(h)) => h,
        (None, None) => String::new(),
    };
    Line {
        id: e.id,
        kind: e.kind.label(),
        subject: e.subject_name,
        unit: e.home_name,
        movement: e.movement_name.unwrap_or_default(),
        year: e.year,
        deeds: e.deeds,
        honoured,
        published: e.published,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "exemplary.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<Line>,
    may_record: bool,
    may_publish: bool,
    kinds: Vec<(&'static str, &'static str)>,
    event_kinds: Vec<(&'static str, &'static str)>,
    events: Vec<(i64, String)>,
    this_year: i32,
}

pub async fn list(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let today = today_vn();
    let lines = app::list(&st.store, &s.user, today)
        .await?
        .into_iter()
        .map(line)
        .collect();
    let events = st
        .store
        .honour_events()
        .await?
        .into_iter()
        .map(|e| (e.id, format!("{} ({})", e.name, VnDate(e.held_on))))
        .collect();
    Ok(ListPage {
        chrome: Chrome::new("dien-hinh", Some(&s)),
        lines,
        may_record: role_allows(s.user.role, Action::RecordExemplary),
        may_publish: role_allows(s.user.role, Action::ManageMovements),
        kinds: ModelKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        event_kinds: EventKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        events,
        this_year: today.year(),
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct ExampleForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    movement: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    deeds: String,
    #[serde(default)]
    honoured_by: String,
    #[serde(default)]
    event: String,
}

fn refused(e: AppError) -> WebError {
    match e {
        AppError::Invalid { message, .. } => WebError::Unprocessable(message),
        e => e.into(),
    }
}

pub async fn record(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<ExampleForm>,
) -> Result<Response, WebError> {
    let input = ExampleInput {
        kind: f.kind,
        person: f.person,
        unit: f.unit,
        movement: f.movement,
        year: f.year,
        deeds: f.deeds,
        honoured_by: f.honoured_by,
        event: f.event,
    };
    app::record(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        &input,
        today_vn(),
    )
    .await
    .map_err(refused)?;
    Ok(redirect_with_flash(&st, "/dien-hinh", "Đã ghi điển hình."))
}

#[derive(Deserialize)]
pub struct EventForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    movement: String,
}

pub async fn record_event(
    State(st): State<AppState>,
    CheckedForm(s, f): CheckedForm<EventForm>,
) -> Result<Response, WebError> {
    let input = EventInput {
        kind: f.kind,
        name: f.name,
        held_on: f.held_on,
        organiser: f.organiser,
        movement: f.movement,
    };
    app::record_event(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        &input,
        today_vn(),
    )
    .await
    .map_err(refused)?;
    Ok(redirect_with_flash(&st, "/dien-hinh", "Đã ghi hội nghị."))
}

#[derive(Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    published: String,
}

pub async fn publish(
    State(st): State<AppState>,
    Path(id): Path<i64>,
    CheckedForm(s, f): CheckedForm<PublishForm>,
) -> Result<Response, WebError> {
    let on = f.published == "1";
    app::publish(
        &st.store,
        &s.who(),
        Enterer::User(&s.user),
        id,
        on,
        today_vn(),
    )
    .await
    .map_err(refused)?;
    Ok(redirect_with_flash(
        &st,
        "/dien-hinh",
        if on {
            "Đã đưa lên trang gương điển hình."
        } else {
            "Đã gỡ khỏi trang gương điển hình."
        },
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "exemplary_public.html")]
struct PublicPage {
    chrome: Chrome,
    lines: Vec<Line>,
}

/// Gương điển hình: what the province chose to publish, for everyone.
pub async fn public(State(st): State<AppState>) -> Result<Response, WebError> {
    // Read-only: a replica may answer (serve --db-replica).
    let st = st.reading().await;
    Ok(PublicPage {
        chrome: Chrome::new("guong", None),
        lines: app::public(&st.store)
            .await?
            .into_iter()
            .map(line)
            .collect(),
    }
    .into_response())
}
