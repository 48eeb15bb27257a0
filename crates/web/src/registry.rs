//! Sổ khen thưởng and Thống kê pages: search the registry (diacritics and
//! small typos forgiven), a person's and a collective's history, and the
//! counts with charts, the report sentence and an Excel export.

use crate::charts;
use crate::extract::Path;
use crate::pages::{Chrome, today_vn};
use crate::session::Session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use thidua_app::registry::{self as app, Search};
use thidua_app::report::Boundaries;
use thidua_app::stats::{self, StatsQuery, Tally};
use thidua_domain::eligibility::catalogue::in_force;
use thidua_domain::org::UnitId;
use thidua_domain::{VnDate, number};
use thidua_store::{RegistryHit, SubjectFilter};

/// The filters both pages share, as the query string carries them.
#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    hinh_thuc: String,
    #[serde(default)]
    tu_nam: String,
    #[serde(default)]
    den_nam: String,
    #[serde(default)]
    cap: String,
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    ranh_gioi: String,
    #[serde(default)]
    doi_tuong: String,
    /// A movement's code.
    #[serde(default)]
    phong_trao: String,
    /// A kind of office (`chu_tich_ubnd_tinh`, `thu_truong_co_quan`…).
    #[serde(default)]
    nguoi_qd: String,
    /// `xlsx`: the results as a spreadsheet.
    #[serde(default)]
    xuat: String,
}

impl Filters {
    fn year(v: &str, what: &str) -> Result<Option<i32>, String> {
        match v.trim() {
            "" => Ok(None),
            t => t
                .parse()
                .ok()
                .filter(|y| (1945..=2100).contains(y))
                .map(Some)
                .ok_or_else(|| format!("{what} «{t}» không phải là năm")),
        }
    }

    fn boundaries(&self) -> Boundaries {
        Boundaries::parse(&self.ranh_gioi).unwrap_or(Boundaries::Current)
    }

