-- The peers of `thidua bench run`: the same questions as thidua's sweep,
-- asked in SQL the way a competent engineer would (window functions for
-- streaks, EXISTS for initiatives and repeats), run unchanged on SQLite,
-- PostgreSQL and DuckDB. Before a query runs, the runner replaces
--   :y            the year judged (decisions on 01/03 of the next year)
--   YEAR_OF(x)    the year of a date     MONTH_OF(x)  its month
--   GREATEST(     the larger of two values
-- Each query returns the ids of the eligible people, except
-- streak_histogram, which returns (length, people).
--
-- The rules are those of docs/law.md as the engine applies them: an award's
-- achievement ends at its period's end (else the decision's year) and starts
-- at the period's start (else its end); revoked rows never count; an
-- initiative counts when it is unused, or used by the award judged for the
-- year judged.

-- name: sweep_ldtt
with first_member as (
  select person_id, min(valid_from) as d from person_memberships group by person_id
), first_year as (
  select person_id, min(y) as fy from (
    select person_id, year as y from person_ratings
    union all select person_id, year from titles where person_id is not null
    union all select person_id, year from initiatives
  ) k group by person_id
), start as (
  select p.id as person_id,
    case when fy.fy is not null and (fm.d is null or fy.fy < YEAR_OF(fm.d)) then fy.fy
         when fm.d is not null then YEAR_OF(fm.d) end as sy,
    case when fy.fy is not null and (fm.d is null or fy.fy < YEAR_OF(fm.d)) then 1
         when fm.d is not null then MONTH_OF(fm.d) end as sm
  from people p
  left join first_member fm on fm.person_id = p.id
  left join first_year fy on fy.person_id = p.id
)
select r.person_id from person_ratings r join start s on s.person_id = r.person_id
where r.year = :y and r.rating in ('HTXSNV', 'HTTNV')
  and not exists (select 1 from disciplines d where d.person_id = r.person_id and d.year = :y)
  and (s.sy is null or s.sy < :y or (s.sy = :y and 13 - s.sm >= 10))
  and not exists (select 1 from titles t where t.person_id = r.person_id and t.status = 'active'
                  and t.code = 'LAO_DONG_TIEN_TIEN' and t.year = :y)
  and not exists (select 1 from awards a where a.person_id = r.person_id and a.status = 'active'
                  and a.code = 'LAO_DONG_TIEN_TIEN'
                  and coalesce(a.period_from, a.period_to, YEAR_OF(a.decision_date)) <= :y
                  and :y <= coalesce(a.period_to, YEAR_OF(a.decision_date)))
order by 1;

-- name: sweep_cstdcs
with first_member as (
  select person_id, min(valid_from) as d from person_memberships group by person_id
), first_year as (
  select person_id, min(y) as fy from (
    select person_id, year as y from person_ratings
    union all select person_id, year from titles where person_id is not null
    union all select person_id, year from initiatives
  ) k group by person_id
), start as (
  select p.id as person_id,
    case when fy.fy is not null and (fm.d is null or fy.fy < YEAR_OF(fm.d)) then fy.fy
         when fm.d is not null then YEAR_OF(fm.d) end as sy,
    case when fy.fy is not null and (fm.d is null or fy.fy < YEAR_OF(fm.d)) then 1
         when fm.d is not null then MONTH_OF(fm.d) end as sm
  from people p
  left join first_member fm on fm.person_id = p.id
  left join first_year fy on fy.person_id = p.id
)
select r.person_id from person_ratings r join start s on s.person_id = r.person_id
where r.year = :y and r.rating in ('HTXSNV', 'HTTNV')
  and not exists (select 1 from disciplines d where d.person_id = r.person_id and d.year = :y)
  and (s.sy is null or s.sy < :y or (s.sy = :y and 13 - s.sm >= 10))
  and (r.rating = 'HTXSNV' or exists (
        select 1 from initiatives i where i.person_id = r.person_id and i.status = 'active' and i.year = :y
        and (i.used_by_code is null or (i.used_by_code = 'CHIEN_SI_THI_DUA_CO_SO'
             and (i.used_by_year is null or i.used_by_year = :y)))))
  and not exists (select 1 from titles t where t.person_id = r.person_id and t.status = 'active'
                  and t.code = 'CHIEN_SI_THI_DUA_CO_SO' and t.year = :y)
  and not exists (select 1 from awards a where a.person_id = r.person_id and a.status = 'active'
                  and a.code = 'CHIEN_SI_THI_DUA_CO_SO'
                  and coalesce(a.period_from, a.period_to, YEAR_OF(a.decision_date)) <= :y
                  and :y <= coalesce(a.period_to, YEAR_OF(a.decision_date)))
