//! Historical award records imported from a spreadsheet: the lookups the
//! preview needs, and the one transaction that writes a whole file.

use crate::audit::{Change, Who, record};
use crate::decisions::registry_insert;
use crate::dossiers::RegistryEntry;
use crate::registry::SubjectRef;
use crate::{StoreError, StoreResult, on_pool};
use serde_json::json;
use time::Date;

/// A membership: unit, valid from, valid until.
pub type Stint = (i64, Option<Date>, Option<Date>);

/// A person an imported row may name: found by folded name, told apart by
/// birth date and the units they belonged to.
#[derive(Debug, Clone)]
pub struct NamedPerson {
    pub id: i64,
    pub name_folded: String,
    pub birth_date: Option<Date>,
    /// (unit, valid from, valid until) of each membership.
    pub stints: Vec<Stint>,
}

/// What makes two registry rows the same record: subject, code, decision
/// number and date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, sqlx::FromRow)]
pub struct RecordKey {
    pub person_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub code: String,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    /// The year of an annual title (one per subject and year); none for
    /// other awards.
    pub year: Option<i32>,
}

/// One row to write: the registry entry and the decision it came from.
#[derive(Debug, Clone)]
pub struct ImportedRecord {
    pub entry: RegistryEntry,
    pub decision_number: Option<String>,
    pub decision_date: Date,
    pub issuer: Option<String>,
}

/// A person an import adds, placed in their unit (from a day unknown),
/// before the records that name them.
#[derive(Debug, Clone)]
pub struct ImportPerson {
    pub person: crate::NewPerson,
    pub unit: thidua_domain::org::UnitId,
}

/// The file an import came from, for the audit log.
#[derive(Debug, Clone)]
pub struct ImportSource {
    pub file: String,
    pub sha256: String,
}

/// Ids per query: well under both engines' limits on bound values.
const CHUNK: usize = 500;

