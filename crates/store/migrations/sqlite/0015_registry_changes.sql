-- Which people's registry changed, in order: the sweep's in-memory
-- snapshot (and every other app server's) reads what follows its mark and
-- re-reads those people, whatever path wrote. Triggers, so that no write
-- can forget it; `thidua bench generate` drops them for its bulk load and
-- puts them back.
create table registry_changes (
    seq integer primary key autoincrement,
    person_id integer not null
);
create trigger registry_changes_person_ratings_insert after insert on person_ratings when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_person_ratings_update after update on person_ratings when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_person_ratings_delete after delete on person_ratings when old.person_id is not null begin insert into registry_changes (person_id) values (old.person_id); end;
create trigger registry_changes_titles_insert after insert on titles when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_titles_update after update on titles when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_titles_delete after delete on titles when old.person_id is not null begin insert into registry_changes (person_id) values (old.person_id); end;
create trigger registry_changes_awards_insert after insert on awards when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_awards_update after update on awards when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_awards_delete after delete on awards when old.person_id is not null begin insert into registry_changes (person_id) values (old.person_id); end;
create trigger registry_changes_initiatives_insert after insert on initiatives when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_initiatives_update after update on initiatives when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_initiatives_delete after delete on initiatives when old.person_id is not null begin insert into registry_changes (person_id) values (old.person_id); end;
create trigger registry_changes_disciplines_insert after insert on disciplines when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_disciplines_update after update on disciplines when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_disciplines_delete after delete on disciplines when old.person_id is not null begin insert into registry_changes (person_id) values (old.person_id); end;
create trigger registry_changes_person_memberships_insert after insert on person_memberships when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_person_memberships_update after update on person_memberships when new.person_id is not null begin insert into registry_changes (person_id) values (new.person_id); end;
create trigger registry_changes_person_memberships_delete after delete on person_memberships when old.person_id is not null begin insert into registry_changes (person_id) values (old.person_id); end;
create trigger registry_changes_people_insert after insert on people begin insert into registry_changes (person_id) values (new.id); end;
create trigger registry_changes_people_update after update of full_name, name_folded on people begin insert into registry_changes (person_id) values (new.id); end;
create trigger registry_changes_people_delete after delete on people begin insert into registry_changes (person_id) values (old.id); end;
