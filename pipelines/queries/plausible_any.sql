-- Whether the warehouse holds any fact the plausibility checks could compare
-- a file with: of its regions and their parents ($1), or of their children.
-- When not (a first load), plausible_context is not run.
WITH keep AS (SELECT unnest($1::VARCHAR[]) AS code)
SELECT EXISTS (
    SELECT 1 FROM facts
    WHERE region_code IN (SELECT code FROM keep)
       OR region_code IN (SELECT r.code FROM regions r WHERE r.parent_code IN (SELECT code FROM keep))
)
