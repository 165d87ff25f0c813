package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards/bulletin"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/schedule"
)

func newScheduleCmd(e *env) *cobra.Command {
	var configPath, serve, once, logFormat string
	var printConfig bool
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Run the scheduled jobs as a daemon (inbox, build, render, bulletin, freshness)",
		Long: `schedule is the daemon for unattended operation on the bureau's server. It
runs the jobs of the config on their cron schedules in Asia/Shanghai, one at a
time, each holding the warehouse only while it runs: statisticians query the
serving copy meanwhile (innowatch sql) and never meet a lock.

Files dropped into the inbox are ingested once they stop changing; loaded
files move to archive/YYYY-MM/, refused ones to rejected/ with NAME.errors.txt
beside them. Every run is recorded (innowatch runs); failures are retried with
backoff and alerted to the log and an optional webhook, as is stale data.
SIGTERM or Ctrl-C stops it gracefully. One daemon per warehouse.

Without --config the built-in default is used (print it with --print-config).
See docs/OPERATIONS.md for the config reference and a systemd unit.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if printConfig {
				_, err := e.stdout.Write(schedule.DefaultConfig)
				return err
			}
			cfg, err := schedule.LoadConfig(configPath)
			if err != nil {
				return err
			}
			if f := cmd.Flag("db"); f != nil && f.Changed {
				cfg.Warehouse = f.Value.String()
			}
			if serve != "" {
				cfg.Serve = serve
			}
			log, err := daemonLogger(e.stderr, logFormat)
			if err != nil {
				return err
			}
			d := newDaemon(e, cfg, log, clockwork.NewRealClock())
			return d.run(cmd.Context(), once)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "path of innowatch.yaml (default: the built-in config)")
	cmd.Flags().StringVar(&serve, "serve", "", "also serve the site read-only over HTTP on this address, e.g. :8080")
	cmd.Flags().StringVar(&once, "once", "", "run this job now (trigger manual, with its retries) and exit")
	cmd.Flags().StringVar(&logFormat, "log-format", "json", "log format on stderr: json or text")
	cmd.Flags().BoolVar(&printConfig, "print-config", false, "print the built-in default config and exit")
	return cmd
}

func daemonLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	}
	return nil, &usageError{fmt.Sprintf("--log-format %q: use json or text", format)}
}

// daemon wires the scheduler to the warehouse, the steps and the outside.
type daemon struct {
	e      *env
	cfg    *schedule.Config
	log    *slog.Logger
	clock  clockwork.Clock
	inbox  *schedule.Inbox
	alerts *schedule.Notifier
}

func newDaemon(e *env, cfg *schedule.Config, log *slog.Logger, clock clockwork.Clock) *daemon {
	return &daemon{e: e, cfg: cfg, log: log, clock: clock,
		inbox: &schedule.Inbox{Dir: cfg.Inbox.Dir, ArchiveDir: cfg.Inbox.Archive, RejectedDir: cfg.Inbox.Rejected,
			Settle: cfg.Inbox.Settle, Clock: clock, Location: cfg.Location},
		alerts: &schedule.Notifier{URL: cfg.Alerts.Webhook, Retries: cfg.Alerts.Retries, Backoff: cfg.Alerts.Backoff,
			Timeout: cfg.Alerts.Timeout, Clock: clock, Logger: log},
	}
}

func (d *daemon) run(ctx context.Context, once string) error {
	lock, err := schedule.AcquireLock(d.cfg.Warehouse, d.clock.Now().In(d.cfg.Location))
	if err != nil {
		return err
	}
	defer lock.Release()
	var jobs []schedule.Job
	for _, jc := range d.cfg.ActiveJobs() {
		jobs = append(jobs, schedule.Job{Name: jc.Name, Kind: jc.Kind(), Schedule: jc.Schedule, Timeout: jc.Timeout,
			Retries: jc.Retries, Backoff: jc.Backoff, CatchUp: jc.CatchUp, Func: d.jobFunc(jc)})
	}
	s, err := schedule.New(jobs, schedule.Options{Clock: d.clock, Location: d.cfg.Location, Recorder: d,
		Alerter: d.alerts, Logger: d.log, StopGrace: d.cfg.StopGrace})
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := d.alerts.Close(cctx); err != nil {
			d.log.Warn("alerts not all sent before exit", "error", err)
		}
	}()
	if once != "" {
		return s.RunOnce(ctx, once)
	}
	if d.cfg.Serve != "" {
		stop, err := d.serve(d.cfg.Serve)
		if err != nil {
			return err
		}
		defer stop()
	}
	// A job killed between its commit and its publication (a crash, a
	// SIGKILL after the stop grace) left the serving copy behind: bring it
	// up to the warehouse's last commit before anything else.
	if err := d.catchUpServing(ctx); err != nil {
		d.log.Warn("serving copy not brought up to date at start; the next job does it", "error", err)
	}
	d.log.Info("scheduler started", "warehouse", d.cfg.Warehouse, "pid", os.Getpid(), "jobs", len(jobs),
		"timezone", d.cfg.Location.String(), "inbox", d.cfg.Inbox.Dir)
	err = s.Run(ctx)
	d.log.Info("scheduler stopped")
	return err
}

// serve starts the read-only site server; stop shuts it down gracefully.
func (d *daemon) serve(addr string) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, &innowatch.Error{Msg: "serve the site on " + addr, Err: err,
			Hint: "choose a free address with --serve (e.g. :8080) or stop what listens there"}
	}
	srv := &http.Server{Handler: schedule.SiteHandler(d.cfg.Site), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("site server stopped", "error", err)
		}
	}()
	d.log.Info("serving the site read-only", "addr", ln.Addr().String(), "dir", d.cfg.Site)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// session opens the warehouse for a short bookkeeping write (no run row,
// no serving copy): the scheduler's own records and look-ups.
func (d *daemon) session(ctx context.Context, fn func(db *duckdb.DB) error) (err error) {
	db, _, err := duckdb.OpenWriter(ctx, d.cfg.Warehouse, lockWait)
	if err != nil {
		return duckdb.Explain(err, d.cfg.Warehouse)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return fn(db)
}

// catchUpServing opens the warehouse as a writer would and publishes the
// serving copy when the warehouse has commits it lacks.
func (d *daemon) catchUpServing(ctx context.Context) error {
	if _, err := os.Stat(d.cfg.Warehouse); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, _, err := d.e.openJob(ctx, d.cfg.Warehouse)
	if err != nil {
		return duckdb.Explain(err, d.cfg.Warehouse)
	}
	return db.Close()
}

// Record implements schedule.Recorder.
func (d *daemon) Record(ctx context.Context, recs []schedule.Record) error {
	return d.session(ctx, func(db *duckdb.DB) error { return schedule.WriteRecords(ctx, db, recs) })
}

// Succeeded implements schedule.Recorder.
func (d *daemon) Succeeded(ctx context.Context, job string, slot time.Time) (bool, error) {
	if _, err := os.Stat(d.cfg.Warehouse); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	var ok bool
	err := d.session(ctx, func(db *duckdb.DB) (err error) {
		ok, err = schedule.SucceededAt(ctx, db.SQL(), job, slot)
		return err
	})
	return ok, err
}

// jobFunc builds the work of one attempt of a job from the steps.
func (d *daemon) jobFunc(jc schedule.JobConfig) func(context.Context, *schedule.Run) error {
	return func(ctx context.Context, r *schedule.Run) error {
		var ready []schedule.InboxFile
		if jc.Steps[0] == schedule.StepInbox {
			var err error
			if ready, err = d.inbox.Ready(); err != nil {
				return err
			}
			if len(ready) == 0 && r.Trigger == schedule.TriggerManual {
				// A person asked now: look again once the files had time
				// to settle instead of waiting for the next firing.
				select {
				case <-d.clock.After(d.cfg.Inbox.Settle):
				case <-ctx.Done():
					return ctx.Err()
				}
				if ready, err = d.inbox.Ready(); err != nil {
					return err
				}
			}
			if len(ready) == 0 {
				return nil // nothing to do: no run row, no new serving copy
			}
		}
		spec := duckdb.RunSpec{Kind: jc.Kind(), Job: jc.Name, Trigger: string(r.Trigger), ScheduledAt: r.ScheduledAt, Attempt: r.Attempt}
		return d.e.writerRun(ctx, d.cfg.Warehouse, spec, func(ctx context.Context, w *work) error {
			r.Recorded(w.runID)
			for _, step := range jc.Steps {
				switch step {
				case schedule.StepInbox:
					valid, err := d.stepInbox(ctx, w, jc.Name, ready)
					if err != nil {
						return err
					}
					if valid == 0 {
						return nil // every file refused: nothing to build
					}
				case schedule.StepBuild:
					if err := d.e.stepBuild(ctx, w); err != nil {
						return err
					}
				case schedule.StepRender:
					if err := d.e.stepRender(ctx, w, d.cfg.Site, renderOptions{}); err != nil {
						return err
					}
				case schedule.StepBulletin:
					month := previousMonth(r.ScheduledAt.In(d.cfg.Location))
					w.details["bulletin_month"] = month.String()
					var printer bulletin.Printer
					if c, err := bulletin.FindChromium(); err == nil {
						printer = c
					}
					// The archive lives in the site (site/bulletins/): the
					// bulletin step re-renders it in one atomic publication.
					err := d.e.stepBulletin(ctx, w, bulletin.Options{Month: month, Printer: printer}, d.cfg.Site)
					if errors.Is(err, bulletin.ErrAlreadyPublished) {
						// Published by hand or by an earlier slot: never twice.
						// A publication a kill interrupted after its commit is
						// completed (site, archive; the writer publishes the
						// serving copy).
						w.details["bulletin_already_published"] = true
						return d.e.stepRender(ctx, w, d.cfg.Site, renderOptions{})
					}
					if err != nil {
						return err
					}
				case schedule.StepFreshness:
					if err := d.stepFreshness(ctx, w); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
}

// previousMonth is the month before t's: a bulletin scheduled on 5 March
// reports February (for a catch-up too: the slot, not the clock, decides).
func previousMonth(t time.Time) innowatch.Period {
	p := time.Date(t.Year(), t.Month()-1, 1, 0, 0, 0, 0, t.Location())
	return innowatch.Period{Year: p.Year(), Month: int(p.Month())}
}

// stepInbox ingests the settled files: refused ones go to rejected/ with a
// report and an alert, the others are loaded (through the ingest step) and
// then archived. A failure to write leaves them in the inbox for the retry.
func (d *daemon) stepInbox(ctx context.Context, w *work, job string, ready []schedule.InboxFile) (valid int, err error) {
	var good []pipelines.File
	var goodFiles []schedule.InboxFile
	var rejected []string
	for _, f := range ready {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			return 0, fmt.Errorf("read inbox file: %w", err)
		}
		file := pipelines.File{Name: f.Name, Data: data}
		cat, err := w.catalog()
		if err != nil {
			return 0, err
		}
		if problems := pipelines.Parse(file, cat).Problems; len(problems.Errors()) > 0 {
			report := schedule.RejectionReport(f.Name, data, problems, d.clock.Now().In(d.cfg.Location))
			dst, err := d.inbox.Reject(f, report)
			if err != nil {
				return 0, err
			}
			rejected = append(rejected, f.Name)
			msg := fmt.Sprintf("file %s refused with %d error(s); nothing of it was loaded; report: %s.errors.txt",
				f.Name, len(problems.Errors()), dst)
			fmt.Fprintf(d.e.stdout, "rejected   %s\n", msg)
			d.alerts.Alert(schedule.Alert{Kind: schedule.AlertRejected, Job: job, Message: msg,
				Error: problems.Errors()[0].String(), At: d.clock.Now()})
			continue
		}
		good = append(good, file)
		goodFiles = append(goodFiles, f)
	}
	w.details["inbox_rejected"] = len(rejected)
	if len(rejected) > 0 {
		w.details["rejected_files"] = rejected
		w.partial = true // the good files are published; the refused ones are alerted
	}
	if len(good) == 0 {
		return 0, nil
	}
	if err := d.e.stepIngest(ctx, w, good, pipelines.Options{}); err != nil {
		return 0, err
	}
	for _, f := range goodFiles {
		if _, err := d.inbox.Archive(f); err != nil {
			return 0, err
		}
	}
	w.details["inbox_loaded"] = len(good)
	return len(good), nil
}

// stepFreshness checks the freshness rules against the warehouse and
// alerts on stale data; stale data is not a failure of the job.
func (d *daemon) stepFreshness(ctx context.Context, w *work) error {
	cat, err := w.catalog()
	if err != nil {
		return schedule.Permanent(err)
	}
	stale, err := schedule.CheckFreshness(ctx, w.db.SQL(), cat, d.cfg.Freshness, d.clock.Now(), d.cfg.Location)
	if err != nil {
		return schedule.Permanent(err)
	}
	w.details["freshness_rules"] = len(d.cfg.Freshness)
	w.details["stale"] = len(stale)
	for _, s := range stale {
		fmt.Fprintf(d.e.stdout, "stale      %s\n", s.Message)
	}
	if len(stale) > 0 {
		d.alerts.Alert(schedule.Alert{Kind: schedule.AlertStale, Stale: stale, At: d.clock.Now(),
			Message: fmt.Sprintf("%d indicator(s) overdue: %s", len(stale), stale[0].Message)})
	}
	return nil
}
