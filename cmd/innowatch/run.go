package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/pipelines"
)

// ingestOutcome says, when run stops at a refused file, what was committed
// and what was skipped: each good file is loaded (and reaches the serving
// copy), the models and the site are not rebuilt.
func ingestOutcome(w *work, err error) error {
	loaded, _ := w.details["files_loaded"].(int)
	refused, _ := w.details["files_refused"].(int)
	w.details["skipped"] = "build, render"
	if refused == 0 {
		return err
	}
	what := "nothing was loaded"
	if loaded > 0 {
		what = fmt.Sprintf("%d file(s) loaded and committed (readers see them in the serving copy)", loaded)
	}
	return &innowatch.Error{
		Msg: fmt.Sprintf("%s; %d refused; the models and the site were NOT rebuilt", what, refused),
		Hint: "fix the refused files (every problem is listed above) and run again: files already loaded are recognised " +
			"and not loaded twice. To publish what was loaded now, run `innowatch build` and `innowatch render`",
		Err: err,
	}
}

func newRunCmd(e *env) *cobra.Command {
	var dataDir, out string
	var accepts []string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Create or migrate the warehouse, ingest, build the models and render the site",
		Long: `run is the main job: it creates (or migrates) the warehouse, ingests the
sample dataset built into the binary (or every .csv file of --data), builds the
SQL models, renders the static site into --out, and publishes a read-only
serving copy of the warehouse for queries.

Input files that are unchanged since their last load are skipped. Any refused
file fails the run before the models are built: the last good site stays.
A plausibility problem known to be right is accepted as with ingest:
--accept KEY[:REGION[:INDICATOR[:PERIOD]]]=REASON (the reason is stored).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, err := dataFiles(dataDir)
			if err != nil {
				return err
			}
			parseSQLAhead()
			return e.writer(cmd.Context(), dbFlag(cmd), "run", func(ctx context.Context, w *work) error {
				if err := e.ingestAccepting(ctx, w, files, pipelines.Options{}, accepts); err != nil {
					return ingestOutcome(w, err)
				}
				if err := e.stepRegisters(ctx, w, dataDir); err != nil {
					return err
				}
				if err := e.stepBuild(ctx, w); err != nil {
					return err
				}
				return e.stepRender(ctx, w, out, renderOptions{})
			})
		},
	}
	cmd.Flags().StringVar(&dataDir, "data", "", "folder of canonical CSV files to ingest instead of the built-in sample")
	cmd.Flags().StringVar(&out, "out", defaultOut, "folder the static site is written to")
	cmd.Flags().StringArrayVar(&accepts, "accept", nil, "accept a plausibility problem known to be right, as with ingest: KEY[:REGION[:INDICATOR[:PERIOD]]]=REASON (repeatable; the reason is stored with the load)")
	return cmd
}
