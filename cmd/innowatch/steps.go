package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch/dashboards"
	"github.com/linyi-sti/innowatch/dashboards/bulletin"
	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/sample"
)

// The steps a writer job is made of; run chains them, the single commands
// call one each.

func (e *env) stepIngest(ctx context.Context, w *work, files []pipelines.File, opt pipelines.Options) error {
	l := &pipelines.Loader{DB: w.db, Now: e.now}
	results, err := pipelines.Ingest(ctx, l, w.cats, w.runID, files, opt)
	var facts int64
	count := map[string]int{}
	for _, r := range results {
		printLoad(e.stdout, r)
		count[r.Status]++
		if r.Status == pipelines.Loaded {
			facts += r.New + r.Revised
			w.changed = true
		}
	}
	if len(files) > 1 {
		summary := fmt.Sprintf("summary    %d file(s):", len(files))
		sep := " "
		for _, st := range []string{pipelines.Loaded, pipelines.NoChange, pipelines.Unchanged, pipelines.Valid, pipelines.Refused} {
			if count[st] > 0 {
				summary += fmt.Sprintf("%s%d %s", sep, count[st], strings.ReplaceAll(st, "_", " "))
				sep = ", "
			}
		}
		fmt.Fprintln(e.stdout, summary)
	}
	loaded, refused := count[pipelines.Loaded], count[pipelines.Refused]
	w.details["files"] = len(files)
	w.details["files_loaded"] = loaded
	w.details["files_refused"] = refused
	w.details["facts_written"] = facts
	return err
}

// maxPrinted is how many problems of a file are printed; all are counted.
const maxPrinted = 100

func printLoad(out io.Writer, r pipelines.LoadResult) {
	how := r.Format
	if r.Encoding != "" {
		how += ", " + r.Encoding
	}
	if r.Mapping != "" {
		how += ", mapping " + r.Mapping
	}
	if how != "" {
		how = " [" + how + "]"
	}
	switch r.Status {
	case pipelines.Loaded:
		if r.Targets > 0 && r.Facts == 0 {
			fmt.Fprintf(out, "loaded     %s: %d targets, load #%d\n", r.File, r.Targets, r.LoadID)
			break
		}
		fmt.Fprintf(out, "loaded     %s: %d facts (%d new, %d revised), vintage %d%s\n", r.File, r.Facts, r.New, r.Revised, r.LoadID, how)
	case pipelines.NoChange:
		fmt.Fprintf(out, "no change  %s: all %d facts equal the latest vintage%s\n", r.File, r.Facts, how)
	case pipelines.Unchanged:
		fmt.Fprintf(out, "unchanged  %s: same content as load #%d (%s), nothing to do\n", r.File, r.PrevLoad, r.PrevAt.Format(time.DateTime))
	case pipelines.Valid:
		fmt.Fprintf(out, "valid      %s: %d facts, %d targets (dry run, not loaded)%s\n", r.File, r.Facts, r.Targets, how)
	case pipelines.Refused:
		fmt.Fprintf(out, "refused    %s: %d problem(s), nothing loaded%s\n", r.File, len(r.Problems)+r.MoreProblems, how)
		printProblems(out, r.Problems, r.MoreProblems)
	}
	printProblems(out, r.Warnings, r.MoreWarnings)
}

func printProblems(out io.Writer, ps pipelines.Problems, more int) {
	for i, p := range ps {
		if i == maxPrinted {
			more += len(ps) - maxPrinted
			break
		}
		fmt.Fprintf(out, "  %s\n", p)
	}
	if more > 0 {
		fmt.Fprintf(out, "  … and %d more\n", more)
	}
}

func (e *env) stepBuild(ctx context.Context, w *work) error {
	return e.buildModels(ctx, w, buildOptions{})
}

// renderOptions are what stepRender passes on: sizes prints every page's
// size; force renders even when nothing the site shows has changed.
type renderOptions struct {
	sizes bool
	force bool
}

