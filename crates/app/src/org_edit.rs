//! Sửa đơn vị — the one door for renaming a unit, shared by the page, the
//! API and the command line, so that every path checks the same things.

use crate::{AppError, AppResult};
use thidua_domain::org::{CodeList, UnitId, unit_name};
use thidua_store::{Store, Who};
use time::Date;

/// Renames a unit from `date`. An official administrative unit (a
/// province, commune or ward of the official lists) changes its name only
/// through a reorganisation with its document — the official import —
/// never by hand: otherwise a province could be renamed «Xã Nam Đà».
/// Returns the name as stored.
pub async fn rename_unit(
    store: &Store,
    who: &Who,
    id: UnitId,
    raw_name: &str,
    date: Date,
    today: Date,
) -> AppResult<String> {
    let unit = store
        .unit(id, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", id.0)))?;
    if unit.code_list != CodeList::Local {
        return Err(AppError::Invalid {
            field: "name",
            message: "Đơn vị hành chính chính thức chỉ đổi tên theo văn bản sắp xếp đơn vị hành chính (qua danh mục chính thức), không sửa trực tiếp.".into(),
        });
    }
    let name = unit_name(raw_name).map_err(|m| AppError::Invalid {
        field: "name",
        message: m.into(),
    })?;
    if name == unit.name {
        return Err(AppError::Invalid {
            field: "name",
            message: "Tên mới trùng tên hiện tại.".into(),
        });
    }
    store.rename(who, id, &name, date, None).await?;
    Ok(name)
}
