package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/console"
	"github.com/linyi-sti/innowatch/internal/duckdb"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	"github.com/linyi-sti/innowatch/models"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

// exportMarker marks a folder written by innowatch export: only such a
// folder (or an empty or missing one) is replaced.
const exportMarker = ".innowatch-export"

func newExportCmd(e *env) *cobra.Command {
	var format, out, lake string
	var bom bool
	cmd := &cobra.Command{
		Use:   "export --out DIR",
		Short: "Write the marts as Parquet (partitioned by year), CSV or XLSX, with a README of the columns",
		Long: `export writes every mart built by the models (indicator_values,
county_vs_province, … and facts_latest) from the current serving copy into DIR,
for Python, R, Spark and Excel users, with a README.md describing every
column (from the warehouse's COMMENTs).

  --format parquet  DIR/<mart>/year=2020/data_0.parquet (Hive layout, zstd)
  --format csv      DIR/<mart>.csv   (--bom for Excel)
  --format xlsx     DIR/<mart>.xlsx

DIR is replaced whole once everything is written; a DIR that holds other
files is refused.

--lake DIR writes a data lake for engines beyond one machine (Spark, Trino,
DuckDB): the facts table with every vintage and lineage, and every mart, as
Parquet partitioned by year; docs/LAKE.md shows how to query it and run the
same model SQL there.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			withFacts := false
			if lake != "" {
				if out != "" || cmd.Flags().Changed("format") {
					return &usageError{"--lake DIR writes Parquet; give it alone, without --out or --format"}
				}
				out, format, withFacts = lake, "parquet", true
			}
			if out == "" {
				return &usageError{"--out DIR (or --lake DIR) is required"}
			}
			f, err := console.ParseFormat(format)
			if err != nil || (f != console.FormatParquet && f != console.FormatCSV && f != console.FormatXLSX) {
				return &usageError{fmt.Sprintf("--format %s: choose parquet, csv or xlsx", format)}
			}
			return e.export(cmd.Context(), dbFlag(cmd), out, f, bom, withFacts)
		},
	}
	cmd.Flags().StringVar(&format, "format", "parquet", "parquet, csv or xlsx")
	cmd.Flags().StringVar(&out, "out", "", "folder to write (`DIR`)")
	cmd.Flags().BoolVar(&bom, "bom", false, "start CSV files with a UTF-8 byte order mark (for Excel)")
	cmd.Flags().StringVar(&lake, "lake", "", "write facts (every vintage) and marts as a Parquet lake in `DIR`")
	return cmd
}

// lakeInputs are the tables the models read, written by --lake beside the marts.
var lakeInputs = []string{"facts", "indicators", "indicator_units", "regions", "region_aliases", "unit_counts",
	"focus", "targets", "tier_cutoffs", "index_parameters", "index_settings", "index_groups",
	"hitech_certificates", "cultivation_pool", "platform_register", "platform_types", "register_loads"} // the rosters (confidential: docs/REGISTERS.md)

// exported is what was written for one mart.
type exported struct {
	rel   *console.Relation
	path  string // relative to the export folder
	rows  int
	years []string
}

func (e *env) export(ctx context.Context, dbPath, out string, format console.Format, bom, withFacts bool) error {
	dst, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := checkExportTarget(dst); err != nil {
		return err
	}
	db, err := openReader(ctx, dbPath, readerSettings)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer conn.Close()
	rels, err := console.Relations(ctx, conn)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	ms, err := models.Load(sqlfiles.Models, "models")
	if err != nil {
		return err
	}
	var marts []*console.Relation
	if withFacts {
		// The lake carries what the models read, so another engine can run
		// the same model SQL on it: the facts with every vintage and the
		// reference tables.
		for _, name := range lakeInputs {
			r := rels[name]
			if r == nil {
				return fmt.Errorf("export: the warehouse has no table %s", name)
			}
			marts = append(marts, r)
		}
	}
	for _, m := range ms {
		if r := rels[m.Name]; r != nil {
			marts = append(marts, r)
		}
	}
	sort.Slice(marts, func(i, j int) bool { return marts[i].Name < marts[j].Name })
	if len(marts) == 0 {
		return &innowatch.Error{Msg: "the warehouse has no marts to export", Hint: "run `innowatch run` or `innowatch build` first"}
	}
	if err := fsutil.RecoverDir(dst); err != nil {
		return err
	}
	staging := fmt.Sprintf("%s.new-%d", dst, os.Getpid())
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(staging)
		}
	}()
	var results []exported
	for _, r := range marts {
		x, err := exportOne(ctx, conn, staging, r, format, bom)
		if err != nil {
			return fmt.Errorf("export %s: %w", r.Name, err)
		}
		results = append(results, x)
		fmt.Fprintf(e.stdout, "exported   %-24s %8d rows  %s\n", r.Name, x.rows, x.path)
	}
	readme := exportReadme(db.Path(), format, results)
	if err := os.WriteFile(filepath.Join(staging, "README.md"), []byte(readme), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.WriteFile(filepath.Join(staging, exportMarker), []byte(db.Path()+"\n"), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := fsutil.ReplaceDir(staging, dst); err != nil {
		return err
	}
	done = true
	fmt.Fprintf(e.stdout, "wrote      %s (README.md lists every column)\n", dst)
	return nil
}

// checkExportTarget refuses to replace a folder export did not write.
func checkExportTarget(dst string) error {
	entries, err := os.ReadDir(dst)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dst, exportMarker)); err == nil {
		return nil
	}
	return &innowatch.Error{
		Msg:  dst + " holds files that innowatch export did not write",
		Hint: "export replaces its folder whole: choose a new or empty folder",
	}
}

func exportOne(ctx context.Context, conn *sql.Conn, dir string, r *console.Relation, format console.Format, bom bool) (exported, error) {
	x := exported{rel: r}
	all := "SELECT * FROM " + duckdb.Ident(r.Name)
	switch format {
	case console.FormatCSV, console.FormatXLSX:
		x.path = r.Name + "." + string(format)
		err := writeResult(filepath.Join(dir, x.path), format, bom, func(w console.ResultWriter) (int, error) {
			return console.Query(ctx, conn, w, all)
		}, &x.rows)
		return x, err
	}
	yearsQ, rowsQ, ok := console.PartitionQueries(*r)
	if !ok {
		x.path = r.Name + ".parquet"
		err := writeResult(filepath.Join(dir, x.path), format, false, func(w console.ResultWriter) (int, error) {
			return console.Query(ctx, conn, w, all)
		}, &x.rows)
		return x, err
	}
	x.path = r.Name + "/"
	years, err := queryYears(ctx, conn, yearsQ)
	if err != nil {
		return x, err
	}
	for _, y := range years {
		part := "__HIVE_DEFAULT_PARTITION__"
		var arg any
		if y.Valid {
			part = fmt.Sprint(y.Int64)
			arg = y.Int64
		}
		sub := filepath.Join(dir, r.Name, "year="+part)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return x, err
		}
		var n int
		err := writeResult(filepath.Join(sub, "data_0.parquet"), format, false, func(w console.ResultWriter) (int, error) {
			return console.Query(ctx, conn, w, rowsQ, arg)
		}, &n)
		if err != nil {
			return x, err
		}
		x.rows += n
		x.years = append(x.years, part)
	}
	return x, nil
}

func queryYears(ctx context.Context, conn *sql.Conn, q string) ([]sql.NullInt64, error) {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sql.NullInt64
	for rows.Next() {
		var y sql.NullInt64
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

func writeResult(path string, format console.Format, bom bool, run func(console.ResultWriter) (int, error), n *int) error {
	return fsutil.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		rw, err := console.NewResultWriter(format, w, console.WriteOptions{BOM: bom})
		if err != nil {
			return err
		}
		*n, err = run(rw)
		return err
	})
}

// exportReadme documents the export: how to read it from each client, then
// every mart and column with the warehouse's own comments.
func exportReadme(source string, format console.Format, xs []exported) string {
	var b strings.Builder
	b.WriteString("# innowatch export\n\n")
	fmt.Fprintf(&b, "Written by `innowatch export --format %s` from the serving copy `%s`.\n", format, filepath.Base(source))
	b.WriteString("Values are in each indicator's catalog unit (see the `indicators` table: 亿元, %, 家 …); ")
	b.WriteString("an empty value means *not reported* (never zero), with `missing_reason` where the mart has one.\n\n")
	if format == console.FormatParquet {
		b.WriteString("## Reading it\n\n")
		b.WriteString("Each mart is a folder partitioned by year in Hive layout (`<mart>/year=2020/data_0.parquet`); ")
		b.WriteString("the `year` column lives in the folder names (derived from `period` for marts without a year column).\n\n")
		b.WriteString("```sql\n-- DuckDB\nSELECT * FROM read_parquet('indicator_values/*/*.parquet', hive_partitioning = true) WHERE year = 2020;\n```\n\n")
		b.WriteString("```python\n# pandas / pyarrow\nimport pandas as pd\ndf = pd.read_parquet('indicator_values', filters=[('year', '=', 2020)])\n```\n\n")
		b.WriteString("```r\n# R\nlibrary(arrow)\nds <- open_dataset('indicator_values')  # year is a partition column\n```\n\n")
		b.WriteString("```python\n# Spark\nspark.read.parquet('indicator_values').where('year = 2020')\n```\n\n")
	}
	b.WriteString("## Contents\n\n| mart | kind | rows | file(s) |\n|---|---|---:|---|\n")
	for _, x := range xs {
		files := x.path
		if len(x.years) > 0 {
			files += fmt.Sprintf(" (year=%s … year=%s)", x.years[0], x.years[len(x.years)-1])
		}
		fmt.Fprintf(&b, "| %s | %s | %d | `%s` |\n", x.rel.Name, x.rel.Kind, x.rows, files)
	}
	for _, x := range xs {
		fmt.Fprintf(&b, "\n## %s\n\n", x.rel.Name)
		if x.rel.Comment != "" {
			fmt.Fprintf(&b, "%s\n\n", x.rel.Comment)
		}
		b.WriteString("| column | type | description |\n|---|---|---|\n")
		for _, c := range x.rel.Columns {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Name, c.Type, strings.ReplaceAll(c.Comment, "|", "\\|"))
		}
	}
	return b.String()
}