order by 1;

-- name: sweep_cstd_tinh
with held as (
  select person_id, coalesce(period_from, period_to, YEAR_OF(decision_date)) as s,
         coalesce(period_to, YEAR_OF(decision_date)) as e
  from awards where status = 'active' and code = 'CHIEN_SI_THI_DUA_TINH' and person_id is not null
  union all
  select person_id, year, year from titles
  where status = 'active' and code = 'CHIEN_SI_THI_DUA_TINH' and person_id is not null
), last_held as (
  select person_id, max(e) as e from held group by person_id
), three as (
  select person_id from titles
  where status = 'active' and code = 'CHIEN_SI_THI_DUA_CO_SO' and person_id is not null
    and year between :y - 2 and :y
  group by person_id having count(distinct year) = 3
)
select t.person_id from three t left join last_held l on l.person_id = t.person_id
where (l.e is null or l.e < :y - 2)
  and exists (select 1 from initiatives i where i.person_id = t.person_id and i.status = 'active'
              and i.year between :y - 2 and :y and i.scope in ('tinh', 'toan_quoc')
              and (i.used_by_code is null or (i.used_by_code = 'CHIEN_SI_THI_DUA_TINH'
                   and (i.used_by_year is null or i.used_by_year = :y))))
  and not exists (select 1 from held h where h.person_id = t.person_id and h.s <= :y and :y <= h.e)
order by 1;

-- name: sweep_cstd_tq
with held as (
  select person_id, coalesce(period_from, period_to, YEAR_OF(decision_date)) as s,
         coalesce(period_to, YEAR_OF(decision_date)) as e,
         case when period_from is null then 0 else 1 end as has_from,
         0 as src, decision_date as d, id
  from awards where status = 'active' and code = 'CHIEN_SI_THI_DUA_TINH' and person_id is not null
  union all
  select person_id, year, year, 0, 1, decision_date, id from titles
  where status = 'active' and code = 'CHIEN_SI_THI_DUA_TINH' and person_id is not null
), ranked as (
  select person_id, s, e, has_from,
         row_number() over (partition by person_id order by e desc, src, d, id) as rn
  from held
), chain as (
  select a.person_id, b.s as from_year
  from ranked a join ranked b on b.person_id = a.person_id and b.rn = 2
  where a.rn = 1 and a.e = :y
    and b.e = a.s - case when a.has_from = 1 then 1 else 3 end
)
select c.person_id from chain c
where exists (select 1 from initiatives i where i.person_id = c.person_id and i.status = 'active'
              and i.year between c.from_year and :y and i.scope = 'toan_quoc'
              and (i.used_by_code is null or (i.used_by_code = 'CHIEN_SI_THI_DUA_TOAN_QUOC'
                   and (i.used_by_year is null or i.used_by_year = :y))))
  and not exists (select 1 from awards a where a.person_id = c.person_id and a.status = 'active'
                  and a.code = 'CHIEN_SI_THI_DUA_TOAN_QUOC'
                  and coalesce(a.period_from, a.period_to, YEAR_OF(a.decision_date)) <= :y
                  and :y <= coalesce(a.period_to, YEAR_OF(a.decision_date)))
  and not exists (select 1 from titles t where t.person_id = c.person_id and t.status = 'active'
                  and t.code = 'CHIEN_SI_THI_DUA_TOAN_QUOC' and t.year = :y)
order by 1;

-- name: sweep_bk_tinh
with two as (
  select person_id from titles
  where status = 'active' and code = 'CHIEN_SI_THI_DUA_CO_SO' and person_id is not null
    and year between :y - 1 and :y
  group by person_id having count(distinct year) = 2
), excellent as (
  select r.person_id from person_ratings r
  where r.rating = 'HTXSNV' and r.year between :y - 1 and :y
  group by r.person_id having count(*) = 2
), by_initiatives as (
  select e.person_id from excellent e
  where (select count(*) from initiatives i where i.person_id = e.person_id and i.status = 'active'
         and i.year between :y - 1 and :y
         and (i.used_by_code is null or (i.used_by_code = 'BANG_KHEN_TINH'
              and (i.used_by_year is null or i.used_by_year = :y)))) >= 2
), candidates as (
  select person_id from two union select person_id from by_initiatives
)
select c.person_id from candidates c
where not exists (select 1 from awards a where a.person_id = c.person_id and a.status = 'active'
                  and a.code = 'BANG_KHEN_TINH'
                  and coalesce(a.period_from, a.period_to, YEAR_OF(a.decision_date)) <= :y
                  and :y <= coalesce(a.period_to, YEAR_OF(a.decision_date)))
  and not exists (select 1 from titles t where t.person_id = c.person_id and t.status = 'active'
                  and t.code = 'BANG_KHEN_TINH' and t.year = :y)
