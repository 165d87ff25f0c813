// Package console is the ad-hoc SQL console: a session that runs a script's
// statements one by one (each checked by sqlguard unless the session is a
// maintenance session), binds --param values as DuckDB parameters, enforces
// the time and row limits, and writes each result as a table, CSV, JSON,
// XLSX, Parquet or Arrow; and the interactive loop on a terminal.
package console

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/sqlguard"
)

var (
	// ErrTimeout means a statement ran past the time limit and was interrupted.
	ErrTimeout = errors.New("time limit reached")
	// ErrRowLimit means a result written to a file had more rows than allowed.
	ErrRowLimit = errors.New("row limit reached")
	// ErrMemoryLimit means a statement needed more memory than the session's limit.
	ErrMemoryLimit = errors.New("memory limit reached")
)

// Options of a session.
type Options struct {
	Timeout  time.Duration // per statement; 0 = none
	MaxRows  int           // per result; 0 = none
	Params   Params
	ReadOnly bool // check every statement with sqlguard
	Timing   bool // print each statement's time
	// MemoryLimit is the session's memory_limit as the user gave it, for
	// the message when a query exceeds it.
	MemoryLimit string
	// Guard, when set, checks every statement before any runs (a
	// maintenance session refuses changes to some tables).
	Guard func(script string, st sqlguard.Statement) error
	// Journal, when set, is told about every statement that ran.
	Journal func(Executed)
}

// Executed is a statement that ran, for a maintenance session's record.
type Executed struct {
	SQL string
	// Rows is the number of rows the statement changed (INSERT, UPDATE,
	// DELETE) or returned (anything else).
	Rows     int64
	Duration time.Duration
	Err      error
}

// Session runs statements on one connection.
type Session struct {
	conn *sql.Conn
	opt  Options
}

// NewSession runs statements on conn, which the caller opened and closes.
func NewSession(conn *sql.Conn, opt Options) *Session { return &Session{conn: conn, opt: opt} }

// Output says where results go: every result to a new ResultWriter from
// New, and a note per result ("(14 rows)") to Notes when set.
type Output struct {
	New   func() (ResultWriter, error)
	Notes io.Writer
	// Truncate shows the first MaxRows rows and says so instead of failing:
	// right for a screen, wrong for a file.
	Truncate bool
}

// Run runs every statement of script in order and stops at the first
// error. Parameters are checked against the whole script: a --param that no
// statement uses is an error (a misspelt name would otherwise bind nothing).
func (s *Session) Run(ctx context.Context, script string, out Output) error {
	stmts := sqlguard.Split(script)
	if len(stmts) == 0 {
		return &innowatch.Error{Msg: "empty query", Hint: `give a query: innowatch sql "SELECT …", -f FILE.sql, or on standard input`}
	}
	// Every statement is checked before any runs: a refused third
	// statement must not leave the first two half-done.
	for i, st := range stmts {
		if s.opt.ReadOnly {
			if err := sqlguard.Check(ctx, s.conn, script, st); err != nil {
				return numbered(i, len(stmts), err)
			}
		}
		if s.opt.Guard != nil {
			if err := s.opt.Guard(script, st); err != nil {
				return numbered(i, len(stmts), err)
			}
		}
	}
	used := map[string]bool{}
	for i, st := range stmts {
		if err := s.runOne(ctx, script, st, out, used); err != nil {
			return numbered(i, len(stmts), err)
		}
	}
	return s.opt.Params.checkUsed(used)
}

func (s *Session) runOne(ctx context.Context, script string, st sqlguard.Statement, out Output, used map[string]bool) error {
	text := st.Padded(script)
	args, typ, err := s.bind(ctx, text, used)
	if err != nil {
		return err
	}
	isQuery := typ == duckdbdriver.STATEMENT_TYPE_SELECT
	if isQuery && st.IsQuery() && s.opt.MaxRows > 0 {
		// DuckDB computes a whole result before the first row is read, so
		// stopping the read at the row limit does not stop the work: a
		// cross join under --max-rows 10 still filled the memory. The
		// limit goes into the query instead (one row more than allowed, to
		// tell "exactly N" from "more"). The statement was prepared as
		// written above, so errors still point into the user's text.
		text = limitQuery(text, s.opt.MaxRows+1)
	}
	qctx := ctx
	if s.opt.Timeout > 0 {
		var cancel context.CancelFunc
		qctx, cancel = context.WithTimeout(ctx, s.opt.Timeout)
		defer cancel()
	}
	start := time.Now()
	n, truncated, count, err := s.query(qctx, text, args, out)
	if s.opt.Journal != nil {
		rows := int64(n)
		if count >= 0 && (typ == duckdbdriver.STATEMENT_TYPE_INSERT || typ == duckdbdriver.STATEMENT_TYPE_UPDATE ||
			typ == duckdbdriver.STATEMENT_TYPE_DELETE) {
			rows = count
		}
		s.opt.Journal(Executed{SQL: st.Text, Rows: rows, Duration: time.Since(start), Err: err})
	}
	if err != nil {
		return s.explain(qctx, err)
	}
	if out.Notes != nil {
		note := fmt.Sprintf("(%d row%s", n, plural(n))
		if s.opt.Timing {
			note += ", " + time.Since(start).Round(time.Millisecond).String()
		}
		note += ")"
		if truncated {
			note = fmt.Sprintf("(first %d rows shown; raise --max-rows, 0 = no limit)", n)
		}
		fmt.Fprintln(out.Notes, note)
	}
	return nil
}

