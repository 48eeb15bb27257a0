-- Điển hình tiên tiến: the exemplary people and collectives a movement
-- brings out, the conferences that honour them (hội nghị điển hình tiên
-- tiến, đại hội thi đua yêu nước), and which of them the province publishes
-- as good examples on its public page.

create table honour_events (
    id integer primary key,
    kind text not null check (kind in ('exemplary_conference', 'patriotic_congress', 'ceremony')),
    name text not null,
    held_on date not null,
    organiser_unit_id integer not null references org_units (id),
    movement_id integer references movements (id),
    created_at text not null
);
create index honour_events_organiser on honour_events (organiser_unit_id);

create table exemplary_models (
    id integer primary key,
    kind text not null check (kind in ('advanced', 'good_deeds', 'model')),
    person_id integer references people (id),
    unit_id integer references org_units (id),
    -- The unit the record belongs to (the person's unit on the day, or the
    -- collective itself): scope and lists go by it.
    home_unit_id integer not null references org_units (id),
    movement_id integer references movements (id),
    year integer not null check (year between 1945 and 2100),
    deeds text not null,
    honoured_by text,
    event_id integer references honour_events (id),
    published boolean not null default false,
    created_at text not null,
    check ((person_id is null) <> (unit_id is null))
);
create index exemplary_models_home on exemplary_models (home_unit_id);
create index exemplary_models_event on exemplary_models (event_id);
