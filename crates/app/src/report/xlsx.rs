//! The report's tables as one workbook, for people who continue in Excel.

use super::MovementReport;
use crate::{AppError, AppResult};
use thidua_domain::rollup::Figure;

/// The report's tables as one workbook: figures, by unit, over time,
/// commitments (and twinning when there is some).
pub fn report_xlsx(r: &MovementReport) -> AppResult<Vec<u8>> {
    use thidua_sheets::{Cell, Sheet};
    let figure_cells = |f: &Figure| -> Vec<Cell> {
        vec![
            Cell::Text(f.indicator.to_string()),
            Cell::Text(f.indicator_name.clone()),
            Cell::Text(f.label.clone()),
            f.value.into(),
            Cell::Number(f.reported as f64),
            Cell::Number(f.total as f64),
        ]
    };
    let mut sheets = vec![Sheet {
        name: "Tổng hợp".to_owned(),
        header: [
            "Mã chỉ tiêu",
            "Chỉ tiêu",
            "Cách tổng hợp",
            "Giá trị",
            "Đơn vị có số liệu",
            "Đơn vị nhập liệu",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: r.figures.iter().map(figure_cells).collect(),
    }];
    let columns: Vec<String> = r
        .figures
        .iter()
        .map(|f| format!("{} – {}", f.indicator, f.label))
        .collect();
    let mut header = vec!["Mã đơn vị".to_owned(), "Đơn vị".to_owned()];
    header.extend(columns.iter().cloned());
    sheets.push(Sheet {
        name: "Theo đơn vị".to_owned(),
        header,
        rows: r
            .children
            .iter()
            .map(|c| {
                let mut row = vec![
                    Cell::Text(c.unit.code.clone()),
                    Cell::Text(c.unit.name.clone()),
                ];
                row.extend(c.figures.iter().map(|f| Cell::from(f.value)));
                row
            })
            .collect(),
    });
    let mut header = vec!["Ngày".to_owned()];
    header.extend(columns);
    sheets.push(Sheet {
        name: "Theo thời gian".to_owned(),
        header,
        rows: r
            .series
            .iter()
            .map(|p| {
                let mut row = vec![Cell::Text(p.date.to_string())];
                row.extend(p.figures.iter().map(|f| Cell::from(f.value)));
                row
            })
            .collect(),
    });
    sheets.push(Sheet {
        name: "Cam kết".to_owned(),
        header: [
            "Mã chỉ tiêu",
            "Chỉ tiêu",
            "Đơn vị đăng ký",
            "Đạt cam kết",
            "Tổng chỉ tiêu đăng ký",
            "Tổng thực hiện",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: r
            .commitments
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.indicator.clone()),
                    Cell::Text(c.indicator_name.clone()),
                    Cell::Number(c.registered as f64),
                    Cell::Number(c.met as f64),
                    Cell::Number(c.target_total),
                    Cell::Number(c.actual_total),
                ]
            })
            .collect(),
    });
    if let Some(t) = &r.twinning {
        sheets.push(Sheet {
            name: "Kết nghĩa".to_owned(),
            header: ["Nội dung", "Giá trị"].map(str::to_owned).to_vec(),
            rows: [
                ("Cặp kết nghĩa", t.pairs as f64),
                ("Cơ quan, đơn vị", t.organisations as f64),
                ("Thôn, bon, buôn", t.villages as f64),
                ("Hộ", t.households as f64),
                ("Lượt thăm hỏi", t.visits as f64),
                ("Người được hỗ trợ", t.people as f64),
                ("Tiền (đồng)", t.money_vnd),
                ("Hiện vật quy đổi (đồng)", t.in_kind_vnd),
                ("Nhà xây mới", t.houses_built as f64),
                ("Nhà sửa chữa", t.houses_repaired as f64),
                ("Xã được giúp đỡ", t.communes as f64),
                ("Đảng viên, cán bộ giúp đỡ hộ", t.helpers as f64),
                ("Đối tượng được hỗ trợ sản xuất", t.beneficiaries as f64),
                ("Mô hình sản xuất", t.production_models as f64),
                ("Hộ thoát nghèo", t.households_out_of_poverty as f64),
                ("Công trình sửa chữa, xây mới", t.works_built as f64),
            ]
            .into_iter()
            .map(|(k, v)| vec![Cell::Text(k.to_owned()), Cell::Number(v)])
            .collect(),
        });
    }
    thidua_sheets::write(&sheets).map_err(|e| AppError::Internal(e.to_string()))
}
