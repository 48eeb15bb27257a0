//! A movement's figures over a period (sơ kết, tổng kết giai đoạn): each
//! year's roll-ups from the values of that year's periods only, placed on
//! one map (the period's last day), and the period's total — summed for
//! what is counted anew each year (lượt, đồng, ngày công, m²), the last
//! year's value for states (tỷ lệ, tiêu chí, số hộ). With the awards the
//! movement gave in those years.

use super::{
    Boundaries, Map, Succession, UnitRef, check_indicators, members, points, snapshot, table,
    unit_ref,
};
use crate::stats::{StatsQuery, award_stats_in};
use crate::{AppError, AppResult};
use serde::Serialize;
use thidua_domain::indicator::{IndicatorDef, Measure};
use thidua_domain::number::format_vi_short;
use thidua_domain::org::UnitId;
use thidua_domain::rollup::figures;
use thidua_store::{IndicatorRow, MovementRow, Store};
use time::{Date, Month};

/// One roll-up over the years of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodFigure {
    pub indicator: String,
    pub label: String,
    /// (year, value as people read it; empty when nothing was reported).
    pub years: Vec<(i32, String)>,
    pub total: Option<f64>,
    pub total_display: String,
    /// Whether the total adds the years up (else it is the last year's).
    pub summed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodReport {
    pub movement: String,
    pub movement_name: String,
    pub unit: Option<UnitRef>,
    pub from: i32,
    pub to: i32,
    pub figures: Vec<PeriodFigure>,
    /// «Giai đoạn 2018 – 2022, phong trào «…»: …».
    pub sentence: String,
    /// The awards the movement gave in those years.
    pub awards: String,
}

/// One figure's years so far: their sum, and the last year that reported
/// with its value as people read it.
#[derive(Default)]
struct Running {
    sum: f64,
    last: Option<(i32, f64, String)>,
}

/// What is counted anew each year, so that a period adds its years up.
fn additive(m: Measure) -> bool {
    matches!(
        m,
        Measure::Count | Measure::Vnd | Measure::Workdays | Measure::SquareMetre
    )
}

fn year_end(y: i32, today: Date) -> AppResult<Date> {
    let d = Date::from_calendar_date(y, Month::December, 31)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(d.min(today))
}

/// The period report of `movement` for `root` (the whole country when
/// `None`), years `from` to `to`.
pub async fn movement_period_report(
    store: &Store,
    movement: &MovementRow,
    root: Option<UnitId>,
    from: i32,
    to: i32,
    today: Date,
) -> AppResult<PeriodReport> {
    let first = movement.start.year();
    let last = movement
        .end
        .map_or(today.year(), |e| e.year())
        .min(today.year());
    if from > to || from < first || to > last {
        return Err(AppError::Invalid {
            field: "period",
            message: format!(
                "Giai đoạn {from} – {to} phải nằm trong thời gian phong trào ({first} – {last})"
            ),
        });
    }
    let rows: Vec<IndicatorRow> = store.indicators(movement.id).await?;
    let defs: Vec<IndicatorDef> = rows.iter().map(|r| r.def.clone()).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let order = check_indicators(&defs).map_err(|e| {
        AppError::Internal(
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let end = year_end(to, today)?;
    let t = Boundaries::natural(end).map_date(end, today);
    let map = Map::load(store, t).await?;
    let unit = match root {
        Some(r) => Some(unit_ref(map.units.get(&r.0).ok_or_else(|| {
            AppError::Invalid {
                field: "unit",
                message: "đơn vị này không có trên bản đồ cuối giai đoạn".into(),
            }
        })?)),
        None => None,
    };
    let succession = Succession::new(store.succession_edges().await?);
    let all = points(store.approved_values(movement.id).await?)?;
    let mut out: Vec<PeriodFigure> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut sums: Vec<Running> = Vec::new();
    for y in from..=to {
        let day = year_end(y, today)?;
        let data_map = Map::load(store, day).await?;
        let roots = root.map(|r| [r.0]);
        let (members_y, _) = members(
            &defs,
            &data_map,
            &map,
            &succession,
            day,
            t,
            roots.as_ref().map(|r| &r[..]),
            movement.authority.map(|a| a.0),
        );
        let of_year: Vec<super::Point> = all
            .iter()
            .filter(|p| p.end.year() == y)
            .map(|p| super::Point { ..*p })
            .collect();
        let leaf = table(&defs, &ids, &order, &members_y, &snapshot(&of_year, day));
        let everyone: Vec<usize> = (0..members_y.len()).collect();
        for f in figures(&defs, &members_y, &everyone, &leaf, &|_| None) {
            let key = (f.indicator.to_string(), f.rollup.clone());
            let i = match keys.iter().position(|k| *k == key) {
                Some(i) => i,
                None => {
                    let measure = defs
                        .iter()
                        .find(|d| d.code == f.indicator)
                        .map_or(Measure::Number, |d| d.measure);
                    keys.push(key);
                    out.push(PeriodFigure {
                        indicator: f.indicator_name.clone(),
                        label: f.label.clone(),
                        years: Vec::new(),
                        total: None,
                        total_display: String::new(),
                        summed: additive(measure) && f.rollup == "sum",
                    });
                    sums.push(Running::default());
                    keys.len() - 1
                }
            };
            let shown = if f.reported > 0 {
                f.display.clone()
            } else {
                String::new()
            };
            out[i].years.push((y, shown));
            if f.reported > 0
                && let Some(v) = f.value
            {
                sums[i].sum += v;
                sums[i].last = Some((y, v, f.display.clone()));
            }
        }
    }
    let mut last_years = Vec::new();
    for (f, Running { sum, last }) in out.iter_mut().zip(&sums) {
        if f.summed {
            f.total = last.is_some().then_some(*sum);
            f.total_display = f.total.map_or_else(String::new, |v| format_vi_short(v, 2));
        } else if let Some((_, v, shown)) = last {
            f.total = Some(*v);
            f.total_display = shown.clone();
        }
        last_years.push(last.as_ref().map(|l| l.0));
    }
    let stats = award_stats_in(
        store,
        None,
        today,
        &StatsQuery {
            movement: Some(movement.id),
            year_from: Some(from),
            year_to: Some(to),
            ..StatsQuery::default()
        },
    )
    .await?;
    let sentence = sentence(movement, from, to, &out, &last_years);
    Ok(PeriodReport {
        movement: movement.code.to_string(),
        movement_name: movement.name.clone(),
        unit,
        from,
        to,
        figures: out,
        sentence,
        awards: stats.sentence,
    })
}

/// «Giai đoạn 2016 – 2018, phong trào «…»: Xã đạt chuẩn — số đơn vị: 15
/// (năm 2018); …».
fn sentence(
    movement: &MovementRow,
    from: i32,
    to: i32,
    out: &[PeriodFigure],
    last_years: &[Option<i32>],
) -> String {
    let parts: Vec<String> = out
        .iter()
        .zip(last_years)
        .filter(|(f, _)| !f.total_display.is_empty())
        .map(|(f, last)| {
            let when = match (f.summed, last) {
                (true, _) => format!("cộng {from} – {to}"),
                (false, Some(y)) => format!("năm {y}"),
                (false, None) => String::new(),
            };
            format!(
                "{} — {}: {} ({when})",
                f.indicator,
                f.label.to_lowercase(),
                f.total_display
            )
        })
        .collect();
    format!(
        "Giai đoạn {from} – {to}, phong trào «{}»: {}.",
        movement.name,
        if parts.is_empty() {
            "chưa có số liệu được duyệt".to_owned()
        } else {
            parts.join("; ")
        }
    )
}
