-- Which people's registry changed, in order: the sweep's in-memory
-- snapshot (and every other app server's) reads what follows its mark and
-- re-reads those people, whatever path wrote. Triggers, so that no write
-- can forget it; `thidua bench generate` drops them for its bulk load and
-- puts them back.
create table registry_changes (
    seq bigserial primary key,
    person_id bigint not null
);
create function registry_touch() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' and old.person_id is not null then
        insert into registry_changes (person_id) values (old.person_id);
    end if;
    if tg_op <> 'DELETE' and new.person_id is not null
        and (tg_op = 'INSERT' or new.person_id is distinct from old.person_id) then
        insert into registry_changes (person_id) values (new.person_id);
    end if;
    return null;
end $$;
create function registry_touch_person() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        insert into registry_changes (person_id) values (old.id);
    else
        insert into registry_changes (person_id) values (new.id);
    end if;
    return null;
end $$;
create trigger registry_changes after insert or update or delete on person_ratings for each row execute function registry_touch();
create trigger registry_changes after insert or update or delete on titles for each row execute function registry_touch();
create trigger registry_changes after insert or update or delete on awards for each row execute function registry_touch();
create trigger registry_changes after insert or update or delete on initiatives for each row execute function registry_touch();
create trigger registry_changes after insert or update or delete on disciplines for each row execute function registry_touch();
create trigger registry_changes after insert or update or delete on person_memberships for each row execute function registry_touch();
create trigger registry_changes after insert or delete or update of full_name, name_folded on people for each row execute function registry_touch_person();
