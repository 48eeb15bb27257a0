//! The people of the units in the user's scope: found by name, narrowed
//! to a unit's subtree, a year and whether they still work there, and
//! exported as shown.

use crate::chrome::Chrome;
use crate::pages::{scope_units, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::people::PeopleFilter;
use thidua_domain::date::VnDate;
use thidua_domain::policy::{Action, role_allows};

#[derive(Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    q: String,
    /// A unit, by name or code: the people of its subtree.
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    nam: String,
    /// `dang`: still working there today; `da-thoi`: no longer.
    #[serde(default)]
    trang_thai: String,
    /// `xlsx`: the list as a spreadsheet.
    #[serde(default)]
    xuat: String,
}

impl PeopleQuery {
    fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.don_vi.trim().is_empty()
            && self.nam.trim().is_empty()
            && self.trang_thai.is_empty()
    }
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
    unit_text: String,
    year: String,
    status: String,
    searched: bool,
    error: String,
    people: Vec<PersonLine>,
    total: i64,
    /// Words no name has, with the near words searched instead.
    corrections: Vec<String>,
    may_manage: bool,
    xlsx_href: String,
}

/// People shown on one page; the export takes up to the list's limit.
const PAGE_PEOPLE: i64 = 200;

async fn filter_of(st: &AppState, q: &PeopleQuery) -> Result<PeopleFilter, String> {
    let f = crate::list_filter::unit_and_year(st, &q.don_vi, &q.nam).await?;
    let working = crate::list_filter::two_states(&q.trang_thai, "dang", "da-thoi")?;
    Ok(PeopleFilter {
        unit: f.unit,
        year: f.year,
        working,
    })
}

pub async fn people(
    State(st): State<AppState>,
    s: Session,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    // Read-only: a replica may answer (serve --db-replica).
    let st = st.reading().await;
    let export = q.xuat == "xlsx";
    let (found, error) = match filter_of(&st, &q).await {
        Err(e) => (Default::default(), crate::list_filter::sentence(&e)),
        Ok(_) if q.is_empty() => (Default::default(), String::new()),
        Ok(filter) => {
            let scope = scope_units(&st, &s).await?;
            let limit = if export {
                thidua_store::PEOPLE_LIST_MAX
            } else {
                PAGE_PEOPLE
            };
            let found = thidua_app::people::find_people(
                &st.store,
                &q.q,
                limit,
                scope.as_deref(),
                &filter,
                today_vn(),
            )
            .await?;
            (found, String::new())
        }
    };
    let thidua_app::people::FoundPeople {
        people,
        total,
        corrections,
    } = found;
    let corrections: Vec<String> = corrections
        .into_iter()
        .map(|(typed, near)| format!("«{typed}» → {}", near.join(", ")))
        .collect();
    let people: Vec<PersonLine> = people
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
        .collect();
    if export && error.is_empty() {
        return crate::list_export::xlsx(
            "Ca nhan",
            &["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ"],
            people
                .into_iter()
                .map(|p| {
                    vec![
                        p.name,
                        p.gender.to_owned(),
                        p.birth,
                        p.ethnicity,
                        p.position,
                    ]
                })
                .collect(),
        );
    }
    let query_string = serde_urlencoded::to_string([
        ("q", &q.q),
        ("don_vi", &q.don_vi),
        ("nam", &q.nam),
        ("trang_thai", &q.trang_thai),
    ])
    .unwrap_or_default();
    Ok(PeoplePage {
        chrome: Chrome::new("ca-nhan", Some(&s)),
        searched: !q.is_empty() && error.is_empty(),
        query: q.q.trim().to_owned(),
        unit_text: q.don_vi.clone(),
        year: q.nam.clone(),
        status: q.trang_thai.clone(),
        error,
        people,
        total,
        corrections,
        may_manage: role_allows(s.user.role, Action::ManagePeople),
        xlsx_href: format!("/ca-nhan?{query_string}&xuat=xlsx"),
    }
    .into_response())
}
