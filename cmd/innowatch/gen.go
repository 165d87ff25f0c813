package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/pipelines/synth"
)

func newGenCmd(e *env) *cobra.Command {
	opt := synth.Options{}
	var scale, out string
	cmd := &cobra.Command{
		Use:   "gen --scale city|province|national --out DIR",
		Short: "Generate simulated canonical input files at city, province or national scale",
		Long: `gen writes a deterministic, plausible long CSV of every base indicator for the
regions of the chosen scale, built bottom-up so that parts add up and
year-to-date flows never fall. It is simulated data, for benchmarks and load
tests; ingest it with innowatch ingest or innowatch run --data DIR.

  city      the focus city's counties and zones, the city, its province and the
            province's other cities
  province  a province with every city, county and zone
  national  every province, city, county and zone of the country (≈3,300 units)

--rows N writes exactly N data rows, adding years backwards as needed
(10 million rows at national scale ≈ 23 years); years more than nine before
the last hold that year's levels.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opt.Scale = synth.Scale(scale)
			db, err := duckdb.Open(cmd.Context(), duckdb.Memory, duckdb.Options{})
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.Migrate(cmd.Context()); err != nil {
				return err
			}
			cat, err := db.LoadCatalog(cmd.Context())
			if err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			path := filepath.Join(out, fmt.Sprintf("facts_%s.csv", scale))
			start := time.Now()
			var rows int64
			err = fsutil.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
				var err error
				rows, err = synth.Generate(w, cat.Regions(), opt)
				return err
			})
			if err != nil {
				return &usageError{err.Error()}
			}
			st, _ := os.Stat(path)
			fmt.Fprintf(e.stdout, "generated  %s: %d rows, %.1f MB in %s (simulated data)\n",
				path, rows, float64(st.Size())/1e6, time.Since(start).Round(time.Millisecond))
			return e.genRosters(cat, scale, out, opt) // DIR/registers: simulated rosters (registers.go)
		},
	}
	cmd.Flags().StringVar(&scale, "scale", "city", "city, province or national")
	cmd.Flags().StringVar(&out, "out", "gen", "folder to write into")
	cmd.Flags().StringVar(&opt.City, "city", "371300", "focus city code (scale city)")
	cmd.Flags().StringVar(&opt.Province, "province", "370000", "province code (scales city and province)")
	cmd.Flags().Uint64Var(&opt.Seed, "seed", 2020, "random seed: the same seed writes the same bytes")
	cmd.Flags().IntVar(&opt.ToYear, "to-year", 2020, "last year generated")
	cmd.Flags().IntVar(&opt.Years, "years", 10, "number of years")
	cmd.Flags().Int64Var(&opt.Rows, "rows", 0, "exact number of rows (0: the natural size of the scale)")
	return cmd
}
