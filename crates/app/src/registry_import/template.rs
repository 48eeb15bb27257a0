//! The import's workbook template, with the issuers already known.

use crate::{AppError, AppResult};
use std::collections::{BTreeMap, HashSet};
use thidua_domain::eligibility::catalogue::{Authority, CatalogueEntry};
use thidua_domain::text;
use thidua_sheets::{Cell, Sheet};
use thidua_store::Store;

/// The sheet the records are read from.
pub const SHEET: &str = "Khen thưởng";

/// The columns of the template, in order: (key, header).
pub(super) const COLUMNS: [(&str, &str); 13] = [
    ("stt", "STT"),
    ("kind", "Đối tượng"),
    ("name", "Họ và tên / Tên tập thể"),
    ("birth", "Ngày sinh"),
    ("unit", "Mã đơn vị"),
    ("form", "Hình thức khen thưởng"),
    ("issuer", "Cấp quyết định"),
    ("number", "Số quyết định"),
    ("date", "Ngày quyết định"),
    ("from", "Từ năm"),
    ("to", "Đến năm"),
    ("achievement", "Thành tích"),
    ("movement", "Mã phong trào"),
];

pub(super) const REQUIRED: [&str; 7] = ["kind", "name", "form", "issuer", "number", "date", "unit"];

/// "issuer" in the form issuers are compared: folded, "UBND" spelled out,
/// "cấp" dropped ("Chủ tịch UBND cấp tỉnh" is "Chủ tịch UBND tỉnh").
pub(super) fn plain_issuer(s: &str) -> String {
    text::fold(s)
        .replace("ubnd", "uy ban nhan dan")
        .split(' ')
        .filter(|w| *w != "cap")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The issuers a record may name: those already in the registry, then the
/// catalogue's authorities.
pub(super) async fn known_issuers(store: &Store) -> AppResult<Vec<String>> {
    let mut known = store.issuers().await?;
    known.push(crate::decisions::ISSUER_PROVINCE.to_owned());
    for a in Authority::ALL {
        known.push(a.label().to_owned());
    }
    let mut seen = HashSet::new();
    known.retain(|k| seen.insert(plain_issuer(k)));
    Ok(known)
}

/// The newest version of every catalogue entry: historical records are
/// matched by code or name whatever their date.
pub(super) fn latest_entries(catalogue: &[CatalogueEntry]) -> Vec<&CatalogueEntry> {
    let mut best: BTreeMap<&str, &CatalogueEntry> = BTreeMap::new();
    for e in catalogue {
        best.entry(e.code.as_str())
            .and_modify(|b| {
                if e.effective_from > b.effective_from {
                    *b = e;
                }
            })
            .or_insert(e);
    }
    best.into_values().collect()
}

/// The template: the records sheet with its header, a guide, and the
/// forms and issuers a record may name.
pub async fn template(store: &Store) -> AppResult<Vec<u8>> {
    let catalogue = store.catalogue_versions().await?;
    let issuers = known_issuers(store).await?;
    let guide = [
        ("STT", "Số thứ tự (không bắt buộc)."),
        ("Đối tượng", "«Cá nhân» hoặc «Tập thể»."),
        (
            "Họ và tên / Tên tập thể",
            "Như trong danh sách nhân sự hoặc danh mục đơn vị của thidua.",
        ),
        (
            "Ngày sinh",
            "dd/mm/yyyy hoặc năm sinh; cần khi có người trùng họ tên.",
        ),
        (
            "Mã đơn vị",
            "Mã đơn vị tại ngày quyết định (mã cũ trước sáp nhập 2025 vẫn dùng được). Bắt buộc với tập thể; với cá nhân là đơn vị công tác.",
        ),
        (
            "Hình thức khen thưởng",
            "Mã hoặc tên trong trang «Hình thức».",
        ),
        ("Cấp quyết định", "Một dòng trong trang «Cấp quyết định»."),
        ("Số quyết định", "Ví dụ 589/QĐ-UBND."),
        ("Ngày quyết định", "dd/mm/yyyy, không sau ngày nhập."),
        (
            "Từ năm / Đến năm",
            "Thời gian lập thành tích; để trống là năm quyết định. Với danh hiệu thi đua, «Đến năm» là năm được công nhận.",
        ),
        ("Thành tích", "Không bắt buộc."),
        (
            "Mã phong trào",
            "Không bắt buộc; mã phong trào trong thidua.",
        ),
        (
            "Lưu ý",
            "Mỗi dòng một khen thưởng, không gộp ô. Tệp được kiểm tra toàn bộ trước khi ghi; có lỗi thì không dòng nào được ghi.",
        ),
    ];
    let sheets = [
        Sheet {
            name: SHEET.to_owned(),
            header: COLUMNS.iter().map(|(_, h)| (*h).to_owned()).collect(),
            rows: Vec::new(),
        },
        Sheet {
            name: "Hướng dẫn".to_owned(),
            header: vec!["Cột".into(), "Cách ghi".into()],
            rows: guide
                .iter()
                .map(|(c, h)| vec![Cell::from(*c), Cell::from(*h)])
                .collect(),
        },
        Sheet {
            name: "Hình thức".to_owned(),
            header: vec!["Mã".into(), "Tên".into(), "Loại".into()],
            rows: latest_entries(&catalogue)
                .into_iter()
                .map(|e| {
                    vec![
                        Cell::from(e.code.as_str()),
                        Cell::from(e.name.as_str()),
                        Cell::from(e.category.label()),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: "Cấp quyết định".to_owned(),
            header: vec!["Cấp quyết định".into()],
            rows: issuers.into_iter().map(|i| vec![Cell::from(i)]).collect(),
        },
    ];
    thidua_sheets::write(&sheets).map_err(|e| AppError::Internal(e.to_string()))
}
