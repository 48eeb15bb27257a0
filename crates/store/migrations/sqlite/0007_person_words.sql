-- Each word of each person's folded name, with the name and its sort key
-- beside it, so that a name search reads only the postings of its rarest
-- word, tests the other words and orders the page there, without visiting
-- the people table (kept by the store whenever a person is written).
create table person_words (
    word text not null,
    person_id integer not null references people (id) on delete cascade,
    sort_key text not null,
    name_folded text not null,
    primary key (word, person_id)
) without rowid;
create index person_words_person on person_words (person_id);

with recursive split (person_id, sort_key, name_folded, word, rest) as (
    select id, sort_key, name_folded, '', name_folded || ' ' from people
    union all
    select person_id, sort_key, name_folded, substr(rest, 1, instr(rest, ' ') - 1),
           substr(rest, instr(rest, ' ') + 1)
    from split where rest <> ''
)
insert or ignore into person_words (word, person_id, sort_key, name_folded)
select word, person_id, sort_key, name_folded from split where word <> '';

-- An imported historical record names its person; the import finds them by
-- the folded name and, when the record gives it, the birth date.
create index people_name_folded on people (name_folded, birth_date);

-- The same import looks for records it would repeat: a person's awards with
-- the decision numbers of the file, read from the index alone.
drop index awards_person;
create index awards_person on awards (person_id, decision_number);
