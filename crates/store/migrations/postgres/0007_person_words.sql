-- Each word of each person's folded name, with the name and its sort key
-- beside it, so that a name search reads only the postings of its rarest
-- word, tests the other words and orders the page there, without visiting
-- the people table (kept by the store whenever a person is written). Byte
-- order ("C") makes a prefix a range of the index whatever the locale; the
-- included columns let the search read the index alone.
create table person_words (
    word text collate "C" not null,
    person_id bigint not null references people (id) on delete cascade,
    sort_key text collate "C" not null,
    name_folded text not null,
    primary key (word, person_id) include (sort_key, name_folded)
);
create index person_words_person on person_words (person_id);
-- Name order with the id as tie-break, walked page by page.
create index people_sort_id on people (sort_key, id);

insert into person_words (word, person_id, sort_key, name_folded)
select distinct w, id, sort_key, name_folded
from people, unnest(string_to_array(name_folded, ' ')) as w
where w <> '';

-- An imported historical record names its person; the import finds them by
-- the folded name and, when the record gives it, the birth date.
create index people_name_folded on people (name_folded, birth_date);

-- The same import looks for records it would repeat: a person's awards with
-- the decision numbers of the file, read from the index alone.
drop index awards_person;
create index awards_person on awards (person_id, decision_number);
