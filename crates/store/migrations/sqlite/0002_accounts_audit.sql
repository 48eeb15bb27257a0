-- Accounts (tài khoản), sessions, API tokens and the append-only audit log.

create table users (
    id integer primary key,
    login text not null unique,
    full_name text not null,
    role text not null check (role in ('admin', 'province_officer', 'unit_officer', 'council_member', 'leader', 'viewer')),
    unit_id integer references org_units (id),
    password_hash text not null,
    active boolean not null default true,
    failed_logins integer not null default 0,
    locked_until text,
    created_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Only the SHA-256 of a session cookie or token is stored: a copy of the
-- database does not let anyone log in.
create table sessions (
    id_hash text primary key,
    user_id integer not null references users (id) on delete cascade,
    csrf_token text not null,
    created_at text not null,
    expires_at text not null,
    ip text
);
create index sessions_user on sessions (user_id);

create table api_tokens (
    id integer primary key,
    user_id integer not null references users (id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    created_at text not null,
    revoked_at text
);

-- Each entry carries the hash of the previous one; `thidua audit verify`
-- recomputes the chain. Every column is text or integer so that what is
-- hashed is exactly what is stored, on both engines.
create table audit_log (
    id integer primary key,
    at text not null,
    actor_id integer,
    actor_login text not null,
    ip text,
    action text not null,
    object_type text not null,
    object_id text,
    before_json text,
    after_json text,
    prev_hash text not null,
    hash text not null unique
);
create index audit_log_object on audit_log (object_type, object_id);
create index audit_log_actor on audit_log (actor_login);

create trigger audit_log_no_update before update on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
create trigger audit_log_no_delete before delete on audit_log
begin
    select raise(abort, 'audit_log is append-only');
end;