order by 1;

-- name: sweep_bk_ttg
with held as (
  select person_id, code, coalesce(period_from, period_to, YEAR_OF(decision_date)) as s,
         coalesce(period_to, YEAR_OF(decision_date)) as e
  from awards where status = 'active' and code in ('BANG_KHEN_TINH', 'BANG_KHEN_THU_TUONG')
    and person_id is not null
  union all
  select person_id, code, year, year from titles where status = 'active'
    and code in ('BANG_KHEN_TINH', 'BANG_KHEN_THU_TUONG') and person_id is not null
), base as (
  select person_id,
         max(case when code = 'BANG_KHEN_TINH' then e end) as base_e,
         max(case when code = 'BANG_KHEN_THU_TUONG' then e end) as prev_e
  from held group by person_id
), since as (
  select person_id, GREATEST(base_e, coalesce(prev_e, base_e)) + 1 as start_year
  from base where base_e is not null
), good as (
  select r.person_id, r.year,
         r.year - row_number() over (partition by r.person_id order by r.year) as island
  from person_ratings r join since s on s.person_id = r.person_id
  where r.rating in ('HTXSNV', 'HTTNV') and r.year between s.start_year and :y
), run as (
  select person_id, min(year) as first_year from good
  group by person_id, island having max(year) = :y and count(*) >= 5
)
select u.person_id from run u
where (select count(*) from titles t where t.person_id = u.person_id and t.status = 'active'
       and t.code = 'CHIEN_SI_THI_DUA_CO_SO' and t.year between u.first_year and :y) >= 3
  and not exists (select 1 from held h where h.person_id = u.person_id
                  and h.code = 'BANG_KHEN_THU_TUONG' and h.s <= :y and :y <= h.e)
order by 1;

-- name: sweep_hcld3
with held as (
  select person_id, code, coalesce(period_from, period_to, YEAR_OF(decision_date)) as s,
         coalesce(period_to, YEAR_OF(decision_date)) as e
  from awards where status = 'active'
    and code in ('BANG_KHEN_THU_TUONG', 'HUAN_CHUONG_LAO_DONG_HANG_BA') and person_id is not null
  union all
  select person_id, code, year, year from titles where status = 'active'
    and code in ('BANG_KHEN_THU_TUONG', 'HUAN_CHUONG_LAO_DONG_HANG_BA') and person_id is not null
), base as (
  select person_id,
         max(case when code = 'BANG_KHEN_THU_TUONG' then e end) as base_e,
         max(case when code = 'HUAN_CHUONG_LAO_DONG_HANG_BA' then e end) as prev_e
  from held group by person_id
), since as (
  select person_id, GREATEST(base_e, coalesce(prev_e, base_e)) + 1 as start_year
  from base where base_e is not null
), good as (
  select r.person_id, r.year,
         r.year - row_number() over (partition by r.person_id order by r.year) as island
  from person_ratings r join since s on s.person_id = r.person_id
  where r.rating in ('HTXSNV', 'HTTNV') and r.year between s.start_year and :y
), run as (
  select person_id, min(year) as first_year from good
  group by person_id, island having max(year) = :y and count(*) >= 5
)
select u.person_id from run u
where (select count(*) from titles t where t.person_id = u.person_id and t.status = 'active'
       and t.code = 'CHIEN_SI_THI_DUA_CO_SO' and t.year between u.first_year and :y) >= 3
  and (select count(*) from person_ratings r where r.person_id = u.person_id
       and r.rating = 'HTXSNV' and r.year between u.first_year and :y) >= 1
  and not exists (select 1 from held h where h.person_id = u.person_id
                  and h.code = 'HUAN_CHUONG_LAO_DONG_HANG_BA' and h.s <= :y and :y <= h.e)
order by 1;

-- name: streak_histogram
with t as (
  select person_id, year,
         year - row_number() over (partition by person_id order by year) as island
  from titles
  where status = 'active' and code = 'CHIEN_SI_THI_DUA_CO_SO' and person_id is not null
    and year <= :y
), runs as (
  select person_id, count(*) as n from t group by person_id, island having max(year) = :y
)
select case when n > 60 then 60 else n end as len, count(*) as people from runs group by 1 order by 1;
