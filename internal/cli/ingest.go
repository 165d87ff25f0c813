package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch/pipelines"
)

func newIngestCmd(e *env) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "ingest FILE...",
		Short: "Validate and load input files into the warehouse",
		Long: `ingest validates each file against the catalog and loads it in one
transaction: a file loads entirely or not at all, and every problem is listed
with its file, row, column and value. Loading the same content again changes
nothing; changed values become a new vintage, earlier vintages are kept.

The canonical format is a long CSV (UTF-8) with the header
  region_code,period,indicator,value[,unit,region_name,status,note]
and a targets CSV is recognised by its target_kind column.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := readFiles(args)
			if err != nil {
				return err
			}
			return e.writer(cmd.Context(), dbFlag(cmd), "ingest", func(ctx context.Context, w *work) error {
				return e.stepIngest(ctx, w, files, pipelines.Options{DryRun: dryRun})
			})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and report without loading")
	return cmd
}
