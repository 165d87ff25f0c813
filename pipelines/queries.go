package pipelines

import "embed"

// queries are the statements the loader runs, one per .sql file.
//
//go:embed queries/*.sql
var queries embed.FS

// query returns the text of queries/name.sql; a missing file is a
// programming error that any test running the query catches.
func query(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("pipelines: no query " + name)
	}
	return string(b)
}
