package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards/bulletin"
)

func newBulletinCmd(e *env) *cobra.Command {
	var monthFlag, revise, out string
	var noPDF bool
	cmd := &cobra.Command{
		Use:   "bulletin",
		Short: "Publish the monthly bulletin (月报) and rewrite the site's archive",
		Long: `bulletin writes "临沂市科技创新主要指标月报（2020年1-10月）" from the built marts: a
Chinese narrative (value, 同比, against the provincial average, rank among the
province's cities, targets against 序时进度, missing data named), a table per
headline indicator, charts, and notes with definitions, sources and the data
vintage. It stores the HTML page, the Markdown text and, when Chromium is
installed, a PDF in the warehouse table bulletins, then re-renders the site
with the archive under --out/bulletins/.

A published month is never rewritten. Publishing it again is refused; a
correction is a revision with its reason, and the original stays:
  innowatch bulletin --month 2020-10
  innowatch bulletin --month 2020-10 --revise "蒙阴县数据补报"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var month innowatch.Period
			if monthFlag != "" {
				p, err := innowatch.ParsePeriod(monthFlag)
				if err != nil || p.Annual() {
					return &usageError{fmt.Sprintf("--month %q: expected YYYY-MM, e.g. 2020-10", monthFlag)}
				}
				month = p
			}
			if cmd.Flags().Changed("revise") && strings.TrimSpace(revise) == "" {
				return &usageError{`--revise needs the reason for the revision, e.g. --revise "蒙阴县数据补报"`}
			}
			var printer bulletin.Printer
			if !noPDF {
				c, err := bulletin.FindChromium()
				if err != nil {
					fmt.Fprintf(e.stderr, "note: no PDF: %v; the HTML prints to A4 from any browser\n", err)
				} else {
					printer = c
				}
			}
			return e.writer(cmd.Context(), dbFlag(cmd), "bulletin", func(ctx context.Context, w *work) error {
				return e.stepBulletin(ctx, w, bulletin.Options{Month: month, Revise: revise, Printer: printer}, out)
			})
		},
	}
	cmd.Flags().StringVar(&monthFlag, "month", "", "month to publish, YYYY-MM (default: the latest month with data)")
	cmd.Flags().StringVar(&revise, "revise", "", "publish a revision of an already published month, for this reason")
	cmd.Flags().StringVar(&out, "out", defaultOut, "folder the static site (and its bulletins/ archive) is written to")
	cmd.Flags().BoolVar(&noPDF, "no-pdf", false, "do not print the PDF even when Chromium is installed")
	return cmd
}

// stepBulletin publishes one bulletin in one transaction, then renders the
// site, whose render rewrites the archive from the bulletins table.
func (e *env) stepBulletin(ctx context.Context, w *work, opt bulletin.Options, out string) error {
	opt.RunID, opt.Now = w.runID, e.now
	res, err := bulletin.Publish(ctx, w.db, opt)
	if errors.Is(err, bulletin.ErrAlreadyPublished) && opt.Revise == "" {
		// Published in the warehouse, but a kill after the commit may have
		// kept it from the site and the archive: a retry completes the
		// publication instead of refusing it.
		if rerr := e.stepRender(ctx, w, out, renderOptions{}); rerr != nil {
			return errors.Join(err, rerr)
		}
		if w.details["render_skipped"] == true {
			return err // complete everywhere: publishing it again is refused
		}
		w.details["bulletin_completed"] = true
		fmt.Fprintf(e.stdout, "completed  the bulletin was already in the warehouse but not on the site; the site and its archive now hold it\n")
		return nil
	}
	if err != nil {
		return err
	}
	w.changed = true
	w.details["bulletin"] = res.Month.String()
	w.details["revision"] = res.Revision
	w.details["max_vintage"] = res.Vintage.MaxVintage
	ids := make([]string, len(res.Vintage.LoadIDs))
	for i, id := range res.Vintage.LoadIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	what := "published"
	if res.Revision > 0 {
		what = "revised  "
	}
	fmt.Fprintf(e.stdout, "%s  %s %d年第%d期, revision %d; vintage %d (loads %s)\n", what, res.Title,
		res.Month.Year, res.Issue, res.Revision, res.Vintage.MaxVintage, strings.Join(ids, ", "))
	if res.PDF {
		fmt.Fprintln(e.stdout, "printed    PDF (A4)")
	}
	if res.SameAsPrevious {
		fmt.Fprintf(e.stderr, "note: revision %d has the same content as revision %d (same data); only the date and the notice differ\n",
			res.Revision, res.Revision-1)
	}
	if err := e.stepRender(ctx, w, out, renderOptions{}); err != nil {
		return fmt.Errorf("bulletin %s is published in the warehouse, but the site was not rendered (run innowatch render): %w", res.Month, err)
	}
	abs, _ := filepath.Abs(filepath.Join(out, bulletin.ArchiveDir, res.Month.String(), "index.html"))
	fmt.Fprintf(e.stdout, "bulletin   file://%s\n", abs)
	return nil
}
