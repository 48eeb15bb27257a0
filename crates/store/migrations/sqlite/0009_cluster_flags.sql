-- The flag step of khối, cụm thi đua, and what it needs:
-- * a collective's yearly rating (xếp loại tập thể), which the flags and
--   collective titles require and which units had no place for;
-- * the minutes of the cluster's year-end vote (biên bản bình xét), recorded
--   when the office finalises: leaders without it go to the council's review;
-- * evidence files a member uploads with its self-score;
-- * which leader was proposed for which flag, in which dossier, so that
--   a leader is never proposed twice for the same flag and year.

create table unit_ratings (
    unit_id integer not null references org_units (id),
    year integer not null check (year between 1945 and 2100),
    rating text not null check (rating in ('HTXSNV', 'HTTNV', 'HTNV', 'KHTNV')),
    recorded_by text not null,
    recorded_at text not null,
    primary key (unit_id, year)
);

alter table emulation_clusters add column vote_minutes text;

create table cluster_evidence (
    id integer primary key,
    cluster_id integer not null references emulation_clusters (id) on delete cascade,
    unit_id integer not null references org_units (id),
    criterion text not null,
    file_name text not null,
    content_type text not null,
    size integer not null,
    sha256 text not null,
    content blob not null,
    uploaded_by text not null,
    uploaded_at text not null
);
create index cluster_evidence_member on cluster_evidence (cluster_id, unit_id);

create table cluster_proposals (
    cluster_id integer not null references emulation_clusters (id),
    unit_id integer not null references org_units (id),
    award_code text not null check (award_code in ('CO_THI_DUA_TINH', 'CO_THI_DUA_CHINH_PHU')),
    dossier_id integer not null references dossiers (id),
    created_by text not null,
    created_at text not null,
    primary key (cluster_id, unit_id, award_code)
);
