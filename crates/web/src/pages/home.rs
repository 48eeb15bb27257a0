//! The home page: the work waiting for the user.

use super::org::{Line, line};
use crate::chrome::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thidua_app::agenda::{AgendaItem, agenda};
use thidua_app::auth;

/// The home page lists this many items of the to-do list, then links to it.
const HOME_ITEMS: usize = 8;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(super) struct HomePage {
    chrome: Chrome,
    full_name: String,
    role: &'static str,
    units: Vec<Line>,
    todo: Vec<AgendaItem>,
    todo_total: usize,
    overdue: usize,
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
    let mut todo = agenda(&st.store, &s.user, today).await?;
    let todo_total = todo.len();
    let overdue = todo.iter().filter(|t| t.overdue).count();
    todo.truncate(HOME_ITEMS);
    Ok(HomePage {
        chrome: Chrome::new("", Some(&s)),
        full_name: s.user.full_name.clone(),
        role: s.user.role.label(),
        units,
        todo,
        todo_total,
        overdue,
    }
    .into_response())
}
