//! Writing people and their stints: adding and editing a person, a stint, a
//! transfer, the end of a stint, a staff list imported whole, and the
//! audited reading of an identity number.

use crate::audit::{Change, Who, record};
use crate::people::{NewPerson, PERSON_COLS, PersonRecord, PersonRow};
use crate::{StoreError, StoreResult, on_pool, parse_stored};
use serde::Serialize;
use serde_json::json;
use thidua_domain::date::Period;
use thidua_domain::org::UnitId;
use thidua_domain::person::{Gender, IdNumber};
use thidua_domain::staff::{MembershipEnd, PersonId, Stint};
use thidua_domain::text;
use time::Date;

/// Writes the person's row and the words of the name search in the open
/// transaction; evaluates to the new id.
macro_rules! insert_person {
    ($tx:expr, $p:expr) => {{
        let p: &$crate::NewPerson = $p;
        let (id,): (i64,) = sqlx::query_as(
            "insert into people (full_name, name_folded, sort_key, gender, birth_date, ethnicity, id_number, position, category, grassroots) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
        )
        .bind(p.name.as_str())
        .bind(p.name.folded())
        .bind(p.name.sort_key())
        .bind(p.gender.map(thidua_domain::person::Gender::as_str))
        .bind(p.birth_date)
        .bind(p.ethnicity.as_deref().map(thidua_domain::text::normalize))
        .bind(p.id_number.as_ref().map(thidua_domain::person::IdNumber::as_str))
        .bind(p.position.as_deref().map(thidua_domain::text::normalize))
        .bind(p.category.map(|c| c.as_str()))
        .bind(p.category.and_then(|c| c.grassroots()))
        .fetch_one(&mut *$tx)
        .await?;
        $crate::staff::write_words!($tx, id, p);
        id
    }};
}

