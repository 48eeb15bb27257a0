//! Examples in the demo: farmers of Bắc Kạn whom its New Rural movement
//! held up (land given for public works, workdays contributed), honoured at
//! the province's ceremony of 30/10/2019, and a commune's way of working
//! in Bắc Trà My; the province publishes some of them.

use crate::AppResult;
use crate::demo_kit::demo_err;
use crate::exemplary::{self, EventInput, ExampleInput};
use crate::movements::Enterer;
use thidua_domain::date::Period;
use thidua_domain::person::{Gender, PersonName};
use thidua_store::{NewPerson, Store, Who};
use time::macros::date;

/// Records the examples; returns how many.
pub async fn seed(store: &Store, who: &Who) -> AppResult<usize> {
    let today = date!(2020 - 01 - 15);
    let event = exemplary::record_event(
        store,
        who,
        Enterer::System,
        &EventInput {
            kind: "ceremony".into(),
            name: "Lễ tuyên dương điển hình tiên tiến trong phong trào thi đua «Cả nước chung sức xây dựng nông thôn mới» giai đoạn 2011 – 2020 của tỉnh Bắc Kạn".into(),
            held_on: "30/10/2019".into(),
            organiser: "06".into(),
            movement: "NTM-BK-2011".into(),
        },
        today,
    )
    .await?;
    // (name, commune code on the legacy list)
    let farmers = [
        ("Bàn Văn Trị", "01861"),
        ("Hoàng Văn Mù", "01861"),
        ("Ma Văn Tình", "01858"),
        ("Hà Văn Bảu", "02185"),
        ("Hoàng Văn Tiến", "02191"),
        ("Nông Ngọc Tùng", "01951"),
        ("Phạm Văn Sơn", "01933"),
        ("Thào A Súa", "02023"),
    ];
    let mut n = 0;
    for (i, (name, commune)) in farmers.into_iter().enumerate() {
        let unit = store
            .resolve_code(commune, None, date!(2019 - 06 - 30))
            .await?
            .ok_or_else(|| demo_err(commune))?;
        let person = store
            .insert_person(
                who,
                &NewPerson {
                    name: PersonName::parse(name).map_err(demo_err)?,
                    gender: Some(Gender::Male),
                    birth_date: None,
                    ethnicity: None,
                    id_number: None,
                    position: Some("Nông dân".into()),
                    category: Some(thidua_domain::staff::PersonCategory::Farmer),
                },
            )
            .await?;
        store
            .add_membership(
                who,
                person,
                unit.id,
                None,
                Period {
                    from: Some(date!(2011 - 01 - 01)),
                    until: None,
                },
            )
            .await?;
        let id = exemplary::record(
            store,
            who,
            Enterer::System,
            &ExampleInput {
                kind: "advanced".into(),
                person: person.to_string(),
                movement: "NTM-BK-2011".into(),
                year: "2019".into(),
                deeds: format!(
                    "Hiến đất làm công trình công cộng, đóng góp ngày công xây dựng hạ tầng nông thôn ở {}",
                    unit.name
                ),
                event: event.to_string(),
                ..ExampleInput::default()
            },
            today,
        )
        .await?;
        if i < 3 {
            exemplary::publish(store, who, Enterer::System, id, true, today).await?;
        }
        n += 1;
    }
    exemplary::record(
        store,
        who,
        Enterer::System,
        &ExampleInput {
            kind: "model".into(),
            unit: "20908".into(),
            year: "2020".into(),
            deeds: "Vận động hội viên phụ nữ đào hố xử lý rác thải sinh hoạt tại hộ gia đình"
                .into(),
            ..ExampleInput::default()
        },
        date!(2020 - 12 - 31),
    )
    .await?;
    Ok(n + 1)
}
