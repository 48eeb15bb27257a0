//! Tạo dữ liệu quy mô — a realistic, deterministic registry for the
//! national-scale benchmark (`thidua bench generate`): people over the
//! official 2025 communes and provincial agencies, careers that start in
//! different years and move between units, yearly ratings, the annual
//! titles the rules allow, initiatives, discipline, and the Bằng khen,
//! Chiến sĩ thi đua, Thủ tướng and Huân chương awards their histories
//! reach. Loaded with each engine's bulk path into an empty database.

mod names;
mod person;

use crate::{AppError, AppResult};
use thidua_domain::org::{UnitCode, UnitKind};
use thidua_store::{LoadTimes, NewUnit, Store, Who};
use time::macros::date;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One province, about 100 000 people.
    Province,
    /// The whole country, about 2,5 million people.
    National,
    /// A given number of people in one province (tests).
    People(u64),
}

impl Scale {
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "province" => Some(Scale::Province),
            "national" => Some(Scale::National),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scale::Province => "province",
            Scale::National => "national",
            Scale::People(_) => "people",
        }
    }

    pub fn people(self) -> u64 {
        match self {
            Scale::Province => 100_000,
            Scale::National => 2_500_000,
            Scale::People(n) => n,
        }
    }
}

use person::Place;
pub use person::{FIRST_YEAR, LAST_YEAR};

/// Provincial agencies created in each province (sở, ban, ngành).
const AGENCIES: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Tư pháp",
    "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
];

/// The province the `province` scale fills.
const PROVINCE: &str = "Lâm Đồng";

/// What was generated.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Generated {
    pub scale: String,
    pub seed: u64,
    pub people: u64,
    pub person_years: u64,
    pub titles: u64,
    pub awards: u64,
    pub initiatives: u64,
    pub disciplines: u64,
    pub memberships: u64,
    pub units: u64,
    pub rows: u64,
    pub load_seconds: f64,
    pub index_seconds: f64,
}

/// The tables a load writes, in the order their keys need.
pub const TABLES: [&str; 10] = [
    "people",
    "person_memberships",
    "person_ratings",
    "titles",
    "awards",
    "initiatives",
    "disciplines",
    "person_words",
    "name_words",
    "award_issuers",
];

/// Refuses a database that holds anything: the generator gives ids from 1
/// and its data must not mix with a province's.
pub async fn ensure_empty(store: &Store) -> AppResult<()> {
    let rows = store.table_rows().await?;
    if let Some(t) = rows.iter().find(|t| t.rows > 0) {
        return Err(crate::invalid(
            "db",
            format!(
                "cơ sở dữ liệu đã có dữ liệu (bảng {} có {} dòng): «bench generate» chỉ ghi vào cơ sở dữ liệu trống; không có gì được thay đổi",
                t.name, t.rows
            ),
        ));
    }
    Ok(())
}

/// Imports the official units and creates the agencies; returns the
/// places people work in.
async fn places(
    store: &Store,
    who: &Who,
    scale: Scale,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> AppResult<Vec<Place>> {
    let files = crate::admin_units::embedded_files();
    crate::admin_units::import(store, who, &files, &|n| progress("units", n, 0)).await?;
    crate::eligibility::ensure_catalogue(store, who).await?;
    let on = date!(2025 - 07 - 01);
    let provinces = store.units_as_of(on, Some(UnitKind::Province)).await?;
    let chosen: Vec<_> = match scale {
        Scale::National => provinces,
        _ => provinces
            .into_iter()
            .filter(|p| p.name.contains(PROVINCE))
            .take(1)
            .collect(),
    };
    if chosen.is_empty() {
        return Err(AppError::Internal(format!(
            "danh mục đơn vị hành chính không có tỉnh {PROVINCE}"
        )));
    }
    let mut out = Vec::new();
    for (n, p) in chosen.iter().enumerate() {
        for child in store.children_as_of(p.id, on).await? {
            out.push(Place {
                unit: child.id.0,
                agency: false,
            });
        }
        for (i, name) in AGENCIES.iter().enumerate() {
            let code = UnitCode::parse(&format!("{}S{:02}", p.code, i + 1))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let id = store
                .create_unit(
                    who,
                    &NewUnit {
                        code,
                        kind: UnitKind::StateAgency,
                        admin_type: None,
                        name: format!("{name} {}", p.name.trim_start_matches("Tỉnh ")),
                        short_name: None,
                        parent: Some(p.id),
                        valid_from: Some(on),
                    },
                )
                .await?;
            out.push(Place {
                unit: id.0,
                agency: true,
            });
        }
        progress("units", n as u64 + 1, chosen.len() as u64);
    }
    Ok(out)
}

/// Generates `scale` with `seed` into the empty database `store` names.
/// `progress` hears a stage and how far it is (done, of).
pub async fn generate(
    store: &Store,
    scale: Scale,
    seed: u64,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> AppResult<Generated> {
    ensure_empty(store).await?;
    let who = Who::system("bench generate");
    let places = places(store, &who, scale, progress).await?;
    let total = scale.people();
    let mut g = Generated {
        scale: scale.name().into(),
        seed,
        people: total,
        units: places.len() as u64,
        ..Generated::default()
    };
    let mut load = store.bulk_begin(&TABLES).await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<person::Chunk>(2);
    // Drawing people is CPU work: it runs on its own thread while the
    // database takes the previous chunk.
    let producer = {
        let places = places.clone();
        tokio::task::spawn_blocking(move || {
            let mut words = person::Words::default();
            let mut first = 1u64;
            while first <= total {
                let last = (first + person::CHUNK - 1).min(total);
                let chunk = person::chunk(seed, first, last, &places, &mut words);
                if tx.blocking_send(chunk).is_err() {
                    break;
                }
                first = last + 1;
            }
        })
    };
    let mut done = 0u64;
    while let Some(chunk) = rx.recv().await {
        for t in &chunk.tables {
            load.write(t).await?;
        }
        g.person_years += chunk.count("person_ratings");
        g.titles += chunk.count("titles");
        g.awards += chunk.count("awards");
        g.initiatives += chunk.count("initiatives");
        g.disciplines += chunk.count("disciplines");
        g.memberships += chunk.count("person_memberships");
        done += chunk.people;
        progress("people", done, total);
    }
    producer
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    progress("indexes", 0, 0);
    let times: LoadTimes = load
        .finish(&[
            "people",
            "person_memberships",
            "titles",
            "awards",
            "initiatives",
            "disciplines",
        ])
        .await?;
    store.analyze().await?;
    g.rows = times.rows;
    g.load_seconds = times.load.as_secs_f64();
    g.index_seconds = times.indexes.as_secs_f64();
    Ok(g)
}

impl person::Chunk {
    fn count(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .filter(|t| t.name == table)
            .map(|t| t.rows() as u64)
            .sum()
    }
}
