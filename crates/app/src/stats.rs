//! Thống kê khen thưởng — counts of the registry by form, period, unit,
//! subject kind, sex, ethnic minority, grassroots group and movement; the
//! sentence sơ kết/tổng kết reports open with; the tables as XLSX, with the
//! sector's periodic report (Biểu 0602.N/BNV-TĐKT, as far as its columns
//! are known) built from the same counts.

use crate::decisions::form_name;
use crate::registry::units_under;
use crate::report::Boundaries;
use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::BTreeMap;
use thidua_domain::eligibility::catalogue::Authority;
use thidua_domain::org::UnitId;
use thidua_domain::text;
use thidua_sheets::{Cell, Sheet};
use thidua_store::{CountRow, RegistryQuery, Store, UserRow};
use time::Date;

/// What to count.
#[derive(Debug, Clone, Default)]
pub struct StatsQuery {
    pub codes: Vec<String>,
    pub issuer: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub unit: Option<(UnitId, Boundaries)>,
    pub movement: Option<i64>,
    /// Only the decisions of one kind of office (`chu_tich_ubnd_tinh`,
    /// `thu_truong_co_quan`, `thu_tuong`…).
    pub issuer_kind: Option<Authority>,
}

/// Collectives and individuals (and, of the individuals, women, ethnic
/// minorities and the grassroots groups).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    pub collectives: i64,
    pub individuals: i64,
    pub women: i64,
    pub minorities: i64,
    pub workers: i64,
    pub farmers: i64,
    pub direct_labourers: i64,
}

impl Tally {
    fn add(&mut self, r: &CountRow) {
        if r.collective {
            self.collectives += r.count;
            return;
        }
        self.individuals += r.count;
        if r.gender.as_deref() == Some("female") {
            self.women += r.count;
        }
        if is_minority(r.ethnicity.as_deref()) {
            self.minorities += r.count;
        }
        match r.grassroots.as_deref() {
            Some("worker") => self.workers += r.count,
            Some("farmer") => self.farmers += r.count,
            Some("direct_labourer") => self.direct_labourers += r.count,
            _ => {}
        }
    }

    pub fn total(&self) -> i64 {
        self.collectives + self.individuals
    }

    pub fn grassroots(&self) -> i64 {
        self.workers + self.farmers + self.direct_labourers
    }
}

/// Dân tộc thiểu số: any recorded ethnicity other than Kinh.
fn is_minority(ethnicity: Option<&str>) -> bool {
    ethnicity.is_some_and(|e| {
        let f = text::fold(e);
        !f.is_empty() && f != "kinh"
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub total: Tally,
    /// By year of decision.
    pub by_year: Vec<(i32, Tally)>,
    /// By form or title (its catalogue name).
    pub by_form: Vec<(String, Tally)>,
    /// By the issuer of the decision.
    pub by_issuer: Vec<(String, Tally)>,
    /// By movement (title), when the award names one.
    pub by_movement: Vec<(String, Tally)>,
    /// By the kind of office that decided (Chủ tịch UBND tỉnh, Giám đốc sở,
    /// Chủ tịch UBND xã, Thủ tướng…).
    pub by_issuer_kind: Vec<(String, Tally)>,
    /// The opening sentence of a report.
    pub sentence: String,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
}

fn sorted(m: BTreeMap<String, Tally>) -> Vec<(String, Tally)> {
    let mut v: Vec<(String, Tally)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(&b.0)));
    v
}

/// The short name a sentence uses: "Bằng khen" of "Bằng khen của Chủ tịch …".
fn short_form(name: &str) -> String {
    name.split(" của ").next().unwrap_or(name).trim().to_owned()
}

/// Counts the registry as the query asks, within what the user may read.
pub async fn award_stats(
    store: &Store,
    user: &UserRow,
    today: Date,
    q: &StatsQuery,
) -> AppResult<Stats> {
    let scope = crate::registry::reader_scope(store, user, today).await?;
    award_stats_in(store, scope, today, q).await
}

