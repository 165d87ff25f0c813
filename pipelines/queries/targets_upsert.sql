-- A target row replaces the one with the same region, year, indicator and kind.
INSERT OR REPLACE INTO targets (region_code, year, indicator, target_kind, target_value, target_max,
                                baseline_period, description_zh, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
