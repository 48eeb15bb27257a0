//! The dossier work waiting for a user.

use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thidua_app::dossiers::{self as app};
use thidua_domain::VnDate;

/// (dossier, title, unit, step, what to do, since, due, overdue)
pub type TodoRow = (
    thidua_domain::dossier::DossierId,
    String,
    String,
    &'static str,
    String,
    String,
    String,
    bool,
);

#[derive(Template, WebTemplate)]
#[template(path = "todo.html")]
pub struct TodoPage {
    pub chrome: Chrome,
    pub items: Vec<TodoRow>,
    pub notices: Vec<(String, String, bool, String)>,
}

pub async fn todo(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let today = today_vn();
    let items = app::todo(&st.store, &s.user, today)
        .await?
        .into_iter()
        .map(|t| {
            (
                t.dossier_id,
                t.title,
                t.unit_name,
                t.state.label(),
                t.what,
                VnDate(t.since).to_string(),
                t.due.map(|d| VnDate(d).to_string()).unwrap_or_default(),
                t.overdue,
            )
        })
        .collect();
    let notices = st
        .store
        .notifications(s.user.id, 30)
        .await?
        .into_iter()
        .map(|n| {
            (
                n.message,
                n.dossier_id
                    .map(|d| format!("/ho-so/{d}"))
                    .unwrap_or_default(),
                n.read_at.is_none(),
                n.created_at.get(..10).unwrap_or("").to_owned(),
            )
        })
        .collect();
    st.store.mark_notifications_read(s.user.id).await?;
    Ok(TodoPage {
        chrome: Chrome::new("viec", Some(&s)),
        items,
        notices,
    }
    .into_response())
}
