package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/console"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines/schedule"
)

func newRunsCmd(e *env) *cobra.Command {
	var f schedule.HistoryFilter
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the run history: jobs, triggers, outcomes, counts",
		Long: `runs lists the latest runs of every writer — the one-shot commands and the
scheduled jobs — newest first: job, kind, trigger (cron, catch-up, manual),
the schedule slot, start time and duration in Beijing time, status
(running, succeeded, partial, failed, aborted, skipped), attempt, counts and error.

It reads the warehouse itself when no job holds it, and otherwise the
serving copy (the history as of the last successful job).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, note, err := openHistory(cmd.Context(), dbFlag(cmd))
			if err != nil {
				return err
			}
			defer db.Close()
			if note != "" {
				fmt.Fprintln(e.stderr, note)
			}
			rows, err := schedule.ListRuns(cmd.Context(), db.SQL(), f)
			if err != nil {
				return err
			}
			loc, err := time.LoadLocation("Asia/Shanghai")
			if err != nil {
				return err
			}
			return printRuns(e, rows, loc)
		},
	}
	cmd.Flags().StringVar(&f.Job, "job", "", "only this scheduled job")
	cmd.Flags().StringVar(&f.Status, "status", "", "only this status: running, succeeded, partial, failed, aborted or skipped")
	cmd.Flags().IntVar(&f.Limit, "limit", 20, "show at most this many runs")
	return cmd
}

// openHistory opens the live warehouse read-only when it is free (the
// freshest history, including failures after the last serving copy), else
// the serving copy.
func openHistory(ctx context.Context, dbPath string) (*duckdb.DB, string, error) {
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return nil, "", &innowatch.Error{Msg: "no warehouse at " + dbPath,
			Hint: "give its path with --db, or create it with `innowatch run`"}
	}
	db, err := duckdb.Open(ctx, dbPath, duckdb.Options{ReadOnly: true, Settings: readerSettings})
	if err == nil {
		return db, "", nil
	}
	note := "note: a job holds the warehouse; showing the history as of the last published serving copy"
	switch {
	case errors.Is(err, duckdb.ErrDamaged):
		note = "note: the warehouse cannot be read (" + firstLine(err.Error()) + "); showing the history as of the serving copy — " +
			"`innowatch restore` puts that copy back in place"
	case !errors.Is(err, innowatch.ErrLocked):
		return nil, "", err
	}
	db, serr := duckdb.OpenServing(ctx, dbPath, readerSettings)
	if serr != nil {
		return nil, "", err
	}
	return db, note, nil
}

func printRuns(e *env, rows []schedule.RunRow, loc *time.Location) error {
	tw, err := console.NewResultWriter(console.FormatTable, e.stdout, console.WriteOptions{})
	if err != nil {
		return err
	}
	var cols []console.Column
	for _, name := range []string{"id", "job", "kind", "trigger", "scheduled", "started", "took", "status", "attempt", "details / error"} {
		cols = append(cols, console.Column{Name: name})
	}
	if err := tw.Begin(cols); err != nil {
		return err
	}
	stamp := func(tm time.Time) string {
		if tm.IsZero() {
			return ""
		}
		return tm.In(loc).Format("2006-01-02 15:04")
	}
	for _, r := range rows {
		took := ""
		if !r.FinishedAt.IsZero() {
			took = (time.Duration(r.Seconds * float64(time.Second))).Round(10 * time.Millisecond).String()
		}
		info := compactDetails(r.Details)
		if r.Error != "" {
			msg := strings.SplitN(r.Error, "\n", 2)[0]
			if len([]rune(msg)) > 100 {
				msg = string([]rune(msg)[:100]) + "…"
			}
			info = strings.TrimSpace(info + " " + msg)
		}
		if err := tw.Row([]any{r.ID, r.Job, r.Kind, r.Trigger, stamp(r.ScheduledAt), stamp(r.StartedAt), took,
			r.Status, int64(r.Attempt), info}); err != nil {
			return err
		}
	}
	if err := tw.End(); err != nil {
		return err
	}
	s := "s"
	if len(rows) == 1 {
		s = ""
	}
	fmt.Fprintf(e.stdout, "(%d run%s)\n", len(rows), s)
	return nil
}

// compactDetails turns {"files":2,"models":3} into "files=2 models=3".
func compactDetails(js string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil || len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		if k == "changed" && v == false {
			continue // the usual case; "changed=true" marks a run readers saw
		}
		if list, ok := v.([]any); ok {
			var items []string
			for _, it := range list {
				items = append(items, fmt.Sprint(it))
			}
			v = strings.Join(items, ",")
		}
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	return strings.Join(parts, " ")
}
