package cli

import (
	"context"

	"github.com/spf13/cobra"
)

func newRenderCmd(e *env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render the static dashboard site",
		Long: `render writes the static site from the built models into a new folder beside
--out and swaps it in when complete: a failed render leaves the last good site.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.writer(cmd.Context(), dbFlag(cmd), "render", func(ctx context.Context, w *work) error {
				return e.stepRender(ctx, w, out)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", defaultOut, "folder the static site is written to")
	return cmd
}
