package console

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"io"

	"github.com/linyi-sti/innowatch"
)

var (
	//go:embed queries/relations.sql
	relationsQuery string
	//go:embed queries/columns.sql
	columnsQuery string
	//go:embed queries/relation_comment.sql
	relationCommentQuery string
)

// ErrNoSuchRelation means \d NAME named no table or view.
var ErrNoSuchRelation = errors.New("no such table or view")

// ListRelations prints the tables and views with their comments (\d).
func (s *Session) ListRelations(ctx context.Context, w io.Writer) error {
	rows, err := s.conn.QueryContext(ctx, relationsQuery)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	return printRows(rows, w)
}

// DescribeRelation prints one table's or view's comment and columns (\d NAME).
func (s *Session) DescribeRelation(ctx context.Context, w io.Writer, name string) error {
	var kind string
	var comment sql.NullString
	err := s.conn.QueryRowContext(ctx, relationCommentQuery, name).Scan(&kind, &comment)
	if errors.Is(err, sql.ErrNoRows) {
		return &innowatch.Error{Msg: fmt.Sprintf("%q: %v", name, ErrNoSuchRelation), Hint: `\d lists the tables and views`, Err: ErrNoSuchRelation}
	}
	if err != nil {
		return fmt.Errorf("describe %s: %w", name, err)
	}
	fmt.Fprintf(w, "%s %s", kind, name)
	if comment.String != "" {
		fmt.Fprintf(w, " — %s", comment.String)
	}
	fmt.Fprintln(w)
	rows, err := s.conn.QueryContext(ctx, columnsQuery, name)
	if err != nil {
		return fmt.Errorf("describe %s: %w", name, err)
	}
	return printRows(rows, w)
}

func printRows(rows *sql.Rows, w io.Writer) error {
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	tw := &tableWriter{w: w}
	cols := make([]Column, len(names))
	for i, n := range names {
		cols[i] = Column{Name: n}
	}
	tw.Begin(cols)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if v == nil {
				vals[i] = ""
			}
		}
		tw.Row(vals)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.End()
}
