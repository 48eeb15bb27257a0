//! The dossier work waiting for a user.

use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use thidua_app::agenda::{AgendaItem, agenda};

#[derive(Template, WebTemplate)]
#[template(path = "todo.html")]
pub struct TodoPage {
    pub chrome: Chrome,
    pub items: Vec<AgendaItem>,
    pub notices: Vec<(String, String, bool, String)>,
}

#[derive(serde::Deserialize, Default)]
pub struct TodoQuery {
    /// `xlsx`: the list as a spreadsheet (the notices stay unread).
    #[serde(default)]
    xuat: String,
}

pub async fn todo(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<TodoQuery>,
) -> Result<Response, WebError> {
    let today = today_vn();
    let items = agenda(&st.store, &s.user, today).await?;
    if q.xuat == "xlsx" {
        return crate::list_export::xlsx(
            "Viec can lam",
            &[
                "Loại",
                "Việc",
                "Đơn vị",
                "Đang ở bước",
                "Việc của bạn",
                "Từ ngày",
                "Hạn",
                "Quá hạn",
            ],
            items
                .iter()
                .map(|t| {
                    vec![
                        t.kind.label().to_owned(),
                        t.title.clone(),
                        t.unit.clone(),
                        t.step.clone(),
                        t.what.clone(),
                        t.since_vn(),
                        t.due_vn(),
                        if t.overdue {
                            "quá hạn".into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
        );
    }
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