/// As [`award_stats`] within `scope` (every unit when `None`).
pub async fn award_stats_in(
    store: &Store,
    scope: Option<Vec<i64>>,
    today: Date,
    q: &StatsQuery,
) -> AppResult<Stats> {
    if let (Some(a), Some(b)) = (q.year_from, q.year_to)
        && a > b
    {
        return Err(AppError::Invalid {
            field: "year",
            message: "Năm bắt đầu phải trước năm kết thúc".into(),
        });
    }
    let mut units = scope;
    if let Some((root, b)) = q.unit {
        let wanted = units_under(store, root, b).await?;
        units = Some(match units {
            Some(scope) => wanted.into_iter().filter(|u| scope.contains(u)).collect(),
            None => wanted,
        });
    }
    let rows = store
        .registry_counts(&RegistryQuery {
            codes: q.codes.clone(),
            issuers: crate::registry::issuers_matching(store, q.issuer.as_deref()).await?,
            year_from: q.year_from,
            year_to: q.year_to,
            units,
            movement: q.movement,
            ..RegistryQuery::default()
        })
        .await?;
    let catalogue = store.catalogue_versions().await?;
    let movements: BTreeMap<i64, String> = store
        .movements()
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut total = Tally::default();
    let mut by_year: BTreeMap<i32, Tally> = BTreeMap::new();
    let mut by_form: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_issuer: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_movement: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_issuer_kind: BTreeMap<String, Tally> = BTreeMap::new();
    for r in &rows {
        // Annual titles carry no issuer: the unit's head gave them.
        let kind = match r.issuer.as_deref() {
            Some(i) => crate::decisions::issuer_kind_of(None, i, None),
            None => Authority::ThuTruongCoQuan,
        };
        if q.issuer_kind.is_some_and(|k| k != kind) {
            continue;
        }
        by_issuer_kind
            .entry(kind.label().to_owned())
            .or_default()
            .add(r);
        total.add(r);
        by_year.entry(r.year).or_default().add(r);
        by_form
            .entry(form_name(&catalogue, &r.code, today))
            .or_default()
            .add(r);
        by_issuer
            .entry(
                r.issuer
                    .clone()
                    .unwrap_or_else(|| "Danh hiệu hằng năm".to_owned()),
            )
            .or_default()
            .add(r);
        if let Some(m) = r.movement_id {
            by_movement
                .entry(
                    movements
                        .get(&m)
                        .cloned()
                        .unwrap_or_else(|| format!("#{m}")),
                )
                .or_default()
                .add(r);
        }
    }
    let from = q.year_from.or_else(|| by_year.keys().next().copied());
    let to = q.year_to.or_else(|| by_year.keys().last().copied());
    let form = match q.codes.as_slice() {
        [one] => short_form(&form_name(&catalogue, one, today)),
        _ => "khen thưởng".to_owned(),
    };
    let movement = q.movement.and_then(|m| movements.get(&m).cloned());
    let sentence = sentence(
        from,
        to,
        &total,
        q.issuer.as_deref(),
        &form,
        movement.as_deref(),
    );
    Ok(Stats {
        total,
        by_year: by_year.into_iter().collect(),
        by_form: sorted(by_form),
        by_issuer: sorted(by_issuer),
        by_movement: sorted(by_movement),
        by_issuer_kind: sorted(by_issuer_kind),
        sentence,
        year_from: from,
        year_to: to,
    })
}

/// "Trong giai đoạn 2014 – 2018 đã có 47 tập thể và 103 cá nhân được Chủ
/// tịch UBND tỉnh tặng Bằng khen."; with a movement, "Trong giai đoạn 2019
/// – 2023, trong phong trào thi đua «…» đã có …".
pub fn sentence(
    from: Option<i32>,
    to: Option<i32>,
    t: &Tally,
    issuer: Option<&str>,
    form: &str,
    movement: Option<&str>,
) -> String {
    let period = match (from, to) {
        (Some(a), Some(b)) if a == b => format!("Trong năm {a}"),
        (Some(a), Some(b)) => format!("Trong giai đoạn {a} – {b}"),
        _ => "Đến nay".to_owned(),
    };
    let period = match movement {
        Some(m) => format!("{period}, trong phong trào thi đua «{m}»"),
        None => period,
    };
    let who = thidua_domain::decision::subjects_phrase(
        usize::try_from(t.collectives).unwrap_or(0),
        usize::try_from(t.individuals).unwrap_or(0),
    );
    if who.is_empty() {
        return match form {
            "khen thưởng" => format!("{period} chưa có tập thể, cá nhân nào được khen thưởng."),
            f => format!("{period} chưa có tập thể, cá nhân nào được tặng {f}."),
        };
    }
    match issuer.map(str::trim).filter(|i| !i.is_empty()) {
        Some(i) => format!("{period} đã có {who} được {i} tặng {form}."),
        None if form == "khen thưởng" => format!("{period} đã có {who} được khen thưởng."),
        None => format!("{period} đã có {who} được tặng {form}."),
    }
}

