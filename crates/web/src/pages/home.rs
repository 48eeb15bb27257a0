//! The home page: the work waiting for the user.

use super::org::{Line, line};
use crate::chrome::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thidua_app::auth;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(super) struct HomePage {
    chrome: Chrome,
    full_name: String,
    role: &'static str,
    units: Vec<Line>,
    todo: Vec<crate::movements::Todo>,
}

pub async fn home(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let today = today_vn();
    let actor = auth::actor(&st.store, &s.user, today).await?;
    let mut units = Vec::new();
    for id in &actor.scope_roots {
        if let Some(u) = st.store.unit(*id, today).await? {
            units.push(line(&u, today, String::new()));
        }
    }
    let mut todo = crate::movements::todo(&st, &actor).await?;
    for t in thidua_app::movements::tasks::waiting_for(&st.store, &s.user, today).await? {
        let due = t
            .due_date
            .map(|d| format!(" (hạn {})", thidua_domain::date::VnDate(d)))
            .unwrap_or_default();
        todo.push(crate::movements::Todo {
            href: format!("/phong-trao/{}#nhiem-vu-{}", t.movement_code, t.id),
            text: format!(
                "Nhiệm vụ được giao{due}: {} — {}",
                t.content, t.movement_name
            ),
        });
    }
    Ok(HomePage {
        chrome: Chrome::new("", Some(&s)),
        full_name: s.user.full_name.clone(),
        role: s.user.role.label(),
        units,
        todo,
    }
    .into_response())
}
