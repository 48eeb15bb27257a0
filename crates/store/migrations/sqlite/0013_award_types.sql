-- Awards of every type and issuer: a decision records the office that
-- issued it (its authority word: chu_tich_ubnd_tinh, thu_truong_co_quan…);
-- achievements recorded at a movement's review (sơ kết, tổng kết) are
-- turned into thematic dossier lines and marked used by the award;
-- findings re-check an award (Điều 93); flags mark the awards whose
-- verdict rested on one later revoked or found wanting. Templates learn
-- the central decision (Thủ tướng, Chủ tịch nước).

alter table decisions add column issuer_kind text;

create table document_templates_new (
    id integer primary key,
    kind text not null check (kind in ('decision', 'certificate', 'revocation', 'correction', 'central_decision')),
    body text not null,
    created_by text not null,
    created_at text not null
);
insert into document_templates_new (id, kind, body, created_by, created_at)
    select id, kind, body, created_by, created_at from document_templates;
drop table document_templates;
alter table document_templates_new rename to document_templates;
create index document_templates_kind on document_templates (kind, id);

create table achievements (
    id integer primary key,
    movement_id integer not null references movements (id),
    review_id integer references movement_reviews (id),
    person_id integer references people (id),
    unit_id integer references org_units (id),
    -- The unit whose officers see it (the person's unit, or the collective).
    home_unit_id integer not null references org_units (id),
    period_from integer not null check (period_from between 1945 and 2100),
    period_to integer not null check (period_to between 1945 and 2100),
    outstanding boolean not null default false,
    summary text not null,
    source text not null default 'entered' check (source in ('entered', 'indicator')),
    created_by text not null,
    created_at text not null,
    check ((person_id is null) <> (unit_id is null)),
    check (period_from <= period_to)
);
create index achievements_movement on achievements (movement_id);

alter table dossier_lines add column achievement_id integer references achievements (id);

create table award_findings (
    id integer primary key,
    award_id integer not null references awards (id),
    year integer not null check (year between 1945 and 2100),
    ground text not null check (ground in ('cheated', 'false_documents', 'procedure_violated', 'criteria_not_met')),
    document text not null,
    note text not null default '',
    created_by text not null,
    created_at text not null
);
create index award_findings_award on award_findings (award_id);

create table award_flags (
    id integer primary key,
    award_id integer not null references awards (id),
    cause text not null check (cause in ('rests_on_revoked', 'finding')),
    -- The revocation decision or the finding that raised it.
    source_decision_id integer references decisions (id),
    source_finding_id integer references award_findings (id),
    message text not null,
    created_at text not null
);
create index award_flags_award on award_flags (award_id);
