package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch/pipelines"
)

func newRunCmd(e *env) *cobra.Command {
	var dataDir, out string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Create or migrate the warehouse, ingest, build the models and render the site",
		Long: `run is the main job: it creates (or migrates) the warehouse, ingests the
sample dataset built into the binary (or every .csv file of --data), builds the
SQL models, renders the static site into --out, and publishes a read-only
serving copy of the warehouse for queries.

Input files that are unchanged since their last load are skipped. Any refused
file fails the run before the models are built: the last good site stays.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, err := dataFiles(dataDir)
			if err != nil {
				return err
			}
			return e.writer(cmd.Context(), dbFlag(cmd), "run", func(ctx context.Context, w *work) error {
				if err := e.stepIngest(ctx, w, files, pipelines.Options{}); err != nil {
					return err
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
	return cmd
}