// stepRender publishes the site and, inside the same atomic publication, the
// bulletin archive (written into the staging folder before the swap). Every
// mart of docs/MARTS.md must be built: a missing one fails the render
// instead of publishing a site with holes.
func (e *env) stepRender(ctx context.Context, w *work, out string, ro renderOptions) error {
	state, err := renderState(ctx, w.db.SQL(), e.now())
	if err != nil {
		return err
	}
	if !ro.force && !ro.sizes && renderedState(out) == state {
		abs, _ := filepath.Abs(filepath.Join(out, "index.html"))
		fmt.Fprintf(e.stdout, "unchanged  site %s: nothing it shows changed since it was rendered (render --force to redo)\n", out)
		fmt.Fprintf(e.stdout, "open       file://%s\n", abs)
		w.details["render_skipped"] = true
		return nil
	}
	if w.lean {
		defer e.leanRender(ctx, w)()
	}
	archive := func(ctx context.Context, staging string) error {
		if err := bulletin.WriteArchive(ctx, w.db.SQL(), staging); err != nil {
			return err
		}
		return writeRenderState(staging, state)
	}
	sqls, err := embeddedSQL()
	if err != nil {
		return err
	}
	res, err := dashboards.Render(ctx, w.db.SQL(), out, dashboards.Options{
		Now: e.now, RequireAllMarts: true, Extra: []func(context.Context, string) error{archive}, Models: sqls.ordered,
	})
	if err != nil {
		return err
	}
	w.details["pages"] = len(res.Pages)
	largest := res.Sizes[0]
	total := 0
	for _, s := range res.Sizes {
		total += s.HTMLGzip
		if s.TotalGzip > largest.TotalGzip {
			largest = s
		}
	}
	w.details["overview_gzip_bytes"] = res.Sizes[0].TotalGzip
	abs, _ := filepath.Abs(filepath.Join(res.Dir, "index.html"))
	fmt.Fprintf(e.stdout, "rendered   %d pages into %s: overview %s gzip with its scripts, largest %s %s\n",
		len(res.Pages), res.Dir, kb(res.Sizes[0].TotalGzip), largest.Page, kb(largest.TotalGzip))
	if ro.sizes {
		fmt.Fprintf(e.stdout, "%-44s %10s %10s %12s %12s\n", "page", "html", "gzip", "with assets", "gzip")
		for _, s := range res.Sizes {
			fmt.Fprintf(e.stdout, "%-44s %10s %10s %12s %12s\n", s.Page, kb(s.HTMLBytes), kb(s.HTMLGzip), kb(s.TotalBytes), kb(s.TotalGzip))
		}
		fmt.Fprintf(e.stdout, "%-44s %10s %10s\n", "all pages (html only)", "", kb(total))
	}
	fmt.Fprintf(e.stdout, "open       file://%s\n", abs)
	return nil
}

// kb prints a byte count in kilobytes.
func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

// dataFiles reads the canonical input files: the embedded sample when dir is
// empty, else every .csv file in dir.
func dataFiles(dir string) ([]pipelines.File, error) {
	if dir == "" {
		return pipelines.FilesFromFS(sample.FS(), sample.SourcePrefix)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read data folder: %w", err)
	}
	var paths []string
	for _, en := range entries {
		if !en.IsDir() && strings.EqualFold(filepath.Ext(en.Name()), ".csv") {
			paths = append(paths, filepath.Join(dir, en.Name()))
		}
	}
	if len(paths) == 0 {
		return nil, &usageError{fmt.Sprintf("no .csv files in %s", dir)}
	}
	sort.Strings(paths)
	return readFiles(paths)
}

// readFiles names the input files; their bytes are read while ingesting,
// so that a large CSV is streamed rather than held in memory.
func readFiles(paths []string) ([]pipelines.File, error) {
	var files []pipelines.File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read input: %w", err)
		}
		if st.IsDir() {
			return nil, &usageError{fmt.Sprintf("%s is a folder: name the files (for example %s)", p, filepath.Join(p, "*.xlsx"))}
		}
		files = append(files, pipelines.File{Name: filepath.Base(p), Path: p})
	}
	return files, nil
}
