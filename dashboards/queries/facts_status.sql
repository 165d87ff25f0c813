-- Whether any fact is simulated sample data, and when the latest fact was loaded.
SELECT coalesce(bool_or(starts_with(source, 'sample:')), false), max(loaded_at)
FROM facts
