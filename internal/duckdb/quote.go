package duckdb

import "strings"

// Ident quotes an SQL identifier. Identifiers are the one thing that cannot
// be a bind parameter; every one goes through here.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Literal quotes a string literal, for the few statements (COMMENT ON) that
// take no parameters. Values everywhere else are bind parameters.
func Literal(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
