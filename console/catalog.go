package console

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"

	"github.com/linyi-sti/innowatch/internal/duckdb"
)

var (
	//go:embed queries/all_columns.sql
	allColumnsQuery string
	//go:embed queries/partition_years.sql
	partitionYearsQuery string
	//go:embed queries/partition_rows.sql
	partitionRowsQuery string
)

// Relation is a table or view of the warehouse with its documentation.
type Relation struct {
	Name, Kind, Comment string
	Columns             []ColumnDoc
}

// ColumnDoc is a column with its type and COMMENT.
type ColumnDoc struct {
	Name, Type, Comment string
}

// Has reports whether the relation has a column.
func (r Relation) Has(col string) bool {
	for _, c := range r.Columns {
		if c.Name == col {
			return true
		}
	}
	return false
}

// Relations reads the warehouse's tables and views with their comments.
func Relations(ctx context.Context, conn *sql.Conn) (map[string]*Relation, error) {
	out := map[string]*Relation{}
	rows, err := conn.QueryContext(ctx, relationsQuery)
	if err != nil {
		return nil, fmt.Errorf("list relations: %w", err)
	}
	for rows.Next() {
		var r Relation
		var comment sql.NullString
		if err := rows.Scan(&r.Name, &r.Kind, &comment); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list relations: %w", err)
		}
		r.Comment = comment.String
		out[r.Name] = &r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list relations: %w", err)
	}
	rows, err = conn.QueryContext(ctx, allColumnsQuery)
	if err != nil {
		return nil, fmt.Errorf("list columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table string
		var c ColumnDoc
		var comment sql.NullString
		if err := rows.Scan(&table, &c.Name, &c.Type, &comment); err != nil {
			return nil, fmt.Errorf("list columns: %w", err)
		}
		c.Comment = comment.String
		if r := out[table]; r != nil {
			r.Columns = append(r.Columns, c)
		}
	}
	return out, rows.Err()
}

// PartitionQueries returns the statement listing a relation's years and the
// statement reading one year ($1), for a Hive layout by year. The year
// comes from a year column, else from period (YYYY or YYYY-MM); ok is false
// when the relation has neither.
func PartitionQueries(r Relation) (years, rows string, ok bool) {
	var year, exclude string
	switch {
	case r.Has("year"):
		year, exclude = duckdb.Ident("year"), "EXCLUDE ("+duckdb.Ident("year")+")"
	case r.Has("period"):
		year = "left(" + duckdb.Ident("period") + ", 4)"
	default:
		return "", "", false
	}
	fill := func(q string) string {
		return strings.NewReplacer("{{year}}", year, "{{relation}}", duckdb.Ident(r.Name), "{{exclude}}", exclude).Replace(q)
	}
	return fill(partitionYearsQuery), fill(partitionRowsQuery), true
}

// Query runs a statement the program wrote (not the user's) and streams its
// result into w; it returns the number of rows.
func Query(ctx context.Context, conn *sql.Conn, w ResultWriter, query string, args ...any) (int, error) {
	s := &Session{conn: conn}
	n, _, _, err := s.query(ctx, query, args, Output{New: func() (ResultWriter, error) { return w, nil }})
	return n, err
}
