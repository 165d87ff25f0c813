package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/linyi-sti/innowatch/pipelines"
)

func newIngestCmd(e *env) *cobra.Command {
	var dryRun bool
	var encoding, period, mapping string
	var accepts []string
	cmd := &cobra.Command{
		Use:   "ingest FILE...",
		Short: "Validate and load input files into the warehouse",
		Long: `ingest validates each file against the catalog and loads it in one
transaction: a file loads entirely or not at all, and every problem is listed
with its file, sheet, row, column and value. Loading the same content again
changes nothing; changed values become a new vintage, earlier vintages are kept.

Formats (by extension):
  .csv             long CSV region_code,period,indicator,value[,unit,region_name,status,note]
                   in UTF-8 (with or without BOM), GBK or GB18030 (detected);
                   a targets CSV is recognised by its target_kind column
  .xlsx            wide sheets as counties send them (a row per region, a column
                   per indicator; title, two-line headers, units, total rows,
                   footnotes), read through a template mapping; or long sheets
  .parquet .arrow  long layout (Arrow IPC file or stream)
  .json .ndjson    long layout: an array of records, or one record per line

Before anything is written, every value is checked for plausibility against
the file itself and the warehouse (parts ≤ wholes, ratios against their parts,
10× jumps against a year or a month earlier, periods after today). A figure
known to be right is loaded with --accept KEY[:REGION[:INDICATOR[:PERIOD]]]=REASON;
the reason is stored with the load (table load_accepts).

The exit status is non-zero when any file was refused. See docs/INGEST.md.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ro := pipelines.ReadOptions{}
			var err error
			if ro.Encoding, err = pipelines.ParseEncoding(encoding); err != nil {
				return &usageError{err.Error()}
			}
			if period != "" {
				p, err := pipelines.ParsePeriodText(period)
				if err != nil {
					return &usageError{"--period: " + err.Error() + "; write it as " + pipelines.PeriodSpellings}
				}
				ro.Period = &p
			}
			if mapping != "" {
				if ro.Mapping, err = pipelines.LoadMapping(mapping); err != nil {
					return err
				}
			}
			files, err := readFiles(args)
			if err != nil {
				return err
			}
			opt := pipelines.Options{DryRun: dryRun, Read: ro, Progress: newProgress(e.stderr)}
			if dryRun {
				return e.dryRunIngest(cmd.Context(), dbFlag(cmd), files, opt, accepts)
			}
			return e.writer(cmd.Context(), dbFlag(cmd), "ingest", func(ctx context.Context, w *work) error {
				return e.ingestAccepting(ctx, w, files, opt, accepts)
			})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and report without loading")
	cmd.Flags().StringVar(&encoding, "encoding", "auto", "text encoding of CSV and JSON files: auto, utf-8, gbk, gb18030")
	cmd.Flags().StringVar(&period, "period", "", "period of wide sheets whose title and sheet name state none (2020, 2020-10, 2020年1-10月, …)")
	cmd.Flags().StringArrayVar(&accepts, "accept", nil, "accept a plausibility problem known to be right: KEY[:REGION[:INDICATOR[:PERIOD]]]=REASON (repeatable; the reason is stored with the load; keys: "+strings.Join(pipelines.AcceptableKeys, ", ")+")")
	cmd.Flags().StringVar(&mapping, "mapping", "", "template mapping for wide sheets: a built-in name or a .yaml file (default: chosen by title)")
	return cmd
}

// barProgress draws a progress bar on a terminal for files that take more
// than a couple of seconds; on anything else (a pipe, a log) it is silent.
type barProgress struct {
	w      io.Writer
	mu     sync.Mutex
	name   string
	phase  string
	total  int64
	start  time.Time
	bar    *progressbar.ProgressBar
	latest int64
}

// showAfter is how long a file must take before a bar appears.
const showAfter = 2 * time.Second

// newProgress returns nil (no progress) unless w is a terminal.
func newProgress(w io.Writer) pipelines.Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &barProgress{w: w}
}

func (p *barProgress) Start(name string, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.name, p.total, p.start, p.bar, p.latest = name, total, time.Now(), nil, 0
}

func (p *barProgress) Phase(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase = name
	if p.bar != nil {
		p.bar.Describe(p.name + " " + name)
	}
}

func (p *barProgress) Set(done int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.latest = done
	if p.bar == nil {
		if time.Since(p.start) < showAfter {
			return
		}
		p.bar = progressbar.NewOptions64(p.total, progressbar.OptionSetWriter(p.w), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription(p.name+" "+p.phase), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(), progressbar.OptionSetPredictTime(true), progressbar.OptionFullWidth())
	}
	p.bar.Set64(done)
}

func (p *barProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

// ingestAccepting runs the ingest step with the --accept rules parsed
// against the warehouse's catalog, and notes the rules that matched nothing
// (a typo in a rule must not pass for an accepted problem).
func (e *env) ingestAccepting(ctx context.Context, w *work, files []pipelines.File, opt pipelines.Options, accepts []string) error {
	for _, s := range accepts {
		cat, err := w.catalog()
		if err != nil {
			return err
		}
		a, err := pipelines.ParseAccept(s, cat)
		if err != nil {
			return &usageError{err.Error()}
		}
		opt.Accept = append(opt.Accept, &a)
	}
	err := e.stepIngest(ctx, w, files, opt)
	for _, rule := range pipelines.UnusedAccepts(opt.Accept) {
		fmt.Fprintf(e.stderr, "note       --accept %s matched no problem\n", rule)
	}
	return err
}
