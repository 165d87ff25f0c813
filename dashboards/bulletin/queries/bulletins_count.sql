-- How many revisions of a month are stored.
SELECT count(*) FROM bulletins WHERE month = $1
