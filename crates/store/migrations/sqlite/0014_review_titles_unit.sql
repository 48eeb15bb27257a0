-- Titles written by closing an annual review had no subject unit, so the
-- registry's unit filters and the statistics of a unit's subtree left them
-- out. The unit that reviewed them is where they stood that year.
update titles set subject_unit_id = (
    select r.unit_id from title_reviews r where r.id = titles.review_id
) where subject_unit_id is null and review_id is not null;
