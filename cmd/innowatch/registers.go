package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/pipelines/synth"

	"github.com/linyi-sti/innowatch/pipelines"
	"github.com/linyi-sti/innowatch/pipelines/registers"
	"github.com/linyi-sti/innowatch/pipelines/sample"
)

func newRegistersCmd(e *env) *cobra.Command {
	var kind, mapping, encoding string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "registers FILE...",
		Short: "Validate and load the bureau's rosters (高企证书, 科技型中小企业, 培育库, 创新平台)",
		Long: `registers reads roster files (CSV in UTF-8/GBK/GB18030, or XLSX) with the
headers the bureau keeps, validates every row (统一社会信用代码 check digit
(GB 32100-2015), counties, certificate numbers, dates, duplicates) and loads
each file in one transaction: a file replaces the whole roster of its kind,
or is refused whole with every problem's file, sheet, row and column.

The kind is recognised from the headers:
  高新技术企业证书名单   企业名称, 统一社会信用代码, 所在县区, 证书编号, 发证日期, [撤销日期], [技术领域]
  科技型中小企业入库名单 企业名称, 统一社会信用代码, 所在县区, 入库登记编号, 入库日期
  培育库                 企业名称, 统一社会信用代码, 所在县区, 成立日期, 职工总数, 科技人员数, …, 评价年度
  创新平台名单           平台名称, 平台类型, 级别, 依托单位, 依托单位统一社会信用代码, 所在县区, 认定日期, [撤销日期]
Other layouts: --mapping FILE.yaml (docs/REGISTERS.md). Enterprise-level rows
stay in the warehouse; the leaders' site shows aggregates only.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := registers.Options{}
			var err error
			if kind != "" {
				if opt.Kind, err = registers.ParseKind(kind); err != nil {
					return &usageError{"--kind: " + err.Error()}
				}
			}
			if opt.Encoding, err = pipelines.ParseEncoding(encoding); err != nil {
				return &usageError{err.Error()}
			}
			if mapping != "" {
				if opt.Mapping, err = registers.LoadMapping(mapping); err != nil {
					return err
				}
			}
			return e.writer(cmd.Context(), dbFlag(cmd), "registers", func(ctx context.Context, w *work) error {
				var first error
				for _, path := range args {
					data, err := os.ReadFile(path)
					if err != nil {
						return fmt.Errorf("read roster: %w", err)
					}
					if !dryRun {
						r, same, err := registers.Recognise(ctx, w.db, filepath.Base(path), data, opt)
						if err != nil {
							return err
						}
						if same {
							printRoster(e.stdout, r, false)
							continue
						}
					}
					cat, err := w.catalog()
					if err != nil {
						return err
					}
					ro := registers.Read(filepath.Base(path), data, cat, opt)
					r := registers.FileResult{File: ro.File, Roster: ro}
					if dryRun {
						r.Err = ro.Err()
					} else {
						r.Load, r.Err = registers.Load(ctx, w.db, ro, w.runID, e.now())
					}
					printRoster(e.stdout, r, dryRun)
					if r.Load.Status == registers.Loaded {
						w.changed = true
					}
					if r.Err != nil && first == nil {
						first = r.Err
					}
				}
				return first
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "roster kind (certificates, tech_smes, candidates, platforms); default: from the headers")
	cmd.Flags().StringVar(&mapping, "mapping", "", "roster mapping .yaml for other header spellings (docs/REGISTERS.md)")
	cmd.Flags().StringVar(&encoding, "encoding", "auto", "text encoding of CSV files: auto, utf-8, gbk, gb18030")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and report without loading")
	return cmd
}

func printRoster(out io.Writer, r registers.FileResult, dryRun bool) {
	ro := r.Roster
	what := string(ro.Kind)
	if ro.Kind != "" {
		what += " (" + ro.Kind.Title() + ")"
	}
	switch {
	case ro.HasErrors():
		fmt.Fprintf(out, "refused    %s: %d problem(s), nothing loaded [%s %s]\n", r.File, len(ro.Problems.Errors())+ro.More, ro.Format, what)
		printProblems(out, ro.Problems.Errors(), ro.More)
	case dryRun:
		fmt.Fprintf(out, "valid      %s: %s, %d rows (dry run, not loaded)\n", r.File, what, len(ro.Rows))
	case r.Err != nil:
		fmt.Fprintf(out, "failed     %s: %v\n", r.File, r.Err)
	case r.Load.Status == registers.Unchanged:
		fmt.Fprintf(out, "unchanged  %s: same content as roster load #%d, nothing to do\n", r.File, r.Load.LoadID)
	default:
		fmt.Fprintf(out, "loaded     %s: %s, %d rows, replaces the roster (load #%d)\n", r.File, what, len(ro.Rows), r.Load.LoadID)
	}
	printProblems(out, ro.Problems.Warnings(), 0)
}

// stepRegisters loads the rosters of a run: the simulated ones of the
// built-in sample, or DIR/registers/*.csv|xlsx of --data DIR when present.
func (e *env) stepRegisters(ctx context.Context, w *work, dataDir string) error {
	fsys := sample.RegistersFS()
	prefix := sample.SourcePrefix
	if dataDir != "" {
		dir := filepath.Join(dataDir, "registers")
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		fsys, prefix = os.DirFS(dir), ""
	}
	res, err := registers.LoadFS(ctx, w.db, w.cats, fsys, prefix, w.runID, e.now())
	loaded := 0
	for _, r := range res {
		printRoster(e.stdout, r, false)
		if r.Load.Status == registers.Loaded {
			loaded++
			w.changed = true
		}
	}
	w.details["rosters_loaded"] = loaded
	return err
}

// genRosters writes simulated rosters of the scale into DIR/registers, which
// `innowatch run --data DIR` loads after the facts.
func (e *env) genRosters(cat *innowatch.Catalog, scale, out string, opt synth.Options) error {
	start := time.Now()
	files, certs, err := registers.GenerateRosters(cat.Regions(), registers.SynthOptions{Scale: scale, City: opt.City,
		Province: opt.Province, Seed: opt.Seed, ToYear: opt.ToYear})
	if err != nil {
		return &usageError{err.Error()}
	}
	dir := filepath.Join(out, "registers")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b := files[n]
		if err := fsutil.WriteFileAtomic(filepath.Join(dir, n), 0o644, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "generated  %s: rosters with %d certificates in %s (simulated data)\n", dir, certs, time.Since(start).Round(time.Millisecond))
	return nil
}
