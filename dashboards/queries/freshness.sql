-- Per indicator and period: how many regions have a value, and the latest load behind them.
SELECT iv.indicator, iv.period, count(iv.value) AS reported, count(*) AS rows,
       string_agg(DISTINCT iv.status, ',' ORDER BY iv.status) AS statuses
FROM indicator_values iv
GROUP BY iv.indicator, iv.period
HAVING count(iv.value) > 0
ORDER BY iv.indicator, iv.period
