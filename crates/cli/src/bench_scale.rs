//! `thidua bench generate`: a realistic registry at province or national
//! scale, written with each engine's bulk path into an empty database.

use anyhow::{Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};
use thidua_app::generate::{self, Generated, Scale};
use thidua_store::Store;

pub fn scale(s: &str, people: Option<u64>) -> Result<Scale> {
    let scale = Scale::parse(s)
        .ok_or_else(|| anyhow!("quy mô «{s}» không có: dùng province hoặc national"))?;
    Ok(match people {
        Some(n) if n > 0 => Scale::People(n),
        _ => scale,
    })
}

/// Generates with progress bars: the units, then people, then indexes.
pub async fn generate_with_progress(store: &Store, scale: Scale, seed: u64) -> Result<Generated> {
    let bar = ProgressBar::new(scale.people());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed}, còn {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("Nạp danh mục đơn vị");
    let g = generate::generate(store, scale, seed, &|stage, done, of| match stage {
        "people" => {
            bar.set_message("Tạo cá nhân và lịch sử khen thưởng");
            bar.set_length(of);
            bar.set_position(done);
        }
        "indexes" => bar.set_message("Dựng chỉ mục"),
        _ => {}
    })
    .await;
    bar.finish_and_clear();
    Ok(g?)
}

/// What a person reads after `bench generate`.
pub fn describe(g: &Generated) -> String {
    let rate = g.rows as f64 / g.load_seconds.max(1e-9);
    format!(
        "Đã tạo quy mô {} (seed {}): {} cá nhân ở {} đơn vị, {} năm xếp loại, {} danh hiệu, {} khen thưởng, {} sáng kiến, {} kỷ luật.\n\
         Nạp {} dòng trong {:.1} s ({:.0} dòng/s), dựng chỉ mục {:.1} s.",
        g.scale,
        g.seed,
        g.people,
        g.units,
        g.person_years,
        g.titles,
        g.awards,
        g.initiatives,
        g.disciplines,
        g.rows,
        g.load_seconds,
        rate,
        g.index_seconds
    )
}
