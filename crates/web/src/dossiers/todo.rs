//! The dossier work waiting for a user.

use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thidua_app::agenda::{AgendaItem, agenda};

#[derive(Template, WebTemplate)]
#[template(path = "todo.html")]
pub struct TodoPage {
    pub chrome: Chrome,
    pub items: Vec<AgendaItem>,
    pub notices: Vec<(String, String, bool, String)>,
}

pub async fn todo(State(st): State<AppState>, s: Session) -> Result<Response, WebError> {
    let today = today_vn();
    let items = agenda(&st.store, &s.user, today).await?;
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
