-- Where each indicator's latest-vintage facts come from: source, periods, vintages, load time.
SELECT indicator, source, min(period), max(period), count(*), count(value),
       min(vintage), max(vintage), max(loaded_at),
       string_agg(DISTINCT status, ',' ORDER BY status)
FROM facts_latest
GROUP BY indicator, source
ORDER BY indicator, source
