-- Single-month values of a flow for one region and year, months 1..$4.
SELECT month, month_value
FROM monthly_values
WHERE region_code = $1 AND indicator = $2 AND year = $3 AND month BETWEEN 1 AND $4
ORDER BY month
