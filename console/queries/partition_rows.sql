-- One year of a relation (the year itself is in the folder name).
SELECT * {{exclude}} FROM {{relation}} WHERE CAST({{year}} AS INTEGER) IS NOT DISTINCT FROM $1