    async fn unit(&self, st: &AppState) -> Result<Option<(UnitId, Boundaries)>, String> {
        let code = self.don_vi.trim();
        if code.is_empty() {
            return Ok(None);
        }
        let b = self.boundaries();
        let day = match b {
            Boundaries::Current => today_vn(),
            Boundaries::Legacy => app::LEGACY_DAY,
        };
        match thidua_app::org_view::pick_unit(&st.store, code, day).await {
            Ok(u) => Ok(Some((u, b))),
            Err(thidua_app::AppError::Invalid { message, .. }) => Err(message),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The query of the same search, answered as a spreadsheet.
    pub fn export_query(&self) -> String {
        format!("{}&xuat=xlsx", self.query_string())
    }

    fn query_string(&self) -> String {
        serde_urlencoded::to_string([
            ("q", &self.q),
            ("hinh_thuc", &self.hinh_thuc),
            ("tu_nam", &self.tu_nam),
            ("den_nam", &self.den_nam),
            ("cap", &self.cap),
            ("don_vi", &self.don_vi),
            ("ranh_gioi", &self.ranh_gioi),
            ("doi_tuong", &self.doi_tuong),
            ("phong_trao", &self.phong_trao),
            ("nguoi_qd", &self.nguoi_qd),
        ])
        .unwrap_or_default()
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

async fn form_choices(st: &AppState, selected: &str) -> Result<Vec<Choice>, WebError> {
    let catalogue = st.store.catalogue_versions().await?;
    let mut out: Vec<Choice> = in_force(&catalogue, today_vn())
        .into_iter()
        .map(|e| Choice {
            value: e.code.as_str().to_owned(),
            label: e.name.clone(),
            selected: e.code.as_str() == selected,
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(out)
}

pub struct HitRow {
    pub name: String,
    pub link: String,
    pub born: String,
    pub form: String,
    pub decision: String,
    pub decision_link: String,
    pub date: String,
    pub issuer: String,
    pub unit: String,
    pub period: String,
    pub revoked: bool,
    /// Why the award needs another look: a revoked award it rested on, a
    /// later finding.
    pub flag: String,
}

/// The rows as shown, with the catalogue's names and the flags raised on
/// the awards among them.
async fn shown_rows(st: &AppState, hits: &[RegistryHit]) -> Result<Vec<HitRow>, WebError> {
    let names = namer(st).await?;
    let awards: Vec<i64> = hits
        .iter()
        .filter(|h| h.source == "award")
        .map(|h| h.id)
        .collect();
    let mut flags: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for f in st.store.flags_of_awards(&awards).await? {
        let e = flags.entry(f.award_id).or_default();
        if !e.is_empty() {
            e.push_str(" · ");
        }
        e.push_str(&f.message);
    }
    Ok(hit_rows(hits, &names, &flags))
}

fn hit_rows(
    hits: &[RegistryHit],
    names: &dyn Fn(&str) -> String,
    flags: &std::collections::HashMap<i64, String>,
) -> Vec<HitRow> {
    hits.iter()
        .map(|h| HitRow {
            flag: if h.source == "award" {
                flags.get(&h.id).cloned().unwrap_or_default()
            } else {
                String::new()
            },
            name: h.subject_name.clone(),
            link: match (h.person_id, h.unit_id) {
                (Some(p), _) => format!("/so-khen-thuong/ca-nhan/{p}"),
                (None, Some(u)) => format!("/so-khen-thuong/tap-the/{u}"),
                _ => String::new(),
            },
            born: h
                .birth_date
                .map_or_else(String::new, |d| VnDate(d).to_string()),
            form: names(&h.code),
            decision: h.decision_number.clone().unwrap_or_default(),
            decision_link: h
                .decision_id
                .map_or_else(String::new, |d| format!("/quyet-dinh/{d}")),
            date: h
                .decision_date
                .map_or_else(String::new, |d| VnDate(d).to_string()),
            issuer: h.issuer.clone().unwrap_or_default(),
            unit: h.subject_unit.clone().unwrap_or_default(),
            period: match (h.period_from, h.period_to) {
                (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                (_, Some(b)) => b.to_string(),
                _ => String::new(),
            },
            revoked: h.status != "active",
        })
        .collect()
}

async fn namer(st: &AppState) -> Result<impl Fn(&str) -> String, WebError> {
    let catalogue = st.store.catalogue_versions().await?;
    let today = today_vn();
    Ok(move |code: &str| thidua_app::decisions::form_name(&catalogue, code, today))
}

#[derive(Template, WebTemplate)]
#[template(path = "registry.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub f: Filters,
    pub forms: Vec<Choice>,
    pub legacy: bool,
    pub searched: bool,
    pub error: String,
    pub corrections: Vec<String>,
    pub rows: Vec<HitRow>,
    /// Whether the reader may import historical records.
    pub can_import: bool,
}

pub async fn search(
    State(st): State<AppState>,
    s: Session,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    // Read-only: a replica may answer (serve --db-replica).
    let st = st.reading().await;
    let forms = form_choices(&st, &f.hinh_thuc).await?;
    let searched = !(f.q.trim().is_empty()
        && f.hinh_thuc.is_empty()
        && f.tu_nam.is_empty()
        && f.don_vi.is_empty()
        && f.cap.is_empty());
    let mut page = SearchPage {
        chrome: Chrome::new("so", Some(&s)),
        legacy: f.boundaries() == Boundaries::Legacy,
        f: f.clone(),
        forms,
        searched,
        error: String::new(),
        corrections: Vec::new(),
        rows: Vec::new(),
        can_import: thidua_app::registry_import::may_import(&st.store, &s.user, today_vn()).await?,
    };
    if searched {
        let parsed = (|| {
            Ok::<_, String>((
                Filters::year(&f.tu_nam, "Từ năm")?,
                Filters::year(&f.den_nam, "Đến năm")?,
            ))
        })();
        let unit = f.unit(&st).await;
        match (parsed, unit) {
            (Err(e), _) | (_, Err(e)) => page.error = e,
            (Ok((from, to)), Ok(unit)) => {
                let q = Search {
                    text: f.q.clone(),
                    codes: if f.hinh_thuc.is_empty() {
                        Vec::new()
                    } else {
                        vec![f.hinh_thuc.clone()]
                    },
                    year_from: from,
                    year_to: to,
                    issuer: Some(f.cap.clone()),
                    unit,
                    movement: None,
                    subjects: match f.doi_tuong.as_str() {
                        "ca-nhan" => SubjectFilter::People,
                        "tap-the" => SubjectFilter::Collectives,
                        _ => SubjectFilter::Any,
                    },
                    include_revoked: false,
                    limit: 500,
                };
                match app::search(&st.store, st.config.snapshot.get(), &s.user, today_vn(), &q)
                    .await
                {
                    Ok(found) => {
                        page.rows = shown_rows(&st, &found.hits).await?;
                        page.corrections = found
                            .corrections
                            .into_iter()
                            .map(|(t, read)| {
                                format!("«{t}» được tìm cả là «{}»", read.join("», «"))
                            })
                            .collect();
                    }
                    Err(thidua_app::AppError::Invalid { message, .. }) => page.error = message,
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    if f.xuat == "xlsx" && searched && page.error.is_empty() {
        return export(page.rows);
    }
    Ok(page.into_response())
}

/// The registry's results as shown, in one sheet.
fn export(rows: Vec<HitRow>) -> Result<Response, WebError> {
    crate::list_export::xlsx(
        "So khen thuong",
        &[
            "Tập thể, cá nhân",
            "Ngày sinh",
            "Hình thức, danh hiệu",
            "Thành tích năm",
            "Quyết định",
            "Ngày",
            "Cấp quyết định",
            "Đơn vị lúc khen",
            "Ghi chú",
        ],
        rows.into_iter()
            .map(|r| {
                let note = match (r.revoked, r.flag.is_empty()) {
                    (true, _) => "đã hủy bỏ".to_owned(),
                    (false, false) => format!("cần xét lại: {}", r.flag),
                    _ => String::new(),
                };
                vec![
                    r.name, r.born, r.form, r.period, r.decision, r.date, r.issuer, r.unit, note,
                ]
            })
            .collect(),
    )
}

pub struct StintView {
    pub unit: String,
    pub within: String,
    pub position: String,
    pub from: String,
    pub until: String,
    pub became: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry_person.html")]
pub struct PersonPage {
    pub chrome: Chrome,
    pub name: String,
    pub facts: Vec<(&'static str, String)>,
    pub stints: Vec<StintView>,
    pub rows: Vec<HitRow>,
}

pub async fn person(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let h = app::person_history(&st.store, &s.user, today_vn(), id).await?;
    let p = &h.person;
    let mut facts = Vec::new();
    if let Some(b) = p.birth_date {
        facts.push(("Ngày sinh", VnDate(b).to_string()));
    }
    if let Some(g) = p.gender {
        facts.push(("Giới tính", g.label().to_owned()));
    }
    if let Some(e) = &p.ethnicity {
        facts.push(("Dân tộc", e.clone()));
    }
    if let Some(pos) = &p.position {
        facts.push(("Chức vụ", pos.clone()));
    }
    let date = |d: Option<time::Date>| d.map_or_else(String::new, |d| VnDate(d).to_string());
    Ok(PersonPage {
        chrome: Chrome::new("so", Some(&s)),
        name: p.full_name.clone(),
        facts,
        stints: h
            .stints
            .iter()
            .map(|x| StintView {
                unit: x.unit.clone(),
                within: x.within.clone(),
                position: x.position.clone().unwrap_or_default(),
                from: date(x.from),
                until: date(x.until),
                became: x.became.join("; "),
            })
            .collect(),
        rows: shown_rows(&st, &h.rows).await?,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "registry_unit.html")]
pub struct UnitPage {
    pub chrome: Chrome,
    pub name: String,
    pub id: i64,
    pub rows: Vec<HitRow>,
}

pub async fn collective(
    State(st): State<AppState>,
    s: Session,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let scope = app::reader_scope(&st.store, &s.user, today_vn()).await?;
    if scope.as_ref().is_some_and(|sc| !sc.contains(&id)) {
        return Err(WebError::NotFound(
            "Không có tập thể này trong phạm vi của bạn.".into(),
        ));
    }
    let unit = st
        .store
        .unit(UnitId(id), today_vn())
        .await?
        .ok_or_else(|| WebError::NotFound("Không có tập thể này.".into()))?;
    let rows = app::collective_history(&st.store, UnitId(id)).await?;
    Ok(UnitPage {
        chrome: Chrome::new("so", Some(&s)),
        name: unit.name,
        id,
        rows: shown_rows(&st, &rows).await?,
    }
    .into_response())
}

// ---------------------------------------------------------------- stats

pub struct TallyRow {
    pub label: String,
    pub t: Tally,
}

#[derive(Template, WebTemplate)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub chrome: Chrome,
    pub f: Filters,
    pub forms: Vec<Choice>,
    pub legacy: bool,
    pub error: String,
    pub sentence: String,
    pub total: Tally,
    /// (heading, rows): by year, form, issuer and movement.
    pub parts: Vec<(&'static str, Vec<TallyRow>)>,
    pub chart_years: String,
    pub chart_forms: String,
    pub xlsx: String,
    /// (word, label, selected) of each kind of office.
    pub issuer_kinds: Vec<(&'static str, &'static str, bool)>,
}

async fn run_stats(
    st: &AppState,
    s: &Session,
    f: &Filters,
) -> Result<Result<stats::Stats, String>, WebError> {
    let years = (|| {
        Ok::<_, String>((
            Filters::year(&f.tu_nam, "Từ năm")?,
            Filters::year(&f.den_nam, "Đến năm")?,
        ))
    })();
    let (from, to) = match years {
        Ok(y) => y,
        Err(e) => return Ok(Err(e)),
    };
    let unit = match f.unit(st).await {
        Ok(u) => u,
        Err(e) => return Ok(Err(e)),
    };
    let q = StatsQuery {
        codes: if f.hinh_thuc.is_empty() {
            Vec::new()
        } else {
            vec![f.hinh_thuc.clone()]
        },
        issuer: Some(f.cap.clone()).filter(|c| !c.trim().is_empty()),
        year_from: from,
        year_to: to,
        unit,
        movement: match f.phong_trao.trim() {
            "" => None,
            code => {
                let found = match thidua_domain::movement::MovementCode::parse(code) {
                    Ok(c) => st.store.movement_by_code(&c).await?,
                    Err(_) => None,
                };
                match found {
                    Some(m) => Some(m.id),
                    None => return Ok(Err(format!("Không có phong trào mã «{code}»"))),
                }
            }
        },
        issuer_kind: match f.nguoi_qd.trim() {
            "" => None,
            k => match thidua_domain::eligibility::catalogue::Authority::parse(k) {
                Ok(a) => Some(a),
                Err(_) => return Ok(Err(format!("Không có người quyết định «{k}»"))),
            },
        },
    };
    match stats::award_stats(&st.store, &s.user, today_vn(), &q).await {
        Ok(x) => Ok(Ok(x)),
        Err(thidua_app::AppError::Invalid { message, .. }) => Ok(Err(message)),
        Err(e) => Err(e.into()),
    }
}

pub async fn statistics(
    State(st): State<AppState>,
    s: Session,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    // Read-only: a replica may answer (serve --db-replica).
    let st = st.reading().await;
    let forms = form_choices(&st, &f.hinh_thuc).await?;
    let rows = |v: &[(String, Tally)]| -> Vec<TallyRow> {
        v.iter()
            .map(|(l, t)| TallyRow {
                label: l.clone(),
                t: *t,
            })
            .collect()
    };
    let bar = |l: String, t: &Tally| (l, t.total() as f64, number::format_vi(t.total() as f64, 0));
    let mut page = StatsPage {
        chrome: Chrome::new("thong-ke", Some(&s)),
        legacy: f.boundaries() == Boundaries::Legacy,
        xlsx: format!("/thong-ke.xlsx?{}", f.query_string()),
        f: f.clone(),
        forms,
        error: String::new(),
        sentence: String::new(),
        total: Tally::default(),
        parts: Vec::new(),
        chart_years: String::new(),
        chart_forms: String::new(),
        issuer_kinds: thidua_domain::eligibility::catalogue::Authority::ALL
            .iter()
            .map(|a| (a.as_str(), a.label(), a.as_str() == f.nguoi_qd))
            .collect(),
    };
    match run_stats(&st, &s, &f).await? {
        Err(e) => page.error = e,
        Ok(x) => {
            page.chart_years = charts::bars(
                "Số lượt khen thưởng theo năm",
                &x.by_year
                    .iter()
                    .map(|(y, t)| bar(y.to_string(), t))
                    .collect::<Vec<_>>(),
                None,
            );
            page.chart_forms = charts::bars(
                "Số lượt khen thưởng theo hình thức",
                &x.by_form
                    .iter()
                    .take(12)
                    .map(|(l, t)| bar(l.clone(), t))
                    .collect::<Vec<_>>(),
                None,
            );
            page.sentence = x.sentence.clone();
            page.total = x.total;
            let mut by_year: Vec<TallyRow> = x
                .by_year
                .iter()
                .map(|(y, t)| TallyRow {
                    label: y.to_string(),
                    t: *t,
                })
                .collect();
            by_year.push(TallyRow {
                label: "Cộng".into(),
                t: x.total,
            });
            page.parts = vec![
                ("Theo năm", by_year),
                ("Theo hình thức", rows(&x.by_form)),
                ("Theo cấp quyết định", rows(&x.by_issuer)),
                ("Theo người có thẩm quyền", rows(&x.by_issuer_kind)),
                ("Theo phong trào", rows(&x.by_movement)),
            ];
        }
    }
    Ok(page.into_response())
}

pub async fn statistics_xlsx(
    State(st): State<AppState>,
    s: Session,
    Query(f): Query<Filters>,
) -> Result<Response, WebError> {
    match run_stats(&st, &s, &f).await? {
        Err(e) => Err(WebError::BadRequest(e)),
        Ok(x) => {
            let bytes = stats::stats_xlsx(&x)?;
            Ok(crate::movements::attachment(
                "Thống kê khen thưởng.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            ))
        }
    }
}
