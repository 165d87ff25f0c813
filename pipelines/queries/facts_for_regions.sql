-- Whether the warehouse holds any fact of these regions: when not, every
-- fact of the file is new and goes straight in. Parameter: region codes.
SELECT count(*) > 0 FROM facts WHERE region_code IN (SELECT unnest(?::VARCHAR[]))
