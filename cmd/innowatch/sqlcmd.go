package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chzyer/readline"
	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/console"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/internal/sqlguard"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// readerSettings make an ad-hoc session unable to reach outside the
// warehouse: no reading or writing files, no ATTACH, no extensions, and the
// configuration locked so a query cannot turn these back on.
var readerSettings = map[string]string{
	"enable_external_access": "false",
	"lock_configuration":     "true",
}

type sqlFlags struct {
	db, file, format, output, history string
	reason                            string
	memoryLimit, tempLimit            string
	bom, write, timing, force         bool
	params                            []string
	timeout                           time.Duration
	maxRows                           int
}

func newSQLCmd(e *env) *cobra.Command {
	var f sqlFlags
	cmd := &cobra.Command{
		Use:   `sql ["QUERY"]`,
		Short: "Query the warehouse with SQL: one-shot, from a file, or an interactive console",
		Long: `sql runs queries against the latest serving copy of the warehouse (an
immutable snapshot published after every successful job), so it works at any
time, also while a job holds the warehouse. The session is read-only and
cannot read or write files, attach databases, load extensions or change
settings; such statements are refused with an explanation.

The query is the argument ("-" for standard input), or -f FILE, or standard
input when it is not a terminal. On a terminal with no query, an interactive
console starts (\? there for help). docs/SQL.md is the guide; docs/COOKBOOK.md
has worked questions.

Examples:
  innowatch sql "SELECT region_name, value, province_value FROM county_vs_province
                 WHERE period = $period AND indicator = 'rd_intensity'" --param period=2020
  innowatch sql -f question.sql -o answer.xlsx
  innowatch sql --format csv --bom "FROM indicator_values" > values.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.runSQL(cmd.Context(), dbFlag(cmd), f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.file, "file", "f", "", "read the statements from `FILE`")
	fl.StringVar(&f.format, "format", "", "output format: table, csv, json, xlsx, parquet, arrow (default: from -o's extension, else table)")
	fl.StringVarP(&f.output, "output", "o", "", "write the result to `FILE` (written whole or not at all)")
	fl.BoolVar(&f.force, "force", false, "let -o replace an existing file (never the warehouse, its WAL, a serving copy or the site)")
	fl.BoolVar(&f.bom, "bom", false, "start CSV with a UTF-8 byte order mark, so Excel shows Chinese text right")
	fl.StringArrayVar(&f.params, "param", nil, "bind `name=value` to $name in the query (repeatable; $1 for 1=value)")
	fl.DurationVar(&f.timeout, "timeout", 5*time.Minute, "stop a statement after this long (0 = no limit)")
	fl.IntVar(&f.maxRows, "max-rows", 10000, "rows per result: a table shows the first N, a file is refused beyond N (0 = no limit)")
	fl.BoolVar(&f.timing, "timing", false, "print each statement's time")
	fl.BoolVar(&f.write, "write", false, "open a maintenance session on the warehouse itself, read-write (blocks other jobs until it ends); needs --reason")
	fl.StringVar(&f.reason, "reason", "", "why a --write session changes the warehouse (recorded with every statement in the run history)")
	fl.StringVar(&f.memoryLimit, "memory-limit", defaultMemoryLimit(), "memory the query may use (DuckDB's memory_limit, e.g. 4GiB); the default is a quarter of this machine's RAM")
	fl.StringVar(&f.tempLimit, "temp-limit", "2GiB", "disk a query may spill to, in a private temporary folder removed at the end")
	fl.StringVar(&f.history, "history", defaultHistory(), "console history `FILE` (empty: none)")
	return cmd
}

func defaultHistory() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".innowatch_history")
}

func (e *env) runSQL(ctx context.Context, dbPath string, f sqlFlags, args []string) error {
	f.db = dbPath
	params, err := console.ParseParams(f.params)
	if err != nil {
		return &usageError{err.Error()}
	}
	format, err := resolveFormat(f.format, f.output)
	if err != nil {
		return &usageError{err.Error()}
	}
	script, interactive, err := e.script(f, args)
	if err != nil {
		return err
	}
	if interactive && (f.output != "" || format != console.FormatTable) {
		return &usageError{"--format and -o need a query (argument, -f FILE or standard input)"}
	}
	opt := console.Options{Timeout: f.timeout, MaxRows: f.maxRows, Params: params, ReadOnly: !f.write, Timing: f.timing,
		MemoryLimit: f.memoryLimit}
	session := func(ctx context.Context, conn *sql.Conn, where string) error {
		s := console.NewSession(conn, opt)
		if interactive {
			stdin := e.stdin.(*os.File)
			return s.REPL(ctx, console.REPLConfig{
				Stdin: stdin, Stdout: e.stdout, Stderr: e.stderr, HistoryFile: f.history,
				Banner: fmt.Sprintf("innowatch SQL console on %s\nStatements end with ';'. \\d lists tables, \\? helps, \\q quits.", where),
			})
		}
		return e.output(ctx, s, script, format, f)
	}
	if f.write && strings.TrimSpace(f.reason) == "" {
		return &usageError{`--write needs --reason "…": why the warehouse is changed by hand (it is recorded with every statement)`}
	}
	if f.write {
		return e.writer(ctx, dbPath, "sql", func(ctx context.Context, w *work) error {
			w.changed = true // a maintenance session may change anything
			w.details["reason"] = strings.TrimSpace(f.reason)
			opt.Guard = refuseProtected
			opt.Journal = e.journal(ctx, w)
			conn, err := w.db.SQL().Conn(ctx)
			if err != nil {
				return fmt.Errorf("open session: %w", err)
			}
			defer conn.Close()
			// A maintenance session may change data, never the machine: no
			// files, no extensions, settings locked.
			for _, stmt := range []string{"SET enable_external_access = false", "SET lock_configuration = true"} {
				if _, err := conn.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("lock down session: %w", err)
				}
			}
			fmt.Fprintf(e.stderr, "maintenance session on %s (read-write; other jobs wait until it ends)\n", w.db.Path())
			return session(ctx, conn, w.db.Path()+" (read-write)")
		})
	}
	settings, cleanup, err := sessionSettings(f)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := openReader(ctx, dbPath, settings)
	if err != nil {
		return err
	}
	defer db.Close()
	// Locked down after opening: DuckDB applies the options of an open in
	// no fixed order, and with external access already off it refuses to
	// set the temporary folder.
	for _, stmt := range []string{"SET enable_external_access = false", "SET lock_configuration = true"} {
		if _, err := db.SQL().ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("lock down session: %w", err)
		}
	}
	if note := servingNote(dbPath, db.Path()); note != "" {
		fmt.Fprintln(e.stderr, note)
	}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	defer conn.Close()
	return session(ctx, conn, db.Path()+" (read-only)")
}

// script finds the statements: the argument ("-": standard input), -f FILE,
// or standard input; interactive when none is given and stdin is a terminal.
func (e *env) script(f sqlFlags, args []string) (string, bool, error) {
	switch {
	case len(args) == 1 && f.file != "":
		return "", false, &usageError{"give the query as an argument or with -f, not both"}
	case len(args) == 1 && args[0] != "-":
		return args[0], false, nil
	case f.file != "":
		b, err := os.ReadFile(f.file)
		if err != nil {
			return "", false, fmt.Errorf("read query file: %w", err)
		}
		return string(b), false, nil
	}
	if len(args) == 0 {
		if file, ok := e.stdin.(*os.File); ok && readline.IsTerminal(int(file.Fd())) {
			return "", true, nil
		}
	}
	b, err := io.ReadAll(e.stdin)
	if err != nil {
		return "", false, fmt.Errorf("read query from standard input: %w", err)
	}
	return string(b), false, nil
}

func resolveFormat(flag, output string) (console.Format, error) {
	if flag != "" {
		return console.ParseFormat(flag)
	}
	if output == "" || output == "-" {
		return console.FormatTable, nil
	}
	if f, ok := console.FormatOf(output); ok {
		return f, nil
	}
	return "", fmt.Errorf("cannot tell the format of %s from its extension: add --format (table, csv, json, xlsx, parquet, arrow)", output)
}

// output runs the script and writes its result where -o and --format say.
// A file holds one result and is written whole or not at all.
func (e *env) output(ctx context.Context, s *console.Session, script string, format console.Format, f sqlFlags) error {
	toStdout := f.output == "" || f.output == "-"
	if format.Binary() && f.output == "" {
		return &usageError{fmt.Sprintf("%s output needs a file: add -o FILE (or -o - to pipe it)", format)}
	}
	run := func(w io.Writer) error {
		results := 0
		out := console.Output{
			New: func() (console.ResultWriter, error) {
				results++
				if results > 1 && (format != console.FormatTable || !toStdout) {
					return nil, &innowatch.Error{
						Msg:  fmt.Sprintf("more than one statement returns a result, and %s output holds one", format),
						Hint: "run the statements one at a time, or combine them with UNION ALL or a join",
					}
				}
				return console.NewResultWriter(format, w, console.WriteOptions{BOM: f.bom})
			},
			Notes:    e.stderr,
			Truncate: format == console.FormatTable && toStdout,
		}
		if format == console.FormatTable && toStdout {
			out.Notes = e.stdout
		}
		return s.Run(ctx, script, out)
	}
	if toStdout {
		return run(e.stdout)
	}
	abs, err := checkOutput(f.db, f.output, f.force)
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(abs, 0o644, run); err != nil {
		var ie *innowatch.Error
		if errors.As(err, &ie) {
			return err
		}
		return fmt.Errorf("write %s: %w", f.output, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", abs)
	return nil
}

// openReader opens the current serving copy, or the warehouse itself
// read-only when no copy has been published yet.
func openReader(ctx context.Context, dbPath string, settings map[string]string) (*duckdb.DB, error) {
	db, err := duckdb.OpenServing(ctx, dbPath, settings)
	if errors.Is(err, innowatch.ErrNoServingCopy) {
		return duckdb.Open(ctx, dbPath, duckdb.Options{ReadOnly: true, Settings: settings})
	}
	return db, err
}

// sessionSettings are the read-only console's: no files, no extensions,
// settings locked, and bounds so that a runaway query can never take the
// machine from the nightly job — a memory limit, and a private temporary
// folder of bounded size for what spills (removed by cleanup).
func sessionSettings(f sqlFlags) (map[string]string, func(), error) {
	tmp, err := os.MkdirTemp("", "innowatch-sql-*")
	if err != nil {
		return nil, nil, fmt.Errorf("temporary folder for the session: %w", err)
	}
	s := map[string]string{"temp_directory": tmp, "max_temp_directory_size": f.tempLimit}
	if f.memoryLimit != "" {
		s["memory_limit"] = f.memoryLimit
	}
	return s, func() { os.RemoveAll(tmp) }, nil
}

// defaultMemoryLimit is a quarter of the machine's RAM (DuckDB's own default
// is 80%, which left nothing for the nightly job), or "" when unknown.
func defaultMemoryLimit() string {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &kb); err == nil && kb > 0 {
			return fmt.Sprintf("%dMiB", kb/1024/4)
		}
	}
	return ""
}

// servingNote says when the serving copy a reader opened is (or may be)
// older than the warehouse, from the writers' journal; "" when it is not.
func servingNote(dbPath, opened string) string {
	copyRun := duckdb.ServingRun(opened)
	if filepath.Dir(opened) != duckdb.ServingDir(mustAbs(dbPath)) {
		return "" // the warehouse itself: nothing is newer
	}
	p, err := duckdb.ReadPending(dbPath)
	if err != nil || p == nil || p.Run <= copyRun {
		return ""
	}
	started := p.Started.In(shanghai()).Format("2006-01-02 15:04")
	switch {
	case p.Unpublished != "":
		return fmt.Sprintf("note: this serving copy (run %d) is older than the warehouse: the changes of run %d (%s) could not be "+
			"published (%s); the next job publishes them", copyRun, p.Run, p.Kind, firstLine(p.Unpublished))
	case p.Alive():
		return fmt.Sprintf("note: run %d (%s, started %s) is writing the warehouse; this serving copy is as of run %d, "+
			"and a new one is published when that job finishes", p.Run, p.Kind, started, copyRun)
	default:
		return fmt.Sprintf("note: this serving copy (run %d) may be older than the warehouse: run %d (%s, started %s) ended "+
			"before it finished; the next job publishes whatever it committed", copyRun, p.Run, p.Kind, started)
	}
}

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// protectedTables cannot be changed in a maintenance session: facts, loads
// and lineage change only through ingest (a correction is a new vintage,
// the old one kept), and the run history and published bulletins are the
// record of what happened.
var protectedTables = map[string]string{
	"facts": "the facts", "facts_latest": "the facts", "loads": "the loads", "load_warnings": "the lineage",
	"fact_lineage": "the lineage", "runs": "the run history", "run_history": "the run history",
	"maintenance_statements": "the run history", "bulletins": "the published bulletins",
	"schema_migrations": "the schema history",
}

// refuseProtected is the maintenance session's guard.
func refuseProtected(_ string, st sqlguard.Statement) error {
	for _, t := range st.WriteTargets() {
		if what, ok := protectedTables[t]; ok {
			return &innowatch.Error{
				Msg: fmt.Sprintf("refused: %s would change %s (table %s)", firstLine(strings.TrimSpace(st.Text)), what, t),
				Hint: "facts, loads and lineage change only through `innowatch ingest`: load the corrected figures as a file " +
					"and they become a new vintage, the old one kept; the run history and published bulletins are never rewritten " +
					"(a bulletin is corrected with `innowatch bulletin --revise`)",
			}
		}
	}
	return nil
}

// journal records every statement of a maintenance session as it runs, in
// maintenance_statements and in the run's details.
func (e *env) journal(ctx context.Context, w *work) func(console.Executed) {
	seq := 0
	var changed int64
	return func(x console.Executed) {
		seq++
		var errText any
		if x.Err != nil {
			errText = x.Err.Error()
		} else {
			changed += x.Rows
		}
		if _, err := w.db.SQL().ExecContext(context.WithoutCancel(ctx), sqlfiles.Query("maintenance_statement_insert"),
			w.runID, seq, x.SQL, x.Rows, errText, e.now()); err != nil {
			fmt.Fprintf(e.stderr, "warning: statement %d not recorded: %v\n", seq, err)
		}
		w.details["statements"] = seq
		w.details["rows"] = changed
	}
}