// query runs one statement and writes its result; count is the value of a
// one-row, one-column "Count" result (what DuckDB answers to INSERT, UPDATE
// and DELETE), else -1.
func (s *Session) query(ctx context.Context, text string, args []any, out Output) (n int, truncated bool, count int64, err error) {
	count = -1
	rows, err := s.conn.QueryContext(ctx, text, args...)
	if err != nil {
		return 0, false, count, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return 0, false, count, err
	}
	cols := make([]Column, len(types))
	for i, t := range types {
		cols[i] = Column{Name: t.Name(), DBType: t.DatabaseTypeName()}
	}
	w, err := out.New()
	if err != nil {
		return 0, false, count, err
	}
	if err := w.Begin(cols); err != nil {
		return 0, false, count, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if s.opt.MaxRows > 0 && n == s.opt.MaxRows {
			if !out.Truncate {
				return n, false, count, &innowatch.Error{
					Msg:  fmt.Sprintf("the result has more than %d rows; nothing was written", s.opt.MaxRows),
					Hint: "raise --max-rows (0 = no limit), or narrow the query",
					Err:  ErrRowLimit,
				}
			}
			truncated = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, false, count, err
		}
		if n == 0 && len(cols) == 1 && cols[0].Name == "Count" {
			if v, ok := vals[0].(int64); ok {
				count = v
			}
		}
		if err := w.Row(vals); err != nil {
			return n, false, count, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, false, count, err
	}
	return n, truncated, count, w.End()
}

// explain turns an execution error into one that says what to do.
func (s *Session) explain(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &innowatch.Error{
			Msg:  fmt.Sprintf("the query was stopped after %s", s.opt.Timeout),
			Hint: "raise --timeout (0 = no limit), or narrow the query (a WHERE on period or indicator)",
			Err:  ErrTimeout,
		}
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("query cancelled: %w", context.Canceled)
	}
	var ie *innowatch.Error
	if errors.As(err, &ie) {
		return err
	}
	var de *duckdbdriver.Error
	if errors.As(err, &de) && de.Type == duckdbdriver.ErrorTypeOutOfMemory {
		limit := s.opt.MemoryLimit
		if limit == "" {
			limit = "DuckDB's default"
		}
		return &innowatch.Error{Msg: "the query needs more memory than this session may use (" + limit + ")",
			Hint: "narrow the query (a WHERE on period or indicator, fewer rows joined), or raise --memory-limit if the " +
				"machine can spare it: the limit keeps a runaway query from taking the server from the scheduled jobs", Err: ErrMemoryLimit}
	}
	if errors.As(err, &de) && de.Type == duckdbdriver.ErrorTypePermission {
		return &innowatch.Error{Msg: "refused by the database", Hint: "this session cannot read or write files, attach databases or change settings; " +
			"save results with --format and -o, or export the marts with `innowatch export`", Err: err}
	}
	return fmt.Errorf("query: %w", err)
}

// bind prepares text (one statement: the driver's Prepare refuses several
// and executes nothing) to learn its parameters, and returns their values
// in order, converted to the types DuckDB infers for them.
func (s *Session) bind(ctx context.Context, text string, used map[string]bool) ([]any, duckdbdriver.StmtType, error) {
	var specs []paramSpec
	var typ duckdbdriver.StmtType
	err := s.conn.Raw(func(c any) error {
		dc, ok := c.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", c)
		}
		st, err := dc.Prepare(text)
		if err != nil {
			return err
		}
		defer st.Close()
		ds, ok := st.(*duckdbdriver.Stmt)
		if !ok {
			return fmt.Errorf("unexpected driver statement %T", st)
		}
		if t, err := ds.StatementType(); err == nil {
			typ = t
		}
		for i := 1; i <= ds.NumInput(); i++ {
			name, err := ds.ParamName(i)
			if err != nil {
				return err
			}
			typ, err := ds.ParamType(i)
			if err != nil {
				return err
			}
			specs = append(specs, paramSpec{name: name, typ: typ})
		}
		return nil
	})
	if err != nil {
		return nil, typ, s.explain(ctx, err)
	}
	vals, err := s.opt.Params.values(specs, used)
	return vals, typ, err
}

// limitQuery wraps a SELECT so that DuckDB stops after n rows. The order of
// an ordered query is kept (DuckDB preserves a subquery's order under a
// plain projection and LIMIT).
func limitQuery(text string, n int) string {
	body := strings.TrimRight(text, " \t\r\n;")
	return fmt.Sprintf("SELECT * FROM (%s\n) AS innowatch_limited LIMIT %d", body, n)
}

func numbered(i, n int, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("statement %d of %d: %w", i+1, n, err)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
