package main

import (
	"context"

	"github.com/spf13/cobra"
)

func newRenderCmd(e *env) *cobra.Command {
	var out string
	var sizes, force bool
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render the static dashboard site",
		Long: `render writes the static site from the built models into a new folder beside
--out and swaps it in when complete: a failed render leaves the last good site.

The site: 总览 (index.html), one page per indicator (indicators/), one per
county and zone (regions/), 目标 (targets.html) and 方法与数据
(methodology.html), with ECharts and the Linyi map in assets/. It opens from
file:// or any web server, without internet. --sizes lists every page's size
with its scripts, raw and gzip-compressed (docs/SITE.md).

When nothing the site shows has changed since it was rendered (the models'
states, loads, bulletins, focus, targets, the program and the day), render
leaves it as it is; --force renders anyway.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.writer(cmd.Context(), dbFlag(cmd), "render", func(ctx context.Context, w *work) error {
				return e.stepRender(ctx, w, out, renderOptions{sizes: sizes, force: force})
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", defaultOut, "folder the static site is written to")
	cmd.Flags().BoolVar(&force, "force", false, "render even when nothing the site shows has changed")
	cmd.Flags().BoolVar(&sizes, "sizes", false, "list every page's size, raw and gzip, with its scripts and stylesheet")
	return cmd
}
