package sqlguard

import (
	"fmt"
	"strings"
)

// Functions the console refuses inside a query, found in DuckDB 1.5's
// duckdb_functions(): those that read files, change the session or the
// database, or run SQL text the guard cannot see. The session's settings
// block the same things; the guard explains them.
var (
	fileFunctions = map[string]bool{
		"glob": true, "sniff_csv": true, "arrow_scan": true, "arrow_scan_dumb": true,
		"read_blob": true, "read_text": true, "read_csv": true, "read_csv_auto": true, "read_duckdb": true,
		"read_json": true, "read_json_auto": true, "read_json_objects": true, "read_json_objects_auto": true,
		"read_ndjson": true, "read_ndjson_auto": true, "read_ndjson_objects": true, "read_parquet": true,
		"parquet_scan": true, "parquet_metadata": true, "parquet_schema": true, "parquet_file_metadata": true,
		"parquet_kv_metadata": true, "parquet_full_metadata": true, "parquet_bloom_probe": true,
		"read_xlsx": true, "iceberg_scan": true, "delta_scan": true, "sqlite_scan": true, "postgres_scan": true,
		"mysql_scan": true,
	}
	stateFunctions = map[string]bool{
		"checkpoint": true, "force_checkpoint": true, "enable_logging": true, "disable_logging": true,
		"truncate_duckdb_logs": true, "enable_profiling": true, "disable_profiling": true,
		"enable_peg_parser": true, "disable_peg_parser": true, "setseed": true, "write_log": true, "nextval": true,
	}
	indirectFunctions = map[string]bool{
		"query": true, "query_table": true, "json_execute_serialized_sql": true,
	}
)

// judgeFunction says whether a function call is refused, and why.
func judgeFunction(name string) (rule, bool) {
	n := strings.ToLower(name)
	switch {
	case fileFunctions[n] || strings.HasPrefix(n, "read_") || strings.HasSuffix(n, "_scan"):
		return rule{n + "() reads files", hintLoad}, true
	case stateFunctions[n]:
		return rule{n + "() changes the session or the database", "the console only reads; maintenance runs in `innowatch sql --write`"}, true
	case indirectFunctions[n]:
		return rule{n + "() runs SQL given as text, which cannot be checked", fmt.Sprintf("write the query itself instead of passing it to %s()", n)}, true
	}
	return rule{}, false
}
