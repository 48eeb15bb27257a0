-- The award catalogue (danh mục danh hiệu thi đua, hình thức khen thưởng),
-- the registry the eligibility engine reads (ratings, titles, awards,
-- initiatives, discipline) and the annual title review (bình xét).
-- Timestamps are text in UTC, set by the application.

-- One row per code and effective date: an edit is a new version, so a
-- decision of 2023 is read against the entry of its time.
create table award_catalogue (
    id integer primary key,
    code text not null,
    effective_from date not null,
    name text not null,
    category text not null check (category in ('title', 'form')),
    subjects text not null,
    authority text not null,
    level text not null check (level in ('co_so', 'tinh', 'nha_nuoc')),
    award_types text not null,
    bonus_multiple double precision check (bonus_multiple is null or bonus_multiple >= 0),
    bonus_confirmed boolean not null default false,
    article text,
    note text,
    created_by text not null,
    created_at text not null,
    unique (code, effective_from)
);

-- Quotas the province sets for the annual review, e.g. CSTĐCS at most a
-- share of the LĐTT count (none by default: docs/law.md §2.2).
create table award_quotas (
    code text primary key,
    max_percent double precision not null check (max_percent > 0 and max_percent <= 100),
    of_code text,
    source text not null,
    set_by text not null,
    set_at text not null
);

-- Mức độ hoàn thành nhiệm vụ: one rating per person-year.
create table person_ratings (
    person_id integer not null references people (id) on delete cascade,
    year integer not null check (year between 1945 and 2100),
    rating text not null check (rating in ('HTXSNV', 'HTTNV', 'HTNV', 'KHTNV')),
    unit_id integer references org_units (id),
    recorded_by text not null,
    recorded_at text not null,
    primary key (person_id, year)
);

-- Annual emulation titles (LĐTT, CSTĐCS, Tập thể LĐTT/LĐXS): one per
-- subject-year. The subject is a person or a unit (a collective).
create table titles (
    id integer primary key,
    person_id integer references people (id) on delete cascade,
    unit_id integer references org_units (id),
    year integer not null check (year between 1945 and 2100),
    code text not null,
    decision_number text,
    decision_date date,
    decided_by_unit_id integer references org_units (id),
    review_id integer,
    status text not null default 'active' check (status in ('active', 'revoked')),
    revoked_date date,
    revocation_ground text,
    created_at text not null,
    check ((person_id is null) <> (unit_id is null))
);
create unique index titles_person_year on titles (person_id, year) where person_id is not null;
create unique index titles_unit_year on titles (unit_id, year) where unit_id is not null;

-- Forms and multi-year titles (Bằng khen, Huân chương, CSTĐ tỉnh, Cờ…),
-- each with the achievement period its decision names (ND 98 Điều 30 k9).
create table awards (
    id integer primary key,
    person_id integer references people (id) on delete cascade,
    unit_id integer references org_units (id),
    code text not null,
    award_type text not null default 'regular' check (award_type in ('regular', 'thematic', 'ad_hoc', 'dedication', 'seniority', 'foreign')),
    decision_number text,
    decision_date date not null,
    issuer text,
    period_from integer,
    period_to integer,
    movement_id integer references movements (id),
    status text not null default 'active' check (status in ('active', 'revoked')),
    revoked_date date,
    revocation_ground text,
    created_at text not null,
    check ((person_id is null) <> (unit_id is null)),
    check (period_from is null or period_to is null or period_from <= period_to)
);
create index awards_person on awards (person_id);
create index awards_unit on awards (unit_id);

-- Sáng kiến, with the scope that recognised it and the award it was used for.
create table initiatives (
    id integer primary key,
    person_id integer not null references people (id) on delete cascade,
    year integer not null check (year between 1945 and 2100),
    name text not null,
    scope text not null check (scope in ('co_so', 'tinh', 'toan_quoc')),
    recognised_by text,
    recognised_date date,
    used_by_code text,
    used_by_year integer,
    status text not null default 'active' check (status in ('active', 'revoked')),
    created_at text not null
);
create index initiatives_person on initiatives (person_id);

create table disciplines (
    id integer primary key,
    person_id integer not null references people (id) on delete cascade,
    year integer not null check (year between 1945 and 2100),
    level text not null check (level in ('khien_trach', 'canh_cao', 'ha_bac_luong', 'cach_chuc', 'buoc_thoi_viec')),
    decision_number text,
    decided_on date,
    created_at text not null
);
create index disciplines_person on disciplines (person_id);

-- Bình xét: one review per unit and year; open until its list is produced.
create table title_reviews (
    id integer primary key,
    unit_id integer not null references org_units (id),
    year integer not null check (year between 1945 and 2100),
    status text not null default 'open' check (status in ('open', 'closed')),
    -- The unit's own rating for the year (mức độ hoàn thành nhiệm vụ).
    unit_rating text check (unit_rating in ('HTXSNV', 'HTTNV', 'HTNV', 'KHTNV')),
    decision_number text,
    decision_date date,
    created_by text not null,
    created_at text not null,
    closed_at text,
    unique (unit_id, year)
);

-- One line per member, plus one for the unit itself (person_id null).
-- `verdict` is the engine's verdict JSON when the line was last checked.
create table title_review_lines (
    id integer primary key,
    review_id integer not null references title_reviews (id) on delete cascade,
    person_id integer references people (id),
    proposed text,
    outcome text check (outcome in ('eligible', 'not_eligible', 'needs_review')),
    verdict text,
    decision text not null default 'pending' check (decision in ('pending', 'accepted', 'overridden', 'dropped')),
    reason text,
    decided_by text,
    decided_at text
);
create unique index title_review_lines_person on title_review_lines (review_id, person_id) where person_id is not null;
create unique index title_review_lines_unit on title_review_lines (review_id) where person_id is null;