/// The name's words for the search, written with the person (a rename
/// rewrites them).
macro_rules! write_words {
    ($tx:expr, $id:expr, $p:expr) => {{
        for word in $p.name.folded().split(' ').filter(|w| !w.is_empty()) {
            sqlx::query("insert into name_words (word) values ($1) on conflict do nothing")
                .bind(word)
                .execute(&mut *$tx)
                .await?;
            sqlx::query(
                "insert into person_words (word, person_id, sort_key, name_folded) \
                 values ($1, $2, $3, $4) on conflict do nothing",
            )
            .bind(word)
            .bind($id)
            .bind($p.name.sort_key())
            .bind($p.name.folded())
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

macro_rules! insert_stint {
    ($tx:expr, $person:expr, $unit:expr, $position:expr, $period:expr) => {{
        let period: &thidua_domain::date::Period = $period;
        sqlx::query(
            "insert into person_memberships (person_id, unit_id, position, valid_from, valid_until) values ($1, $2, $3, $4, $5)",
        )
        .bind($person)
        .bind($unit.0)
        .bind($position)
        .bind(period.from)
        .bind(period.until)
        .execute(&mut *$tx)
        .await?;
    }};
}

pub(crate) use {insert_person, insert_stint, write_words};

fn person_json(p: &NewPerson) -> serde_json::Value {
    // The identity number is never copied into the log: the log is read by
    // more people than may see it.
    json!({
        "full_name": p.name.as_str(), "gender": p.gender.map(Gender::as_str),
        "birth_date": p.birth_date.map(|d| d.to_string()), "ethnicity": p.ethnicity,
        "position": p.position, "category": p.category.map(|c| c.as_str()),
        "id_number_given": p.id_number.is_some(),
    })
}

/// One row of a staff list, as the import writes it.
#[derive(Debug, Clone)]
pub enum StaffWrite {
    /// A person not yet in the registry, with their first stint.
    New {
        person: NewPerson,
        unit: UnitId,
        position: Option<String>,
        from: Date,
    },
    /// A person already in the registry who joins `unit` on `from`; the
    /// stint open then (elsewhere) ends as a transfer.
    Join {
        person: PersonId,
        ends: Option<i64>,
        unit: UnitId,
        position: Option<String>,
        from: Date,
    },
}

/// What a staff import wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StaffImported {
    pub created: Vec<i64>,
    pub joined: Vec<i64>,
}

#[derive(sqlx::FromRow)]
struct StintRecord {
    id: i64,
    unit_id: i64,
    position: Option<String>,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
    end_reason: Option<String>,
}

impl crate::Store {
    pub async fn insert_person(&self, who: &Who, p: &NewPerson) -> StoreResult<i64> {
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = insert_person!(tx, p);
            record!(
                tx,
                d,
                who,
                Change::new("person.create", "person", id).after(person_json(p))
            );
            tx.commit().await?;
            id
        }))
    }

    /// Adds a person and their first stint in one transaction.
    pub async fn add_person_in(
        &self,
        who: &Who,
        p: &NewPerson,
        unit: UnitId,
        position: Option<&str>,
        from: Date,
    ) -> StoreResult<PersonId> {
        Ok(PersonId(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let id = insert_person!(tx, p);
            let period = Period {
                from: Some(from),
                until: None,
            };
            insert_stint!(tx, id, unit, position, &period);
            let mut after = person_json(p);
            after["unit_id"] = json!(unit.0);
            after["from"] = json!(from.to_string());
            record!(
                tx,
                d,
                who,
                Change::new("person.create", "person", id).after(after)
            );
            tx.commit().await?;
            id
        })))
    }

    /// Edits a person; the name's search words are rewritten with it. An
    /// identity number left out keeps the stored one.
    pub async fn update_person(&self, who: &Who, id: PersonId, p: &NewPerson) -> StoreResult<()> {
        let before = self
            .person(id.0)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("cá nhân #{id}")))?;
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query(
                "update people set full_name = $1, name_folded = $2, sort_key = $3, gender = $4, birth_date = $5, \
                 ethnicity = $6, position = $7, category = $8, grassroots = $9, id_number = coalesce($10, id_number) \
                 where id = $11",
            )
            .bind(p.name.as_str())
            .bind(p.name.folded())
            .bind(p.name.sort_key())
            .bind(p.gender.map(Gender::as_str))
            .bind(p.birth_date)
            .bind(p.ethnicity.as_deref().map(text::normalize))
            .bind(p.position.as_deref().map(text::normalize))
            .bind(p.category.map(|c| c.as_str()))
            .bind(p.category.and_then(|c| c.grassroots()))
            .bind(p.id_number.as_ref().map(IdNumber::as_str))
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query("delete from person_words where person_id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            write_words!(tx, id.0, p);
            record!(
                tx,
                d,
                who,
                Change::new("person.update", "person", id.0)
                    .before(json!({
                        "full_name": before.full_name, "gender": before.gender.map(Gender::as_str),
                        "birth_date": before.birth_date.map(|d| d.to_string()),
                        "ethnicity": before.ethnicity, "position": before.position,
                        "category": before.category.map(|c| c.as_str()),
                    }))
                    .after(person_json(p))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that a person belonged to a unit over a period.
    pub async fn add_membership(
        &self,
        who: &Who,
        person: i64,
        unit: UnitId,
        position: Option<&str>,
        period: Period,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            insert_stint!(tx, person, unit, position, &period);
            record!(
                tx,
                d,
                who,
                Change::new("person.membership", "person", person).after(json!({
                    "unit_id": unit.0, "position": position,
                    "from": period.from.map(|d| d.to_string()), "until": period.until.map(|d| d.to_string()),
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// A person's stints, oldest first, with their ids and why they ended.
    pub async fn stints(&self, person: PersonId) -> StoreResult<Vec<Stint>> {
        let recs: Vec<StintRecord> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select id, unit_id, position, valid_from, valid_until, end_reason from person_memberships \
                 where person_id = $1 order by valid_from, id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        });
        recs.into_iter()
            .map(|r| {
                Ok(Stint {
                    id: r.id,
                    unit: UnitId(r.unit_id),
                    position: r.position,
                    period: parse_stored(Period::new(r.valid_from, r.valid_until))?,
                    end: r
                        .end_reason
                        .as_deref()
                        .map(MembershipEnd::parse)
                        .transpose()
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                })
            })
            .collect()
    }

    /// Ends one stint on `date` for `reason`; with `next`, the stint that
    /// begins that day elsewhere (a transfer), in the same transaction.
    pub async fn end_stint(
        &self,
        who: &Who,
        person: PersonId,
        stint: i64,
        date: Date,
        reason: MembershipEnd,
        next: Option<(UnitId, Option<&str>)>,
    ) -> StoreResult<()> {
        on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let done = sqlx::query(
                "update person_memberships set valid_until = $1, end_reason = $2 \
                 where id = $3 and person_id = $4 and (valid_until is null or valid_until > $1)",
            )
            .bind(date)
            .bind(reason.as_str())
            .bind(stint)
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(
                    "Quá trình công tác này đã kết thúc hoặc vừa được người khác sửa.".into(),
                ));
            }
            if let Some((unit, position)) = next {
                let period = Period {
                    from: Some(date),
                    until: None,
                };
                insert_stint!(tx, person.0, unit, position, &period);
            }
            record!(
                tx,
                d,
                who,
                Change::new("person.stint_end", "person", person.0).after(json!({
                    "stint": stint, "date": date.to_string(), "reason": reason.as_str(),
                    "to_unit_id": next.map(|(u, _)| u.0),
                }))
            );
            tx.commit().await?;
        });
        Ok(())
    }

    /// The identity number, read for someone whose role needs it: the
    /// reading itself is an audit entry.
    pub async fn view_id_number(&self, who: &Who, person: PersonId) -> StoreResult<Option<String>> {
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let n: Option<(Option<String>,)> =
                sqlx::query_as("select id_number from people where id = $1")
                    .bind(person.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((n,)) = n else {
                return Err(StoreError::NotFound(format!("cá nhân #{person}")));
            };
            record!(
                tx,
                d,
                who,
                Change::new("person.id_number_view", "person", person.0)
            );
            tx.commit().await?;
            n
        }))
    }

    /// Whether the person has an identity number, without reading it.
    pub async fn has_id_number(&self, person: PersonId) -> StoreResult<bool> {
        let n: Option<(i64,)> = on_pool!(self, |pool| {
            sqlx::query_as("select id from people where id = $1 and id_number is not null")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(n.is_some())
    }

    /// The person an identity number belongs to, for the duplicate check
    /// (the number itself is not returned).
    pub async fn person_by_id_number(&self, n: &IdNumber) -> StoreResult<Option<PersonRow>> {
        let rec: Option<PersonRecord> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {PERSON_COLS} from people p where p.id_number = $1"
            )))
            .bind(n.as_str())
            .fetch_optional(pool)
            .await?
        });
        rec.map(PersonRow::try_from).transpose()
    }

    /// People with this folded name and birth date (perhaps the same
    /// person), with the units of their stints.
    pub async fn namesakes_of(
        &self,
        name_folded: &str,
        birth: Option<Date>,
    ) -> StoreResult<Vec<(PersonRow, Vec<Stint>)>> {
        let recs: Vec<PersonRecord> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {PERSON_COLS} from people p where p.name_folded = $1 \
                 and (p.birth_date = $2 or ($2 is null and p.birth_date is null)) order by p.id limit 50"
            )))
            .bind(name_folded)
            .bind(birth)
            .fetch_all(pool)
            .await?
        });
        let mut out = Vec::new();
        for r in recs {
            let p = PersonRow::try_from(r)?;
            let s = self.stints(PersonId(p.id)).await?;
            out.push((p, s));
        }
        Ok(out)
    }

    /// Writes a checked staff list whole, with one audit entry naming the
    /// file.
    pub async fn import_staff(
        &self,
        who: &Who,
        file: &str,
        sha256: &str,
        rows: &[StaffWrite],
    ) -> StoreResult<StaffImported> {
        Ok(on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            let mut done = StaffImported::default();
            for row in rows {
                match row {
                    StaffWrite::New {
                        person,
                        unit,
                        position,
                        from,
                    } => {
                        let id = insert_person!(tx, person);
                        let period = Period {
                            from: Some(*from),
                            until: None,
                        };
                        insert_stint!(tx, id, *unit, position.as_deref(), &period);
                        done.created.push(id);
                    }
                    StaffWrite::Join {
                        person,
                        ends,
                        unit,
                        position,
                        from,
                    } => {
                        if let Some(stint) = ends {
                            let ended = sqlx::query(
                                "update person_memberships set valid_until = $1, end_reason = 'transfer' \
                                 where id = $2 and person_id = $3 and (valid_until is null or valid_until > $1)",
                            )
                            .bind(*from)
                            .bind(*stint)
                            .bind(person.0)
                            .execute(&mut *tx)
                            .await?;
                            if ended.rows_affected() != 1 {
                                return Err(StoreError::Conflict(format!(
                                    "quá trình công tác của cá nhân #{person} vừa thay đổi; hãy kiểm tra lại tệp"
                                )));
                            }
                        }
                        let period = Period {
                            from: Some(*from),
                            until: None,
                        };
                        insert_stint!(tx, person.0, *unit, position.as_deref(), &period);
                        done.joined.push(person.0);
                    }
                }
            }
            record!(
                tx,
                d,
                who,
                Change::new("person.staff_import", "file", sha256).after(json!({
                    "file": file, "sha256": sha256, "rows": rows.len(),
                    "created": done.created, "joined": done.joined,
                }))
            );
            tx.commit().await?;
            done
        }))
    }
}
