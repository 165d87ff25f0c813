// Package sql holds the project's SQL: schema migrations, models and data
// tests, embedded into the binary. SQL lives in .sql files, not in Go strings.
package sql

import "embed"

// Migrations are applied in file-name order, forward only.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Models are the SQL models built by `innowatch build`.
//
//go:embed models/*.sql
var Models embed.FS

// Tests are the data tests run by `innowatch build` after the models, in the
// same transaction: each returns the rows that break a rule.
//
//go:embed tests/*.sql
var Tests embed.FS

// Queries are the statements the Go code runs against the warehouse, kept here
// so that every statement is readable SQL.
//
//go:embed queries/*.sql
var Queries embed.FS

// Query returns the text of queries/name.sql; it panics on a missing file,
// which is a programming error caught by any test that runs the query.
func Query(name string) string {
	b, err := Queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("sql: no query " + name)
	}
	return string(b)
}
