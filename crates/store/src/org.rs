//! Organisation registry queries and writes.

/// Columns of a unit `u`, its name as of `$1` (a renamed unit shows its old
/// name for dates before the rename).
macro_rules! unit_cols {
    () => {
        "u.id, u.code, u.code_list, u.kind, u.admin_type, \
         coalesce((select h.name from org_unit_names h where h.unit_id = u.id and h.valid_until > $1 \
                   and (h.valid_from is null or h.valid_from <= $1) order by h.valid_until limit 1), u.name) as name, \
         u.short_name, u.valid_from, u.valid_until"
    };
}

/// `$1` falls inside the validity of the row aliased `$t`.
macro_rules! valid_at {
    ($t:literal) => {
        concat!(
            "(",
            $t,
            ".valid_from is null or ",
            $t,
            ".valid_from <= $1) and (",
            $t,
            ".valid_until is null or ",
            $t,
            ".valid_until > $1)"
        )
    };
}

/// Inserts a unit, its code and its parent link inside transaction `$tx`;
/// evaluates to the new id.
macro_rules! insert_unit {
    ($tx:expr, $new:expr) => {{
        let new: &NewUnit = $new;
        let name = text::normalize(&new.name);
        let list = if new.code.is_official() { CodeList::Y2025 } else { CodeList::Local };
        let (id,): (i64,) = sqlx::query_as(
            "insert into org_units (code, code_list, kind, admin_type, name, short_name, name_folded, valid_from) \
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(new.code.as_str())
        .bind(list.as_str())
        .bind(new.kind.as_str())
        .bind(&new.admin_type)
        .bind(&name)
        .bind(new.short_name.as_deref().map(text::normalize))
        .bind(text::fold(&name))
        .bind(new.valid_from)
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query("insert into org_unit_codes (unit_id, code_list, code) values ($1, $2, $3)")
            .bind(id)
            .bind(list.as_str())
            .bind(new.code.as_str())
            .execute(&mut *$tx)
            .await
            .map_err(|e| $crate::org::rows::duplicate_code(e, &new.code))?;
        if let Some(parent) = new.parent {
            // A link cannot outlive the parent it points to.
            sqlx::query(
                "insert into org_links (child_id, parent_id, valid_from, valid_until) \
                 values ($1, $2, $3, (select valid_until from org_units where id = $2))",
            )
            .bind(id)
            .bind(parent.0)
            .bind(new.valid_from)
            .execute(&mut *$tx)
            .await?;
        }
        id
    }};
}

/// Inserts a reorganisation event inside transaction `$tx`; evaluates to its id.
macro_rules! insert_event {
    ($tx:expr, $kind:expr, $date:expr, $document:expr) => {{
        let kind: ReorgKind = $kind;
        let (id,): (i64,) = sqlx::query_as(
            "insert into reorg_events (kind, effective, document) values ($1, $2, $3) returning id",
        )
        .bind(kind.as_str())
        .bind($date)
        .bind($document)
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}

mod editing;
mod import;
mod reading;
mod rows;

pub use rows::{EventLink, ImportReport, NewUnit, UnitRow};
