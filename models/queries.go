package models

import "embed"

// The statements the builder itself runs, as readable SQL.
//
//go:embed queries/*.sql
var queries embed.FS

// query returns queries/name.sql; a missing file is a programming error that
// any test of the builder catches.
func query(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("models: no query " + name)
	}
	return string(b)
}
