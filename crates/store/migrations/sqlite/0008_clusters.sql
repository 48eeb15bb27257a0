-- Khối, cụm thi đua: a province groups its agencies (khối) or localities
-- (cụm) for one year, with a head and a deputy, a covenant (giao ước), a
-- scoring sheet kept with every version, and the members' scores by stage
-- (self, head, final), each save a new version. Once the cluster's year is
-- finalised, a score changes only by a new audited final version.

create table emulation_clusters (
    id integer primary key,
    code text not null,
    year integer not null check (year between 1945 and 2100),
    name text not null,
    kind text not null check (kind in ('block', 'cluster')),
    authority_unit_id integer not null references org_units (id),
    council_member_id integer references users (id),
    covenant text not null default '',
    -- How many leaders the cluster proposes for the province's flag.
    flag_count integer not null default 1 check (flag_count >= 0),
    -- Self and head scores further apart than this (hundredths) are flagged.
    disagreement_threshold integer not null default 200 check (disagreement_threshold >= 0),
    finalised_at text,
    finalised_by text,
    created_at text not null,
    unique (code, year)
);

create table cluster_members (
    cluster_id integer not null references emulation_clusters (id) on delete cascade,
    unit_id integer not null references org_units (id),
    role text not null default 'member' check (role in ('head', 'deputy', 'member')),
    primary key (cluster_id, unit_id)
);
create index cluster_members_unit on cluster_members (unit_id);

create table cluster_sheets (
    id integer primary key,
    cluster_id integer not null references emulation_clusters (id) on delete cascade,
    version integer not null check (version >= 1),
    body text not null,
    created_by text not null,
    created_at text not null,
    unique (cluster_id, version)
);

create table cluster_scores (
    id integer primary key,
    cluster_id integer not null references emulation_clusters (id) on delete cascade,
    unit_id integer not null references org_units (id),
    stage text not null check (stage in ('self', 'head', 'final')),
    version integer not null check (version >= 1),
    sheet_version integer not null,
    entries text not null,
    scorecard text not null,
    total integer not null,
    reason text,
    created_by text not null,
    created_at text not null,
    unique (cluster_id, unit_id, stage, version)
);
