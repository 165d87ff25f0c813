SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('hitech_enterprise_flows_monthly', 'hitech_outlook')
