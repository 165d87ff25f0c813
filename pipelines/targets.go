package pipelines

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// readTargets reads the rows of a targets CSV; off is the number of lines
// before r's first line.
func readTargets(b *Batch, r *csv.Reader, header []string, cat *innowatch.Catalog, off int) {
	col, ok := mapHeader(b, header,
		[]string{"region_code", "year", "indicator", "target_kind", "target_value", "description_zh", "source"},
		[]string{"target_max", "baseline_period"})
	if !ok {
		return
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			b.report(csvProblem(b.File, err, off))
			return
		}
		line, _ := r.FieldPos(0) // only valid after a record was read
		line += off
		b.RowsRead++
		if len(rec) != len(header) {
			b.addf(line, "", strings.Join(rec, ","), "wrong_field_count", fmt.Sprintf("%d个字段", len(header)), "", "字段数为%d，与表头不一致", len(rec))
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		t := Target{Region: get("region_code"), Indicator: get("indicator"), Kind: get("target_kind"),
			BaselinePeriod: get("baseline_period"), DescriptionZH: get("description_zh"), Source: get("source")}
		good := true
		if _, err := cat.Region(t.Region); err != nil {
			b.addf(line, "region_code", t.Region, "unknown_region", "已知的6位区划代码", innowatch.HintOf(err), "未知的区划代码")
			good = false
		}
		if _, err := cat.Indicator(t.Indicator); err != nil {
			b.addf(line, "indicator", t.Indicator, "unknown_indicator", "指标目录中的代码", innowatch.HintOf(err), "未知的指标")
			good = false
		}
		if !targetKinds[t.Kind] {
			b.addf(line, "target_kind", t.Kind, "bad_target_kind",
				"total, net_increase, new_count, point_increase, above_province, ytd_count, count_this_year", "", "未知的目标类型")
			good = false
		}
		y, err := strconv.Atoi(get("year"))
		if err != nil || y < innowatch.MinYear || y > innowatch.MaxYear {
			b.addf(line, "year", get("year"), "bad_year", "四位年份", "", "年份无法识别")
			good = false
		}
		t.Year = y
		if t.BaselinePeriod != "" {
			if _, err := innowatch.ParsePeriod(t.BaselinePeriod); err != nil {
				b.addf(line, "baseline_period", t.BaselinePeriod, "bad_period", "YYYY 或 YYYY-MM", "", "基期无法识别")
				good = false
			}
		}
		for _, c := range []struct {
			name string
			dst  **float64
		}{{"target_value", &t.Value}, {"target_max", &t.Max}} {
			raw := get(c.name)
			if innowatch.IsMissingMarker(raw) {
				continue
			}
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				b.addf(line, c.name, raw, "bad_number", "数字或留空", "", "数值无法识别")
				good = false
				continue
			}
			*c.dst = &v
		}
		if t.Value == nil && t.Kind != "above_province" {
			b.addf(line, "target_value", "", "missing_target_value", "目标值", "只有 above_province 可以不填目标值", "缺少目标值")
			good = false
		}
		if t.DescriptionZH == "" || t.Source == "" {
			b.addf(line, "description_zh", "", "missing_description", "目标的中文表述和来源文件", "", "缺少目标表述或来源")
			good = false
		}
		if good {
			b.Targets = append(b.Targets, t)
		}
	}
}

// columnAliases are the Chinese column names accepted for the long layout.
var columnAliases = map[string]string{
	"区划代码": "region_code", "地区代码": "region_code", "代码": "region_code",
	"期别": "period", "时期": "period", "报告期": "period", "统计时期": "period",
	"指标": "indicator", "指标代码": "indicator", "指标名称": "indicator",
	"数值": "value", "值": "value", "指标值": "value",
	"单位": "unit", "计量单位": "unit",
	"地区": "region_name", "地区名称": "region_name", "区划名称": "region_name", "县区": "region_name",
	"状态": "status", "数据状态": "status",
	"备注": "note", "说明": "note",
}

// mapHeader finds the columns; unknown or missing columns refuse the file.
func mapHeader(b *Batch, header, required, optional []string) (map[string]int, bool) {
	col := map[string]int{}
	ok := true
	known := append(append([]string{}, required...), optional...)
	for i, h := range header {
		if canon, ok := columnAliases[h]; ok {
			h = canon
		}
		if indexOf(known, h) < 0 {
			b.report(Problem{Severity: SeverityError, Key: "unknown_column", File: b.File, Row: 1,
				Column: h, Value: h, Message: "未知的列", Expected: strings.Join(known, ", ")})
			ok = false
			continue
		}
		if _, dup := col[h]; dup {
			b.report(Problem{Severity: SeverityError, Key: "duplicate_column", File: b.File, Row: 1,
				Column: h, Value: h, Message: "列重复"})
			ok = false
		}
		col[h] = i
	}
	for _, c := range required {
		if _, have := col[c]; !have {
			b.report(Problem{Severity: SeverityError, Key: "missing_column", File: b.File, Row: 1,
				Column: c, Message: "缺少必需的列", Expected: strings.Join(required, ",")})
			ok = false
		}
	}
	return col, ok
}

func (b *Batch) addf(line int, column, value, key, expected, hint, format string, args ...any) {
	b.report(Problem{Severity: SeverityError, Key: key, File: b.File, Row: line,
		Column: column, Value: value, Message: fmt.Sprintf(format, args...), Expected: expected, Hint: hint})
}

func csvProblem(file string, err error, lineOffset int) Problem {
	p := Problem{Severity: SeverityError, Key: "bad_csv", File: file, Message: "CSV 格式错误: " + err.Error(),
		Expected: "RFC 4180 CSV（引号成对）"}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		p.Row = pe.StartLine + lineOffset
		p.Message = "CSV 格式错误: " + pe.Err.Error()
		if pe.Line != pe.StartLine {
			p.Message += fmt.Sprintf("（记录从第%d行开始，到第%d行仍未结束）", pe.StartLine+lineOffset, pe.Line+lineOffset)
		}
	}
	return p
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}
