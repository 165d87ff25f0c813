package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/linyi-sti/innowatch"
)

// sampleRows is how many failing rows a test result keeps for display.
const sampleRows = 10

// TestResult reports one data test.
type TestResult struct {
	Name        string
	File        string
	Severity    string
	Description string
	Failing     int64      // number of rows the test returned
	Columns     []string   // of the sample
	Sample      [][]string // the first failing rows, formatted
	Duration    time.Duration
}

// Passed reports whether the test returned no rows.
func (r TestResult) Passed() bool { return r.Failing == 0 }

// ErrTestsFailed is wrapped by the error of a build whose error-severity
// data tests returned rows.
var ErrTestsFailed = errors.New("data tests failed")

// TestFailures lists the error-severity tests that failed, with their rows.
type TestFailures struct{ Results []TestResult }

func (f *TestFailures) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d data test(s) failed", len(f.Results))
	for _, r := range f.Results {
		b.WriteString("\n")
		b.WriteString(r.Report())
	}
	return b.String()
}

func (f *TestFailures) Unwrap() error { return ErrTestsFailed }

// Report is the test's outcome with its sample rows, for a terminal.
func (r TestResult) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s: %d failing row(s)", r.Severity, r.File, r.Failing)
	if r.Description != "" {
		fmt.Fprintf(&b, " — %s", r.Description)
	}
	b.WriteString("\n")
	b.WriteString(formatRows(r.Columns, r.Sample, "    "))
	if r.Failing > int64(len(r.Sample)) {
		fmt.Fprintf(&b, "    … and %d more\n", r.Failing-int64(len(r.Sample)))
	}
	return b.String()
}

// testRun collects the results of data tests run in one or more groups.
// Warn-severity failures are reported; error-severity failures make err,
// after all tests have run, so that every failure is shown at once.
type testRun struct {
	results []TestResult
	failed  []TestResult
}

// run runs ts through q, each relation of rename read under its new name
// (the staging tables). It returns an error only when a test could not run.
func (tr *testRun) run(ctx context.Context, q querier, ts []*DataTest, rename map[string]string, progress func(TestResult)) error {
	for _, t := range ts {
		start := time.Now()
		r, err := runTest(ctx, q, t, rename)
		if err != nil {
			return &innowatch.Error{
				Msg:  fmt.Sprintf("run data test %s", t.File),
				Hint: "fix the test's SQL; nothing was changed in the warehouse (the marts are the previous build's)",
				Err:  err,
			}
		}
		r.Duration = time.Since(start)
		tr.results = append(tr.results, r)
		if progress != nil {
			progress(r)
		}
		if !r.Passed() && t.Severity == SeverityError {
			tr.failed = append(tr.failed, r)
		}
	}
	return nil
}

// err is the error of the error-severity failures, nil when there were none.
func (tr *testRun) err() error {
	if len(tr.failed) == 0 {
		return nil
	}
	return &innowatch.Error{
		Msg:  "build rolled back",
		Hint: "the rows above break the rules of sql/tests; correct the input data (or the model) and build again — the previous marts are unchanged",
		Err:  &TestFailures{Results: tr.failed},
	}
}

// ordered returns the results in the order of ts.
func (tr *testRun) ordered(ts []*DataTest) []TestResult {
	pos := map[string]int{}
	for i, t := range ts {
		pos[t.File] = i
	}
	out := append([]TestResult(nil), tr.results...)
	sort.SliceStable(out, func(i, j int) bool { return pos[out[i].File] < pos[out[j].File] })
	return out
}

func runTest(ctx context.Context, tx querier, t *DataTest, rename map[string]string) (TestResult, error) {
	r := TestResult{Name: t.Name, File: t.File, Severity: t.Severity, Description: t.Description}
	// The window count gives the total without running the test twice.
	// The test's first line shares the wrapper's line, so DuckDB's line
	// numbers are the file's.
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT *, count(*) OVER () AS __failing FROM (%s\n) LIMIT %d", RenameRelations(t.SQL, rename), sampleRows))
	if err != nil {
		return r, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return r, err
	}
	r.Columns = cols[:len(cols)-1]
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return r, err
		}
		line := make([]string, len(r.Columns))
		for i := range r.Columns {
			line[i] = formatValue(vals[i])
		}
		r.Sample = append(r.Sample, line)
		if n, ok := vals[len(vals)-1].(int64); ok {
			r.Failing = n
		}
	}
	return r, rows.Err()
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []byte:
		return string(x)
	case time.Time:
		return x.Format(time.DateTime)
	case fmt.Stringer: // DECIMAL, HUGEINT, UUID
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// formatRows aligns rows under their header; Chinese characters count as two
// columns.
func formatRows(header []string, rows [][]string, indent string) string {
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = runewidth.StringWidth(h)
	}
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], runewidth.StringWidth(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(runewidth.FillRight(c, width[i]))
		}
		b.WriteString(indent + strings.TrimRight(l.String(), " ") + "\n")
	}
	line(header)
	for _, row := range rows {
		line(row)
	}
	return b.String()
}