impl crate::Store {
    /// The people a list of records names, with their stints: by folded
    /// name and birth date where the record gives the day, by folded name
    /// alone otherwise (a common name alone can match thousands).
    pub async fn people_named(
        &self,
        keys: &[(String, Option<Date>)],
    ) -> StoreResult<Vec<NamedPerson>> {
        let mut names: Vec<&String> = keys
            .iter()
            .filter(|k| k.1.is_none())
            .map(|k| &k.0)
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut pairs: Vec<(&String, Date)> =
            keys.iter().filter_map(|(n, d)| d.map(|d| (n, d))).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut rows: Vec<(i64, String, Option<Date>)> = Vec::new();
        for chunk in names.chunks(CHUNK) {
            let got: Vec<(i64, String, Option<Date>)> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "select id, name_folded, birth_date from people where name_folded in (",
                );
                let mut sep = qb.separated(", ");
                for n in chunk {
                    sep.push_bind((*n).clone());
                }
                qb.push(")");
                qb.build_query_as().fetch_all(pool).await?
            });
            rows.extend(got);
        }
        for chunk in pairs.chunks(CHUNK) {
            let got: Vec<(i64, String, Option<Date>)> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "select id, name_folded, birth_date from people where ",
                );
                for (i, (n, d)) in chunk.iter().enumerate() {
                    qb.push(if i == 0 {
                        "(name_folded = "
                    } else {
                        " or (name_folded = "
                    });
                    qb.push_bind((*n).clone());
                    qb.push(" and birth_date = ");
                    qb.push_bind(*d);
                    qb.push(")");
                }
                qb.build_query_as().fetch_all(pool).await?
            });
            rows.extend(got);
        }
        rows.sort_unstable_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        let mut people: Vec<NamedPerson> = rows
            .into_iter()
            .map(|(id, name_folded, birth_date)| NamedPerson {
                id,
                name_folded,
                birth_date,
                stints: Vec::new(),
            })
            .collect();
        let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
        let mut stints: std::collections::HashMap<i64, Vec<Stint>> =
            std::collections::HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            let rows: Vec<(i64, i64, Option<Date>, Option<Date>)> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "select person_id, unit_id, valid_from, valid_until from person_memberships where person_id in (",
                );
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(pool).await?
            });
            for (person, unit, from, until) in rows {
                stints.entry(person).or_default().push((unit, from, until));
            }
        }
        for p in &mut people {
            p.stints = stints.remove(&p.id).unwrap_or_default();
        }
        Ok(people)
    }

    /// The active registry rows that an import of these records could
    /// repeat: awards of the same subject with the same decision number,
    /// and every annual title of the subject (one per year).
    pub async fn record_keys(
        &self,
        records: &[(SubjectRef, String)],
    ) -> StoreResult<Vec<RecordKey>> {
        let mut keys = Vec::new();
        for chunk in records.chunks(CHUNK) {
            // Subject and number pair by pair: an index probe each, where
            // two lists would probe every combination.
            let rows: Vec<RecordKey> = on_pool!(self, |pool| {
                let mut qb = sqlx::QueryBuilder::new(
                    "select person_id, unit_id, code, decision_number, decision_date, \
                     cast(null as integer) as year from awards where status = 'active' and (",
                );
                for (i, (subject, number)) in chunk.iter().enumerate() {
                    if i > 0 {
                        qb.push(" or ");
                    }
                    match subject {
                        SubjectRef::Person(p) => {
                            qb.push("(person_id = ");
                            qb.push_bind(*p);
                        }
                        SubjectRef::Unit(u) => {
                            qb.push("(unit_id = ");
                            qb.push_bind(u.0);
                        }
                    }
                    qb.push(" and decision_number = ");
                    qb.push_bind(number.clone());
                    qb.push(")");
                }
                qb.push(
                    ") union all select person_id, unit_id, code, decision_number, decision_date, year \
                     from titles where status = 'active' and (person_id in (-1",
                );
                for (subject, _) in chunk {
                    if let SubjectRef::Person(p) = subject {
                        qb.push(", ");
                        qb.push_bind(*p);
                    }
                }
                qb.push(") or unit_id in (-1");
                for (subject, _) in chunk {
                    if let SubjectRef::Unit(u) = subject {
                        qb.push(", ");
                        qb.push_bind(u.0);
                    }
                }
                qb.push("))");
                qb.build_query_as().fetch_all(pool).await?
            });
            keys.extend(rows);
        }
        Ok(keys)
    }

    /// Writes every record of one imported file in one transaction, with
    /// one audit entry naming the file and the rows written; any failure
    /// writes nothing.
    pub async fn import_records(
        &self,
        who: &Who,
        source: &ImportSource,
        people: &[ImportPerson],
        records: &[ImportedRecord],
    ) -> StoreResult<Vec<i64>> {
        let ids = on_pool!(self, |pool, d| {
            let mut tx = pool.begin_with(d.begin_write).await?;
            sqlx::query(d.bulk_write).execute(&mut *tx).await?;
            let mut people_ids = Vec::with_capacity(people.len());
            for p in people {
                let id = crate::staff::insert_person!(tx, &p.person);
                let open = thidua_domain::date::Period {
                    from: None,
                    until: None,
                };
                crate::staff::insert_stint!(tx, id, p.unit, None::<&str>, &open);
                people_ids.push(id);
            }
            let mut ids = Vec::with_capacity(records.len());
            for r in records {
                // Rows naming a new person carry its place in `people`
                // as a negative id until now.
                let mut entry = r.entry.clone();
                if let SubjectRef::Person(id) = entry.subject
                    && id < 0
                {
                    let at = usize::try_from(-id - 1).unwrap_or(usize::MAX);
                    let real = people_ids.get(at).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("người mới thứ {at} không có trong tệp"))
                    })?;
                    entry.subject = SubjectRef::Person(real);
                }
                let id = registry_insert!(
                    tx,
                    &entry,
                    None::<i64>,
                    r.decision_number.as_deref(),
                    r.decision_date,
                    r.issuer.as_deref()
                );
                ids.push(id);
            }
            record!(
                tx,
                d,
                who,
                Change::new("registry.import", "file", &source.sha256).after(json!({
                    "file": source.file, "sha256": source.sha256, "rows": records.len(),
                    "titles": records.iter().filter(|r| r.entry.annual_title).count(),
                    "people_added": people_ids,
                    "first_id": ids.first(), "last_id": ids.last(),
                }))
            );
            tx.commit().await?;
            ids
        });
        Ok(ids)
    }
}
