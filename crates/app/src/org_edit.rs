//! Sửa đơn vị — the one door for adding and renaming a unit, shared by the
//! page, the API and the command line, so that every path checks the same
//! things.

use crate::{AppError, AppResult, FieldProblem, auth};
use thidua_domain::date::VnDate;
use thidua_domain::org::{CodeList, OrgError, UnitCode, UnitId, UnitKind, unit_name};
use thidua_domain::policy::Action;
use thidua_store::{NewUnit, Store, StoreError, UserRow, Who};
use time::Date;

/// A unit to add, as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// dd/mm/yyyy or yyyy-mm-dd; empty for today.
    pub valid_from: String,
}

/// The kinds of unit that may be added by hand under a unit of `parent`'s
/// kind: provinces and districts come only from the official lists.
pub fn kinds_under(parent: UnitKind) -> Vec<UnitKind> {
    UnitKind::ALL
        .into_iter()
        .filter(|k| {
            !matches!(k, UnitKind::Province | UnitKind::District) && k.may_have_parent(parent)
        })
        .collect()
}

/// Adds a local unit (an agency, a village, an association…) under
/// `parent`. Every wrong field is reported at once; a code already used is
/// a conflict.
pub async fn create_unit(
    store: &Store,
    user: &UserRow,
    who: &Who,
    parent: UnitId,
    input: &UnitInput,
    today: Date,
) -> AppResult<UnitId> {
    auth::may_on_unit(store, user, Action::CreateUnit, parent, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", parent.0)))?
        .map_err(AppError::Denied)?;
    let parent_row = store
        .unit(parent, today)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("đơn vị #{}", parent.0)))?;
    if !parent_row.period.contains(today) {
        return Err(AppError::Invalid {
            field: "parent",
            message: "Đơn vị này không còn hiệu lực; không thể thay đổi.".into(),
        });
    }
    let mut problems = Vec::new();
    let mut problem = |field: &'static str, message: &str| {
        problems.push(FieldProblem {
            field,
            message: message.to_owned(),
        });
    };
    let code = match UnitCode::parse(&input.code) {
        Ok(c) if c.is_official() => {
            problem(
                "code",
                "Mã chỉ gồm chữ số là mã hành chính chính thức; hãy dùng mã có chữ cái.",
            );
            None
        }
        Ok(c) => Some(c),
        Err(_) => {
            problem(
                "code",
                "Mã gồm 2–40 ký tự: chữ không dấu, số, dấu chấm, gạch ngang; có ít nhất một chữ cái.",
            );
            None
        }
    };
    let name = unit_name(&input.name).map_err(|m| problem("name", m)).ok();
    let kind = UnitKind::parse(&input.kind)
        .ok()
        .filter(|k| kinds_under(parent_row.kind).contains(k));
    if kind.is_none() {
        problem("kind", "Hãy chọn loại đơn vị.");
    }
    let valid_from = match input.valid_from.trim() {
        "" => None,
        d => VnDate::parse(d)
            .map(|d| d.0)
            .map_err(|e| problem("valid_from", &e.to_string()))
            .ok(),
    };
    let (Some(code), Some(name), Some(kind)) = (code, name, kind) else {
        return Err(AppError::Fields(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Fields(problems));
    }
    let new = NewUnit {
        code,
        kind,
        admin_type: None,
        name,
        short_name: None,
        parent: Some(parent),
        valid_from,
    };
    match store.create_unit(who, &new).await {
        Err(StoreError::Org(OrgError::InvalidCode(_))) => Err(AppError::Store(
            StoreError::Conflict("Mã này đã được dùng cho một đơn vị khác.".into()),
        )),
        Err(StoreError::Org(e)) => Err(AppError::Invalid {
            field: "valid_from",
            message: e.to_string(),
        }),
        other => Ok(other?),
    }
}

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
