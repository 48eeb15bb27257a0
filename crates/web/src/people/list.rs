//! The people of the units in the user's scope.

use crate::chrome::Chrome;
use crate::pages::scope_units;
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_domain::date::VnDate;
use thidua_domain::policy::{Action, role_allows};

#[derive(Deserialize)]
pub struct PeopleQuery {
    q: Option<String>,
}

pub struct PersonLine {
    id: i64,
    name: String,
    gender: &'static str,
    birth: String,
    ethnicity: String,
    position: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    query: String,
    people: Vec<PersonLine>,
    /// Words no name has, with the near words searched instead.
    corrections: Vec<String>,
    may_manage: bool,
}

pub async fn people(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    let query = q.q.unwrap_or_default().trim().to_owned();
    let (found, corrections) = if query.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let scope = scope_units(&st, &s).await?;
        thidua_app::people::find_people(&st.store, &query, 200, scope.as_deref()).await?
    };
    let corrections: Vec<String> = corrections
        .into_iter()
        .map(|(typed, near)| format!("«{typed}» → {}", near.join(", ")))
        .collect();
    let people = {
        found
            .into_iter()
            .map(|p| PersonLine {
                id: p.id,
                name: p.full_name,
                gender: p.gender.map(|g| g.label()).unwrap_or(""),
                birth: p
                    .birth_date
                    .map(|d| VnDate(d).to_string())
                    .unwrap_or_default(),
                ethnicity: p.ethnicity.unwrap_or_default(),
                position: p.position.unwrap_or_default(),
            })
            .collect()
    };
    Ok(PeoplePage {
        chrome: Chrome::new("ca-nhan", Some(&s)),
        query,
        people,
        corrections,
        may_manage: role_allows(s.user.role, Action::ManagePeople),
    }
    .into_response())
}
