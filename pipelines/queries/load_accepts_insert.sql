-- One accepted plausibility problem. Parameters in column order.
INSERT INTO load_accepts (load_id, key, region_code, indicator, period, sheet, row, value, message, expected, reason, rule)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
