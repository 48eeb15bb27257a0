-- Decisions (quyết định khen thưởng) as records of their own: issuer,
-- number in the issuer's yearly sequence, signer, grounds; corrections and
-- revocations point at the decision they change. The base salary's history
-- prices each line's bonus; the administrators' document templates are
-- kept with every version. Awards learn their decision, achievement,
-- bonus and the unit their subject belonged to when awarded (for the
-- registry's unit filters), and which later line superseded them.

create table decisions (
    id integer primary key,
    kind text not null check (kind in ('award', 'correction', 'revocation')),
    -- The authority in words ("Chủ tịch Ủy ban nhân dân tỉnh"), with the
    -- unit whose head it is: together the key of the number sequence.
    issuer text not null,
    issuer_unit_id integer references org_units (id),
    number text not null,
    year integer not null check (year between 1945 and 2100),
    serial integer,
    decision_date date not null,
    signer text not null default '',
    signer_title text not null default '',
    grounds text not null default '',
    proposer text not null default '',
    award_code text,
    refers_to integer references decisions (id),
    reason text,
    dossier_id integer references dossiers (id),
    base_salary_vnd integer,
    created_by text not null,
    created_at text not null,
    check (kind = 'award' or refers_to is not null)
);
create unique index decisions_issuer_number on decisions (issuer, coalesce(issuer_unit_id, 0), year, number);
create index decisions_date on decisions (decision_date);
create index decisions_dossier on decisions (dossier_id);

create table base_salaries (
    valid_from date primary key,
    amount_vnd integer not null check (amount_vnd > 0),
    source text not null,
    confirmed boolean not null default false,
    set_by text not null,
    set_at text not null
);

create table document_templates (
    id integer primary key,
    kind text not null check (kind in ('decision', 'certificate', 'revocation', 'correction')),
    body text not null,
    created_by text not null,
    created_at text not null
);
create index document_templates_kind on document_templates (kind, id);

alter table awards add column decision_id integer references decisions (id);
alter table awards add column achievement text;
alter table awards add column bonus_vnd integer;
alter table awards add column subject_unit_id integer references org_units (id);
alter table awards add column superseded_by integer references awards (id);
alter table awards add column revoked_by integer references decisions (id);
alter table titles add column subject_unit_id integer references org_units (id);

-- The unit a person belonged to on the decision day (a collective is its own).
update awards set subject_unit_id = coalesce(unit_id, (
    select m.unit_id from person_memberships m where m.person_id = awards.person_id
      and (m.valid_from is null or m.valid_from <= awards.decision_date)
      and (m.valid_until is null or m.valid_until > awards.decision_date)
    order by m.valid_from desc limit 1));
update titles set subject_unit_id = coalesce(unit_id, (
    select m.unit_id from person_memberships m where m.person_id = titles.person_id
      and (m.valid_from is null or titles.decision_date is null or m.valid_from <= titles.decision_date)
    order by m.valid_from desc limit 1));

create index awards_decision on awards (decision_id);
create index awards_code_date on awards (code, decision_date);
create index awards_date on awards (decision_date);
create index awards_subject_unit on awards (subject_unit_id, decision_date);
create index titles_subject_unit on titles (subject_unit_id, year);
create index titles_code_year on titles (code, year);

-- The words of people's folded names: the vocabulary a mistyped search
-- term is corrected against (a few thousand syllables, kept by the store).
create table name_words (
    word text primary key
);

-- Công nhân, nông dân, người lao động trực tiếp: the grassroots groups the
-- law asks statistics to count apart.
alter table people add column grassroots text check (grassroots in ('worker', 'farmer', 'direct_labourer'));

-- The issuers the registry names (a handful), kept as awards are written,
-- so that an issuer filter never scans the awards.
create table award_issuers (
    name text primary key
);
insert into award_issuers (name) select distinct issuer from awards where issuer is not null;
