-- A title given by a recorded decision (the unit head's Quyết định for a
-- CSTĐCS, a dossier's decision) names it, so that the decision lists it and
-- a later decision can revoke it (Luật TĐKT Điều 93); `revoked_by` is that
-- later decision, as on `awards`.
alter table titles add column decision_id bigint references decisions (id);
alter table titles add column revoked_by bigint references decisions (id);
create index titles_decision on titles (decision_id) where decision_id is not null;
create index titles_revoked_by on titles (revoked_by) where revoked_by is not null;
