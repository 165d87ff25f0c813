-- Single-month values of the monthly flows for one region ($1).
SELECT period, indicator, CAST(ytd_value AS DOUBLE), CAST(month_value AS DOUBLE)
FROM monthly_values
WHERE region_code = $1
ORDER BY indicator, period
