//! People (cá nhân) and their membership of units.

use crate::{StoreResult, on_pool, parse_stored};
use serde::Serialize;
use thidua_domain::date::Period;
use thidua_domain::org::UnitId;
use thidua_domain::person::{Gender, IdNumber, PersonName};
use thidua_domain::staff::PersonCategory;
use thidua_domain::text;
use time::Date;

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: PersonName,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub ethnicity: Option<String>,
    pub id_number: Option<IdNumber>,
    pub position: Option<String>,
    pub category: Option<PersonCategory>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonRow {
    pub id: i64,
    pub full_name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub ethnicity: Option<String>,
    pub position: Option<String>,
    pub category: Option<PersonCategory>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRecord {
    id: i64,
    full_name: String,
    gender: Option<String>,
    birth_date: Option<Date>,
    ethnicity: Option<String>,
    position: Option<String>,
    category: Option<String>,
}

impl TryFrom<PersonRecord> for PersonRow {
    type Error = crate::StoreError;
    fn try_from(r: PersonRecord) -> StoreResult<PersonRow> {
        Ok(PersonRow {
            id: r.id,
            full_name: r.full_name,
            gender: r.gender.as_deref().map(Gender::parse).transpose()?,
            birth_date: r.birth_date,
            ethnicity: r.ethnicity,
            position: r.position,
            category: r
                .category
                .as_deref()
                .map(PersonCategory::parse)
                .transpose()
                .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?,
        })
    }
}

/// At most this many people come back from one list.
pub const PEOPLE_LIST_MAX: i64 = 5000;

/// What a list of people asks for: name terms (each with its spellings),
/// and the units they worked in, in which year, and whether they still do.
#[derive(Debug, Clone, Default)]
pub struct PeopleListing {
    pub terms: Vec<Vec<String>>,
    /// Only people who belonged to one of these units; `None` for anyone.
    pub units: Option<Vec<UnitId>>,
    /// Only people who belonged (to those units) during this year.
    pub year: Option<i32>,
    /// Only people who still belong there on this day (`Some((true, d))`),
    /// or who no longer do (`Some((false, d))`).
    pub working_on: Option<(bool, Date)>,
}

impl PeopleListing {
    fn push_filter<DB: sqlx::Database>(&self, qb: &mut sqlx::QueryBuilder<DB>)
    where
        for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    {
        qb.push("1 = 1");
        for alternatives in &self.terms {
            qb.push(" and (1 = 0");
            for t in alternatives {
                // Escape LIKE's wildcards: the folded text has no other specials.
                let t = t
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                qb.push(" or (' ' || p.name_folded) like ");
                qb.push_bind(format!("% {t}%"));
                qb.push(" escape '\\'");
            }
            qb.push(")");
        }
        let membership = |qb: &mut sqlx::QueryBuilder<DB>, active: Option<Date>| {
            qb.push("exists (select 1 from person_memberships m where m.person_id = p.id");
            if let Some(units) = &self.units {
                qb.push(" and m.unit_id in (");
                let mut sep = qb.separated(", ");
                sep.push_bind(-1i64);
                for u in units {
                    sep.push_bind(u.0);
                }
                qb.push(")");
            }
            // Years and days are numbers and dates, never typed text.
            if let Some(y) = self.year {
                qb.push(format!(
                    " and (m.valid_from is null or cast(m.valid_from as text) <= '{y:04}-12-31') \
                     and (m.valid_until is null or cast(m.valid_until as text) > '{y:04}-01-01')"
                ));
            }
            if let Some(d) = active {
                let d = format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
                qb.push(format!(
                    " and (m.valid_from is null or cast(m.valid_from as text) <= '{d}') \
                     and (m.valid_until is null or cast(m.valid_until as text) > '{d}')"
                ));
            }
            qb.push(")");
        };
        if self.units.is_some() || self.year.is_some() || self.working_on.is_some() {
            qb.push(" and ");
            membership(qb, None);
        }
        match self.working_on {
            Some((true, d)) => {
                qb.push(" and ");
                membership(qb, Some(d));
            }
            Some((false, d)) => {
                qb.push(" and not ");
                membership(qb, Some(d));
            }
            None => {}
        }
    }
}

pub(crate) const PERSON_COLS: &str =
    "p.id, p.full_name, p.gender, p.birth_date, p.ethnicity, p.position, p.category";

impl crate::Store {
    /// Diacritic- and case-insensitive search: every word of the query must
    /// begin a word of the name. Results in Vietnamese name order.
    pub async fn search_people(&self, query: &str, limit: i64) -> StoreResult<Vec<PersonRow>> {
        self.search_people_in(query, limit, None).await
    }

    /// As [`search_people`](Self::search_people), limited to people who have
    /// belonged to one of `units` (a scope), when given.
    pub async fn search_people_in(
        &self,
        query: &str,
        limit: i64,
        units: Option<&[UnitId]>,
    ) -> StoreResult<Vec<PersonRow>> {
        let terms: Vec<Vec<String>> = text::query_terms(query)
            .into_iter()
            .map(|t| vec![t])
            .collect();
        self.search_people_by_terms(&terms, limit, units).await
    }

    /// People whose folded name has, for every term, a word starting with
    /// one of its spellings (a typed word and its near corrections).
    pub async fn search_people_by_terms(
        &self,
        terms: &[Vec<String>],
        limit: i64,
        units: Option<&[UnitId]>,
    ) -> StoreResult<Vec<PersonRow>> {
        let listing = PeopleListing {
            terms: terms.to_vec(),
            units: units.map(<[UnitId]>::to_vec),
            ..Default::default()
        };
        self.people_rows(&listing, limit).await
    }

    async fn people_rows(&self, l: &PeopleListing, limit: i64) -> StoreResult<Vec<PersonRow>> {
        let recs: Vec<PersonRecord> = on_pool!(self, |pool| {
            let mut qb =
                sqlx::QueryBuilder::new(format!("select {PERSON_COLS} from people p where "));
            l.push_filter(&mut qb);
            qb.push(" order by p.sort_key, p.id limit ");
            qb.push_bind(limit.clamp(0, PEOPLE_LIST_MAX));
            qb.build_query_as().fetch_all(pool).await?
        });
        recs.into_iter().map(PersonRow::try_from).collect()
    }

    /// The people a listing asks for, in Vietnamese name order, at most
    /// `limit` (and never more than [`PEOPLE_LIST_MAX`]), and how many
    /// match in all.
    pub async fn people_listed(
        &self,
        l: &PeopleListing,
        limit: i64,
    ) -> StoreResult<(Vec<PersonRow>, i64)> {
        let rows = self.people_rows(l, limit).await?;
        let (total,): (i64,) = on_pool!(self, |pool| {
            let mut count = sqlx::QueryBuilder::new("select count(*) from people p where ");
            l.push_filter(&mut count);
            count.build_query_as().fetch_one(pool).await?
        });
        Ok((rows, total))
    }

    pub async fn person(&self, id: i64) -> StoreResult<Option<PersonRow>> {
        let rec: Option<PersonRecord> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {PERSON_COLS} from people p where p.id = $1"
            )))
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        rec.map(PersonRow::try_from).transpose()
    }

    /// The people with these ids, in name order (ids not found are left
    /// out).
    pub async fn people_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<PersonRow>> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let recs: Vec<PersonRecord> = on_pool!(self, |pool, d| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {PERSON_COLS} from people p where p.id in ({}) order by p.sort_key, p.id",
                d.id_set("$1")
            )))
            .bind(list)
            .fetch_all(pool)
            .await?
        });
        recs.into_iter().map(PersonRow::try_from).collect()
    }

    /// Other people with the same folded name and birth date: perhaps the
    /// same person recorded twice (two units, or before and after 2025).
    pub async fn namesakes(&self, person: i64) -> StoreResult<Vec<PersonRow>> {
        let recs: Vec<PersonRecord> = on_pool!(self, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {PERSON_COLS} from people p join people me on me.id = $1 \
                 where p.id <> me.id and p.name_folded = me.name_folded and p.birth_date = me.birth_date \
                 order by p.id"
            )))
            .bind(person)
            .fetch_all(pool)
            .await?
        });
        recs.into_iter().map(PersonRow::try_from).collect()
    }

    /// People who belonged to `unit` on `date`.
    pub async fn people_in_unit(
        &self,
        unit: UnitId,
        date: Date,
    ) -> StoreResult<Vec<(PersonRow, Option<String>)>> {
        #[derive(sqlx::FromRow)]
        struct Rec {
            #[sqlx(flatten)]
            person: PersonRecord,
            member_position: Option<String>,
        }
        let recs: Vec<Rec> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select p.id, p.full_name, p.gender, p.birth_date, p.ethnicity, p.position, p.category, m.position as member_position \
                 from person_memberships m join people p on p.id = m.person_id \
                 where m.unit_id = $1 and (m.valid_from is null or m.valid_from <= $2) \
                 and (m.valid_until is null or m.valid_until > $2) order by p.sort_key, p.id",
            )
            .bind(unit.0)
            .bind(date)
            .fetch_all(pool)
            .await?
        });
        recs.into_iter()
            .map(|r| Ok((PersonRow::try_from(r.person)?, r.member_position)))
            .collect()
    }

    /// The units a person belonged to, over time.
    pub async fn memberships(
        &self,
        person: i64,
    ) -> StoreResult<Vec<(UnitId, Option<String>, Period)>> {
        type Membership = (i64, Option<String>, Option<Date>, Option<Date>);
        let recs: Vec<Membership> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select unit_id, position, valid_from, valid_until from person_memberships where person_id = $1 order by valid_from",
            )
            .bind(person)
            .fetch_all(pool)
            .await?
        });
        recs.into_iter()
            .map(|(u, pos, f, t)| Ok((UnitId(u), pos, parse_stored(Period::new(f, t))?)))
            .collect()
    }

    pub async fn count_people(&self) -> StoreResult<i64> {
        let n: (i64,) = on_pool!(self, |pool| {
            sqlx::query_as("select count(*) from people")
                .fetch_one(pool)
                .await?
        });
        Ok(n.0)
    }
}
