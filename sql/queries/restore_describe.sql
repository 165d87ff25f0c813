-- What a serving copy holds, for `innowatch restore` to say before it puts
-- the copy in place: its newest run, the loads and facts, the bulletins.
SELECT
    (SELECT coalesce(max(id), 0) FROM runs),
    (SELECT coalesce(max(finished_at), max(started_at)) FROM runs WHERE id = (SELECT max(id) FROM runs)),
    (SELECT count(*) FROM loads),
    (SELECT file_name FROM loads ORDER BY id DESC LIMIT 1),
    (SELECT max(loaded_at) FROM loads),
    (SELECT count(*) FROM facts),
    (SELECT count(*) FROM bulletins),
    (SELECT max(month) || ' (revision ' || max_by(revision, month) || ')' FROM bulletins);
