-- Nomination dossiers (hồ sơ đề nghị khen thưởng) and their path: lines per
-- subject, files, the timeline, council votes, public feedback; the
-- working-day calendar's overrides, the procedure's limits, and in-app
-- notifications with an outbox for e-mail/SMS.
-- Timestamps are text in UTC, set by the application.

create table dossiers (
    id integer primary key,
    unit_id integer not null references org_units (id),
    award_type text not null check (award_type in ('regular', 'thematic', 'ad_hoc', 'dedication', 'seniority', 'foreign')),
    movement_id integer references movements (id),
    title text not null,
    state text not null check (state in ('draft', 'submitted', 'received', 'under_appraisal', 'returned', 'posted',
        'council_review', 'pending_approval', 'approved', 'decided', 'forwarded', 'rejected', 'withdrawn')),
    -- Optimistic locking: every change names the version it read.
    version integer not null default 1,
    letter_number text,
    letter_date date,
    letter_signer text,
    receipt_number text,
    posted_from date,
    posted_until date,
    decision_number text,
    decision_date date,
    decision_signer text,
    decision_issuer text,
    forward_number text,
    forward_date date,
    reason text,
    created_by text not null,
    created_at text not null,
    updated_at text not null
);
create index dossiers_unit on dossiers (unit_id);
create index dossiers_state on dossiers (state);

-- One subject per line: a person or a collective, with the form proposed
-- and the engine's verdict at submission (re-checked on demand).
create table dossier_lines (
    id integer primary key,
    dossier_id integer not null references dossiers (id) on delete cascade,
    person_id integer references people (id),
    unit_id integer references org_units (id),
    code text not null,
    period_from integer not null check (period_from between 1945 and 2100),
    period_to integer not null check (period_to between 1945 and 2100),
    summary text not null default '',
    outcome text check (outcome in ('eligible', 'not_eligible', 'needs_review')),
    verdict text,
    checked_on date,
    override_reason text,
    status text not null default 'proposed' check (status in ('proposed', 'needs_completion', 'excluded',
        'council_passed', 'council_failed', 'awarded', 'not_awarded')),
    note text,
    tally text,
    check ((person_id is null) <> (unit_id is null)),
    check (period_from <= period_to)
);
create index dossier_lines_dossier on dossier_lines (dossier_id);
create index dossier_lines_person on dossier_lines (person_id);
create index dossier_lines_unit on dossier_lines (unit_id);

create table dossier_files (
    id integer primary key,
    dossier_id integer not null references dossiers (id) on delete cascade,
    line_id integer references dossier_lines (id) on delete cascade,
    kind text not null check (kind in ('letter', 'report', 'minutes', 'other')),
    file_name text not null,
    content_type text not null,
    size integer not null,
    sha256 text not null,
    content blob not null,
    uploaded_by text not null,
    uploaded_at text not null
);
create index dossier_files_dossier on dossier_files (dossier_id);

-- The timeline: one row per step taken (and per edit), never changed.
create table dossier_events (
    id integer primary key,
    dossier_id integer not null references dossiers (id) on delete cascade,
    at text not null,
    on_day date not null,
    login text not null,
    action text not null,
    from_state text,
    to_state text,
    note text
);
create index dossier_events_dossier on dossier_events (dossier_id, id);

create table council_votes (
    line_id integer not null references dossier_lines (id) on delete cascade,
    dossier_id integer not null references dossiers (id) on delete cascade,
    user_id integer not null references users (id),
    vote text not null check (vote in ('agree', 'disagree', 'abstain')),
    voted_at text not null,
    primary key (line_id, user_id)
);

-- Ý kiến của nhân dân on a posted dossier. The address is kept only as a
-- hash, enough to limit and to spot a flood.
create table public_feedback (
    id integer primary key,
    dossier_id integer not null references dossiers (id) on delete cascade,
    line_id integer references dossier_lines (id) on delete cascade,
    name text not null,
    contact text not null,
    body text not null,
    address_hash text not null,
    received_at text not null
);
create index public_feedback_dossier on public_feedback (dossier_id);

create table calendar_overrides (
    day date primary key,
    off boolean not null,
    name text not null,
    set_by text not null,
    set_at text not null
);

create table procedure_settings (
    key text primary key,
    value integer not null check (value >= 0),
    set_by text not null,
    set_at text not null
);

create table notifications (
    id integer primary key,
    user_id integer not null references users (id),
    dossier_id integer references dossiers (id) on delete cascade,
    kind text not null check (kind in ('returned', 'posted', 'voted', 'decided', 'overdue', 'submitted', 'rejected', 'pending')),
    message text not null,
    -- Set for notices that must not repeat (an overdue step).
    dedup_key text,
    created_at text not null,
    read_at text
);
create index notifications_user on notifications (user_id, id);
create unique index notifications_once on notifications (user_id, dedup_key) where dedup_key is not null;

-- Messages waiting for an e-mail/SMS gateway; a sender marks them sent.
create table outbox (
    id integer primary key,
    notification_id integer not null references notifications (id),
    channel text not null check (channel in ('email', 'sms')),
    recipient text not null,
    subject text not null,
    body text not null,
    created_at text not null,
    sent_at text
);
