-- Organisation registry (đơn vị): units, their codes, names over time,
-- parent links over time, and reorganisation events.
-- Periods are half-open: valid_from inclusive, valid_until exclusive; NULL
-- means "since before our records" / "still valid".

create table org_units (
    id integer primary key,
    code text not null,
    code_list text not null check (code_list in ('legacy', '2025', 'local')),
    kind text not null check (kind in ('province', 'district', 'commune', 'party_agency',
        'state_agency', 'public_service', 'enterprise', 'association', 'armed_forces', 'village')),
    admin_type text,
    name text not null,
    short_name text,
    name_folded text not null,
    valid_from date,
    valid_until date,
    official_key text unique,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    check (valid_from is null or valid_until is null or valid_until > valid_from)
);
create index org_units_code on org_units (code);
create index org_units_kind on org_units (kind);

create table org_unit_codes (
    unit_id integer not null references org_units (id) on delete cascade,
    code_list text not null check (code_list in ('legacy', '2025', 'local')),
    code text not null,
    primary key (code_list, code)
);
create index org_unit_codes_unit on org_unit_codes (unit_id);

-- Earlier names of a unit (a rename keeps the unit and closes its old name).
create table org_unit_names (
    unit_id integer not null references org_units (id) on delete cascade,
    name text not null,
    short_name text,
    valid_from date,
    valid_until date not null,
    primary key (unit_id, valid_until)
);

create table org_links (
    id integer primary key,
    child_id integer not null references org_units (id) on delete cascade,
    parent_id integer not null references org_units (id) on delete cascade,
    valid_from date,
    valid_until date,
    check (child_id <> parent_id),
    check (valid_from is null or valid_until is null or valid_until > valid_from)
);
create index org_links_parent on org_links (parent_id);
create index org_links_child on org_links (child_id);

create table reorg_events (
    id integer primary key,
    kind text not null check (kind in ('establish', 'merge', 'split', 'transform', 'rename', 'reparent', 'dissolve')),
    effective date not null,
    natural_key text unique,
    document text,
    note text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

create table reorg_event_units (
    event_id integer not null references reorg_events (id) on delete cascade,
    unit_id integer not null references org_units (id) on delete cascade,
    role text not null check (role in ('predecessor', 'successor')),
    partial boolean not null default false,
    is_primary boolean not null default false,
    primary key (event_id, unit_id, role)
);
create index reorg_event_units_unit on reorg_event_units (unit_id);

-- People (cá nhân) and their membership of units over time.
create table people (
    id integer primary key,
    full_name text not null,
    name_folded text not null,
    sort_key text not null,
    gender text check (gender in ('male', 'female')),
    birth_date date,
    ethnicity text,
    id_number text unique,
    position text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
create index people_sort on people (sort_key);

create table person_memberships (
    id integer primary key,
    person_id integer not null references people (id) on delete cascade,
    unit_id integer not null references org_units (id),
    position text,
    valid_from date,
    valid_until date,
    check (valid_from is null or valid_until is null or valid_until > valid_from)
);
create index person_memberships_person on person_memberships (person_id);
create index person_memberships_unit on person_memberships (unit_id);
