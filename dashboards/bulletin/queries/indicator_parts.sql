-- The parts of every derived ratio: a bulletin that uses a ratio uses them.
SELECT code, numerator, denominator FROM indicators WHERE numerator IS NOT NULL
