package cli

import (
	"github.com/spf13/cobra"
)

func newBuildCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "build",
		Short: "Build the SQL models (all-or-nothing)",
		Long: `build runs the models in sql/models in dependency order inside one
transaction; tables are built under a staging name and swapped in, so a failing
model leaves the previous marts in place.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.writer(cmd.Context(), dbFlag(cmd), "build", e.stepBuild)
		},
	}
}
