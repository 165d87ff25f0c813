package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/duckdb"
)

// readerSettings make an ad-hoc session unable to reach outside the
// warehouse: no reading or writing files, no ATTACH, no extensions, and the
// configuration locked so a query cannot turn these back on.
var readerSettings = map[string]string{
	"enable_external_access": "false",
	"lock_configuration":     "true",
}

func newSQLCmd(e *env) *cobra.Command {
	var maxRows int
	cmd := &cobra.Command{
		Use:   `sql "QUERY"`,
		Short: "Run a read-only SQL query and print the result as a table",
		Long: `sql runs a query against the latest serving copy of the warehouse (an
immutable snapshot published after every successful job), so it works while a
job holds the warehouse. The session is read-only and cannot read or write
files, attach databases, load extensions or change settings.

The query is the argument, or standard input when the argument is "-".
Example:
  innowatch sql "select region_name, value, province_value from county_vs_province
                 where period = '2020' and indicator = 'rd_intensity'"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			query := args[0]
			if query == "-" {
				b, err := io.ReadAll(e.stdin)
				if err != nil {
					return err
				}
				query = string(b)
			}
			db, err := openReader(cmd.Context(), dbFlag(cmd))
			if err != nil {
				return err
			}
			defer db.Close()
			return e.query(cmd.Context(), db.SQL(), query, maxRows)
		},
	}
	cmd.Flags().IntVar(&maxRows, "max-rows", 10000, "stop after this many rows (0 = no limit)")
	return cmd
}

// openReader opens the current serving copy, or the warehouse itself
// read-only when no copy has been published yet.
func openReader(ctx context.Context, dbPath string) (*duckdb.DB, error) {
	db, err := duckdb.OpenServing(ctx, dbPath, readerSettings)
	if errors.Is(err, innowatch.ErrNoServingCopy) {
		return duckdb.Open(ctx, dbPath, duckdb.Options{ReadOnly: true, Settings: readerSettings})
	}
	return db, err
}

func (e *env) query(ctx context.Context, db *sql.DB, query string, maxRows int) error {
	if strings.TrimSpace(query) == "" {
		return &usageError{"empty query"}
	}
	start := time.Now()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	t := newTable(len(cols))
	for i, c := range cols {
		t.header[i] = c.Name()
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	truncated := false
	for rows.Next() {
		if maxRows > 0 && len(t.rows) == maxRows {
			truncated = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]cell, len(cols))
		for i, v := range vals {
			row[i] = formatCell(v)
		}
		t.rows = append(t.rows, row)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	t.write(e.stdout)
	note := fmt.Sprintf("(%d row%s, %s)", len(t.rows), plural(len(t.rows)), time.Since(start).Round(time.Millisecond))
	if truncated {
		note = fmt.Sprintf("(first %d rows shown; raise --max-rows to see more)", maxRows)
	}
	fmt.Fprintln(e.stdout, note)
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