/// The tables as a workbook: one sheet per breakdown, and the sector's
/// periodic report form.
pub fn stats_xlsx(s: &Stats) -> AppResult<Vec<u8>> {
    let header = |first: &str| -> Vec<String> {
        [
            first,
            "Tổng số",
            "Tập thể",
            "Cá nhân",
            "Nữ",
            "Dân tộc thiểu số",
            "Công nhân",
            "Nông dân",
            "Lao động trực tiếp",
        ]
        .iter()
        .map(|h| (*h).to_owned())
        .collect()
    };
    let row = |label: String, t: &Tally| -> Vec<Cell> {
        let mut r = vec![Cell::from(label)];
        for v in [
            t.total(),
            t.collectives,
            t.individuals,
            t.women,
            t.minorities,
            t.workers,
            t.farmers,
            t.direct_labourers,
        ] {
            r.push(Cell::from(v as f64));
        }
        r
    };
    let table = |name: &str, first: &str, rows: Vec<Vec<Cell>>| Sheet {
        name: name.to_owned(),
        header: header(first),
        rows,
    };
    let mut by_year: Vec<Vec<Cell>> = s
        .by_year
        .iter()
        .map(|(y, t)| row(y.to_string(), t))
        .collect();
    by_year.push(row("Cộng".to_owned(), &s.total));
    let sheets = vec![
        Sheet {
            name: "Tóm tắt".into(),
            header: vec!["Nội dung".into()],
            rows: vec![vec![Cell::from(s.sentence.clone())]],
        },
        table("Theo năm", "Năm", by_year),
        table(
            "Theo hình thức",
            "Hình thức, danh hiệu",
            s.by_form.iter().map(|(f, t)| row(f.clone(), t)).collect(),
        ),
        table(
            "Theo cấp quyết định",
            "Cấp quyết định",
            s.by_issuer.iter().map(|(f, t)| row(f.clone(), t)).collect(),
        ),
        table(
            "Theo người quyết định",
            "Người có thẩm quyền",
            s.by_issuer_kind
                .iter()
                .map(|(f, t)| row(f.clone(), t))
                .collect(),
        ),
        table(
            "Theo phong trào",
            "Phong trào",
            s.by_movement
                .iter()
                .map(|(f, t)| row(f.clone(), t))
                .collect(),
        ),
        table(
            "Biểu 0602.N-BNV-TĐKT",
            "Hình thức khen thưởng (Biểu 0602.N/BNV-TĐKT)",
            s.by_form
                .iter()
                .map(|(f, t)| row(f.clone(), t))
                .chain(std::iter::once(row("Tổng số".to_owned(), &s.total)))
                .collect(),
        ),
    ];
    thidua_sheets::write(&sheets).map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_sentence_comes_out_of_the_counts() {
        let t = Tally {
            collectives: 47,
            individuals: 103,
            ..Tally::default()
        };
        assert_eq!(
            sentence(
                Some(2014),
                Some(2018),
                &t,
                Some("Chủ tịch UBND tỉnh"),
                "Bằng khen",
                None
            ),
            "Trong giai đoạn 2014 – 2018 đã có 47 tập thể và 103 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen."
        );
        let movement = Tally {
            collectives: 39,
            individuals: 47,
            ..Tally::default()
        };
        assert_eq!(
            sentence(
                Some(2019),
                Some(2023),
                &movement,
                None,
                "Bằng khen",
                Some("Đồng khởi, đồng hành phát triển")
            ),
            "Trong giai đoạn 2019 – 2023, trong phong trào thi đua «Đồng khởi, đồng hành phát triển» đã có 39 tập thể và 47 cá nhân được tặng Bằng khen."
        );
        assert_eq!(
            sentence(
                Some(2020),
                Some(2020),
                &Tally::default(),
                None,
                "Bằng khen",
                None
            ),
            "Trong năm 2020 chưa có tập thể, cá nhân nào được tặng Bằng khen."
        );
        assert_eq!(
            short_form("Bằng khen của Chủ tịch UBND tỉnh, Bộ trưởng"),
            "Bằng khen"
        );
        assert!(is_minority(Some("Ê Đê")));
        assert!(!is_minority(Some("Kinh")));
        assert!(!is_minority(None));
    }
}
