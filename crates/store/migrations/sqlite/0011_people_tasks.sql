-- A province enters its own world: people with their category and the way
-- each membership ended, the tasks a movement's plan assigns to bodies and
-- its own criteria, the regulation a block or cluster works under and the
-- members that left it during the year, and twinning of every kind with the
-- counts the reports add up.

-- Đối tượng — cán bộ công chức, viên chức, công nhân, nông dân… (what the
-- award rules and the statistics ask); `grassroots` stays derived from it.
alter table people add column category text;
create index people_id_number on people (id_number);

-- Why a membership ended: chuyển công tác, thôi việc, nghỉ hưu.
alter table person_memberships add column end_reason text
    check (end_reason is null or end_reason in ('transfer', 'leave', 'retire'));

-- Nhiệm vụ được giao — "giao Sở Nội vụ …": one body, one task, a due day and
-- the body's report.
create table movement_tasks (
    id integer primary key,
    movement_id integer not null references movements (id) on delete cascade,
    unit_id integer not null references org_units (id),
    content text not null,
    due_date date,
    report text,
    reported_at text,
    reported_by text,
    created_at text not null
);
create index movement_tasks_movement on movement_tasks (movement_id);
create index movement_tasks_unit on movement_tasks (unit_id);

-- Tiêu chuẩn thi đua của phong trào, shown to the units that register.
alter table movements add column criteria text not null default '[]';

-- Quy chế tổ chức và hoạt động (e.g. Quyết định 589/QĐ-UBND ngày 25/5/2018).
alter table emulation_clusters add column regulation text not null default '';
-- A member merged or dissolved during the year leaves with its history.
alter table cluster_members add column left_on date;
alter table cluster_members add column left_reason text;

-- Kết nghĩa of every kind: who helps whom, and what the reports count.
alter table twinning_pairs add column kind text not null default 'org_village'
    check (kind in ('org_commune', 'org_village', 'org_household', 'person_household'));
alter table twinning_pairs add column person_id integer references people (id);
alter table twinning_activities add column beneficiaries integer not null default 0 check (beneficiaries >= 0);
alter table twinning_activities add column production_models integer not null default 0 check (production_models >= 0);
alter table twinning_activities add column households_out_of_poverty integer not null default 0 check (households_out_of_poverty >= 0);
alter table twinning_activities add column works_built integer not null default 0 check (works_built >= 0);
update twinning_pairs set kind = 'org_household' where household is not null;
