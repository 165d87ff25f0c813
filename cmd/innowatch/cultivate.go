package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/internal/fsutil"
	sqlfiles "github.com/linyi-sti/innowatch/sql"
)

func newCultivateCmd(e *env) *cobra.Command {
	var out, asOf string
	var year int
	cmd := &cobra.Command{
		Use:   "cultivate --out DIR",
		Short: "Write the staff's cultivation workbooks (one XLSX per county): candidates ranked, certificates expiring",
		Long: `cultivate writes one workbook per county into DIR for the bureau's staff:

  培育库排序   the cultivation candidates of --year that hold no valid
               certificate on --as-of, ranked (meeting every condition of
               国科发火〔2016〕32号 first, then by conditions missed and R&D gap),
               each with what it lacks and by how much, and its tech-SME score
  证书到期     enterprises whose certificate expires this year or next with no
               later certificate, with the days left from --as-of
  说明         the date, the rules and the confidentiality notice

The workbooks name enterprises: they are confidential and never part of the
leaders' site. Reads the warehouse read-only (or its serving copy while a job
holds it). See docs/REGISTERS.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return &usageError{"--out DIR is required"}
			}
			ctx := cmd.Context()
			db, note, err := openHistory(ctx, dbFlag(cmd))
			if err != nil {
				return err
			}
			defer db.Close()
			if note != "" {
				fmt.Fprintln(e.stderr, note)
			}
			if year == 0 {
				if err := db.SQL().QueryRowContext(ctx, `SELECT coalesce(max(eval_year), 0) FROM cultivation_pool`).Scan(&year); err != nil {
					return fmt.Errorf("find the evaluation year: %w", err)
				}
				if year == 0 {
					return &innowatch.Error{Msg: "no cultivation pool (培育库) in the warehouse", Hint: "load one with `innowatch registers FILE`"}
				}
			}
			day := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
			if now := e.now(); now.Before(day) {
				day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
			}
			if asOf != "" {
				if day, err = time.Parse(time.DateOnly, asOf); err != nil {
					return &usageError{"--as-of: write the date as 2020-10-31"}
				}
			}
			files, err := writeCultivation(ctx, db.SQL(), out, year, day)
			if err != nil {
				return err
			}
			for _, f := range files {
				fmt.Fprintf(e.stdout, "wrote      %s\n", f)
			}
			fmt.Fprintf(e.stdout, "cultivate  %d county workbook(s) for %d as of %s into %s (confidential: names enterprises)\n",
				len(files), year, day.Format(time.DateOnly), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "folder the workbooks are written into")
	cmd.Flags().IntVar(&year, "year", 0, "evaluation year of the candidates (default: the latest in the pool)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "date the status is taken at, YYYY-MM-DD (default: today, at most 31 December of --year)")
	return cmd
}

// countyBook gathers one county's rows.
type countyBook struct {
	code, name         string
	candidates, expiry [][]any
}

func writeCultivation(ctx context.Context, db *sql.DB, out string, year int, asOf time.Time) ([]string, error) {
	books := map[string]*countyBook{}
	book := func(code, name string) *countyBook {
		if b, ok := books[code]; ok {
			return b
		}
		b := &countyBook{code: code, name: name}
		books[code] = b
		return b
	}
	d := asOf.Format(time.DateOnly)
	if err := eachRow(ctx, db, sqlfiles.Query("cultivate_candidates"), []any{year, d, d}, func(v []any) {
		b := book(v[0].(string), v[1].(string))
		b.candidates = append(b.candidates, v[2:])
	}); err != nil {
		return nil, fmt.Errorf("read candidates: %w", err)
	}
	if err := eachRow(ctx, db, sqlfiles.Query("cultivate_expiring"), []any{d, year, year}, func(v []any) {
		b := book(v[0].(string), v[1].(string))
		b.expiry = append(b.expiry, v[2:])
	}); err != nil {
		return nil, fmt.Errorf("read expiring certificates: %w", err)
	}
	if len(books) == 0 {
		return nil, &innowatch.Error{Msg: fmt.Sprintf("no candidates of %d and no certificates expiring in %d–%d", year, year, year+1),
			Hint: "load the rosters with `innowatch registers FILE` (or `innowatch run` for the sample)"}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", out, err)
	}
	codes := make([]string, 0, len(books))
	for c := range books {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var written []string
	for _, c := range codes {
		b := books[c]
		path := filepath.Join(out, fmt.Sprintf("高企培育_%d_%s_%s.xlsx", year, b.code, b.name))
		if err := fsutil.WriteFileAtomic(path, 0o600, func(w io.Writer) error { return b.write(w, year, asOf) }); err != nil {
			return written, fmt.Errorf("write %s: %w", path, err)
		}
		written = append(written, path)
	}
	return written, nil
}

var (
	candidateHeader = []string{"排序", "企业名称", "统一社会信用代码", "满足全部认定条件", "未满足条件数", "尚缺条件及差距",
		"研发费用尚差（万元）", "科技人员尚差（人）", "境内研发费用尚差（万元）", "高新技术产品收入尚差（万元）",
		"科技人员占比（%）", "研发费用占比（%）", "应达比例（%）", "境内研发占比（%）", "高新技术产品收入占比（%）",
		"科技型中小企业得分", "符合科技型中小企业条件"}
	expiryHeader = []string{"企业名称", "统一社会信用代码", "证书编号", "发证日期", "到期日（当日起失效）", "距到期天数"}
)

func (b *countyBook) write(w io.Writer, year int, asOf time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name   string
		header []string
		rows   [][]any
	}{
		{"培育库排序", candidateHeader, b.candidates},
		{"证书到期", expiryHeader, b.expiry},
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		hdr := make([]any, len(s.header))
		for j, h := range s.header {
			hdr[j] = h
		}
		if err := f.SetSheetRow(s.name, "A1", &hdr); err != nil {
			return err
		}
		f.SetRowStyle(s.name, 1, 1, bold)
		for r, row := range s.rows {
			vals := make([]any, len(row))
			for j, v := range row {
				switch x := v.(type) {
				case bool:
					vals[j] = map[bool]string{true: "是", false: "否"}[x]
				case nil:
					vals[j] = ""
				default:
					vals[j] = x
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := f.SetSheetRow(s.name, cell, &vals); err != nil {
				return err
			}
		}
		f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		f.SetColWidth(s.name, "A", "A", 8)
		f.SetColWidth(s.name, "B", "C", 30)
	}
	notes := []string{
		fmt.Sprintf("%s 高新技术企业培育名单（%d年度，截至%s）", b.name, year, asOf.Format(time.DateOnly)),
		"内部资料，含企业名称与信用代码：不得公开，不上领导驾驶舱网站。",
		"认定条件（国科发火〔2016〕32号）：注册满一年；有知识产权；科技人员占职工总数≥10%；近三年研发费用占销售收入≥5%（近一年销售收入≤5000万元）、≥4%（≤2亿元）、≥3%（2亿元以上）；境内研发费用≥60%；高新技术产品（服务）收入占总收入≥60%。",
		"排序：满足全部条件的在前，其次按未满足条件数、研发费用差额。已持有效证书的企业不列入。",
		"证书到期：最新证书自发证日起三年有效（到期日当日起失效），本年及下一年到期且无新证书的企业。",
		"数据为示例时系模拟数据（示例数据（模拟））。",
	}
	if _, err := f.NewSheet("说明"); err != nil {
		return err
	}
	for i, n := range notes {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetCellValue("说明", cell, n); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// eachRow runs a query and hands each row's values to fn.
func eachRow(ctx context.Context, db *sql.DB, q string, args []any, fn func([]any)) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(vals)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return nil
}
