-- Emulation movements (phong trào thi đua), their indicators (chỉ tiêu),
-- the values units enter and the province approves, registrations
-- (đăng ký thi đua), and twinning / support programmes (kết nghĩa).
-- Timestamps are text in UTC (yyyy-mm-ddThh:mm:ssZ), set by the application.

create table movements (
    id integer primary key,
    code text not null unique,
    name text not null,
    kind text not null check (kind in ('regular', 'thematic', 'campaign')),
    level text not null check (level in ('prime_minister', 'ministry', 'province', 'district_legacy', 'commune', 'agency')),
    authority_unit_id integer references org_units (id),
    doc_number text,
    doc_date date,
    doc_signer text,
    theme text,
    start_date date not null,
    end_date date,
    registration_deadline date,
    parent_id integer references movements (id),
    target_collectives text not null default '[]',
    target_individuals text not null default '[]',
    content_areas text not null default '[]',
    award_forms text not null default '[]',
    status text not null default 'draft' check (status in ('draft', 'launched', 'running', 'interim_review', 'final_review', 'closed')),
    created_at text not null,
    check (end_date is null or end_date >= start_date)
);
create index movements_parent on movements (parent_id);

-- The launching document's file (kế hoạch, quyết định phát động).
create table movement_files (
    id integer primary key,
    movement_id integer not null references movements (id) on delete cascade,
    file_name text not null,
    content_type text not null,
    content blob not null,
    uploaded_by text not null,
    uploaded_at text not null
);
create index movement_files_movement on movement_files (movement_id);

-- Sơ kết / tổng kết, each with its date and report.
create table movement_reviews (
    id integer primary key,
    movement_id integer not null references movements (id) on delete cascade,
    kind text not null check (kind in ('interim', 'final')),
    held_on date not null,
    doc_number text,
    report text not null,
    created_by text not null,
    created_at text not null
);
create index movement_reviews_movement on movement_reviews (movement_id);

-- The definition is the domain's IndicatorDef as JSON; code is copied out
-- for uniqueness and lookups.
create table indicators (
    id integer primary key,
    movement_id integer not null references movements (id) on delete cascade,
    position integer not null,
    code text not null,
    definition text not null,
    unique (movement_id, code)
);

-- One current row per indicator, unit and period; every change also goes
-- to indicator_value_history.
create table indicator_values (
    id integer primary key,
    indicator_id integer not null references indicators (id) on delete cascade,
    unit_id integer not null references org_units (id),
    period text not null,
    period_end date not null,
    value real not null,
    status text not null check (status in ('submitted', 'approved', 'returned')),
    note text,
    version integer not null default 1,
    entered_by text not null,
    entered_at text not null,
    decided_by text,
    decided_at text,
    unique (indicator_id, unit_id, period)
);
create index indicator_values_end on indicator_values (indicator_id, period_end);
create index indicator_values_unit on indicator_values (unit_id);

create table indicator_value_history (
    id integer primary key,
    value_id integer not null references indicator_values (id) on delete cascade,
    version integer not null,
    action text not null check (action in ('enter', 'approve', 'return', 'reopen')),
    value real not null,
    status text not null,
    reason text,
    by_login text not null,
    at text not null
);
create index indicator_value_history_value on indicator_value_history (value_id);

create table registrations (
    id integer primary key,
    movement_id integer not null references movements (id) on delete cascade,
    unit_id integer references org_units (id),
    person_id integer references people (id),
    registered_on date not null,
    pledges text,
    registered_by text not null,
    check ((unit_id is null) <> (person_id is null)),
    unique (movement_id, unit_id),
    unique (movement_id, person_id)
);

create table registration_targets (
    registration_id integer not null references registrations (id) on delete cascade,
    indicator_id integer not null references indicators (id) on delete cascade,
    target real not null,
    primary key (registration_id, indicator_id)
);

-- Kết nghĩa: an organisation paired with a village (thôn, bon, buôn) or a household.
create table twinning_pairs (
    id integer primary key,
    movement_id integer not null references movements (id) on delete cascade,
    org_unit_id integer not null references org_units (id),
    village_unit_id integer references org_units (id),
    household text,
    since date not null,
    until date,
    note text,
    check ((village_unit_id is null) <> (household is null))
);
create index twinning_pairs_movement on twinning_pairs (movement_id);

create table twinning_activities (
    id integer primary key,
    pair_id integer not null references twinning_pairs (id) on delete cascade,
    held_on date not null,
    visits integer not null default 0 check (visits >= 0),
    people integer not null default 0 check (people >= 0),
    money_vnd real not null default 0 check (money_vnd >= 0),
    in_kind_vnd real not null default 0 check (in_kind_vnd >= 0),
    houses_built integer not null default 0 check (houses_built >= 0),
    houses_repaired integer not null default 0 check (houses_repaired >= 0),
    note text,
    created_by text not null
);
create index twinning_activities_pair on twinning_activities (pair_id);

-- Value imports look units up by code without a code list; the primary key
-- (code_list, code) cannot serve that.
create index org_unit_codes_code on org_unit_codes (code);
