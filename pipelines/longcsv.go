package pipelines

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// The canonical input: long CSV, UTF-8, one fact per row.
var (
	longRequired = []string{"region_code", "period", "indicator", "value"}
	longOptional = []string{"unit", "region_name", "status", "note"}
)

const utf8BOM = "\ufeff"

// ReadCSV reads a canonical CSV file: long facts (header region_code,
// period, indicator, value, …) or targets (header with target_kind). Every
// problem in the file is collected; the batch is loadable only when
// Problems.Errors() is empty.
func ReadCSV(name string, data []byte, cat *innowatch.Catalog) *Batch {
	b := &Batch{File: name, Hash: HashBytes(data)}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if len(bytes.TrimSpace(data)) == 0 {
		b.Problems = append(b.Problems, Problem{Severity: SeverityError, Key: "empty_file", File: name,
			Message: "文件为空", Expected: "表头 region_code,period,indicator,value 及数据行"})
		return b
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		b.Problems = append(b.Problems, csvProblem(name, err))
		return b
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	if indexOf(header, "target_kind") >= 0 {
		b.Format = "targets_csv"
		readTargets(b, r, header, cat)
		return b
	}
	b.Format = "long_csv"
	readLong(b, r, header, cat)
	return b
}

func readLong(b *Batch, r *csv.Reader, header []string, cat *innowatch.Catalog) {
	col, ok := mapHeader(b, header, longRequired, longOptional)
	if !ok {
		return
	}
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			b.Problems = append(b.Problems, csvProblem(b.File, err))
			return
		}
		b.RowsRead++
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			b.addf(line, "", strings.Join(rec, ","), "wrong_field_count", fmt.Sprintf("%d个字段", len(header)), "",
				"字段数为%d，与表头不一致", len(rec))
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		f, ok := parseLongRow(b, line, get, cat)
		if !ok {
			continue
		}
		if first, dup := seen[f.Key()]; dup {
			b.addf(line, "region_code", f.Key(), "duplicate_key", "每个（区划, 期别, 指标）只出现一次",
				fmt.Sprintf("与第%d行重复", first), "重复的键")
			continue
		}
		seen[f.Key()] = line
		b.Facts = append(b.Facts, f)
	}
}

// parseLongRow validates one row; problems are added to b.
func parseLongRow(b *Batch, line int, get func(string) string, cat *innowatch.Catalog) (innowatch.Fact, bool) {
	f := innowatch.Fact{Row: line}
	ok := true
	code := get("region_code")
	region, err := cat.Region(code)
	if err != nil {
		b.addf(line, "region_code", code, "unknown_region", "已知的6位区划代码", innowatch.HintOf(err), "未知的区划代码")
		ok = false
	} else if name := get("region_name"); name != "" {
		if byName, err := cat.RegionByName(name); err != nil || byName.Code != region.Code {
			b.addf(line, "region_name", name, "region_name_mismatch", region.Name, "名称须与代码"+code+"一致（或为其别名）",
				"区划名称与代码不符")
			ok = false
		}
	}
	f.Region = code
	ind, err := cat.Indicator(get("indicator"))
	if err != nil {
		b.addf(line, "indicator", get("indicator"), "unknown_indicator", "指标目录中的代码", innowatch.HintOf(err), "未知的指标")
		ok = false
	}
	f.Indicator = ind.Code
	p, err := innowatch.ParsePeriod(get("period"))
	if err != nil {
		b.addf(line, "period", get("period"), "bad_period", "YYYY 或 YYYY-MM", "", "期别无法识别")
		ok = false
	} else if ind.Code != "" {
		switch {
		case ind.Frequency == "annual" && !p.Annual():
			b.addf(line, "period", get("period"), "frequency_mismatch", "年度期别 YYYY", ind.Code+"为年度指标", "期别与指标频率不符")
			ok = false
		case ind.Frequency == "monthly" && p.Annual():
			b.addf(line, "period", get("period"), "frequency_mismatch", "月度期别 YYYY-MM", ind.Code+"为月度指标（流量为1-N月累计）", "期别与指标频率不符")
			ok = false
		}
		if region.Code != "" && !region.ValidIn(p.Year) {
			b.addf(line, "period", get("period"), "region_not_valid", fmt.Sprintf("%s的有效年份", region.Name), "", "该区划代码在此年份不使用")
			ok = false
		}
	}
	f.Period = p
	status, err := innowatch.ParseStatus(get("status"))
	if err != nil {
		b.addf(line, "status", get("status"), "bad_status", "provisional（初步）或 final（核实）", "", "状态无法识别")
		ok = false
	}
	f.Status = status
	f.Note = get("note")
	raw := get("value")
	if innowatch.IsMissingMarker(raw) {
		f.Missing = true
		f.MissingReason = f.Note
		if f.MissingReason == "" {
			f.MissingReason = "未报送"
			if raw != "" {
				f.MissingReason = "未报送（" + raw + "）"
			}
		}
		return f, ok
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		b.addf(line, "value", raw, "bad_number", "数字，或缺失标记（—、-、…、/、空 或留空）", "", "数值无法识别")
		return f, false
	}
	if ind.Code == "" {
		return f, false
	}
	v, err = cat.Convert(ind, v, get("unit"))
	if err != nil {
		b.addf(line, "unit", get("unit"), "unknown_unit", ind.Unit, innowatch.HintOf(err), "单位不适用于该指标")
		return f, false
	}
	if err := ind.CheckRange(v); err != nil {
		b.addf(line, "value", raw, "out_of_range", strings.TrimPrefix(err.Error(), innowatch.ErrOutOfRange.Error()+": "), "", "数值超出有效范围")
		return f, false
	}
	f.Value = v
	return f, ok
}

func readTargets(b *Batch, r *csv.Reader, header []string, cat *innowatch.Catalog) {
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
		line, _ := r.FieldPos(0)
		if err != nil {
			b.Problems = append(b.Problems, csvProblem(b.File, err))
			return
		}
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

// mapHeader finds the columns; unknown or missing columns refuse the file.
func mapHeader(b *Batch, header, required, optional []string) (map[string]int, bool) {
	col := map[string]int{}
	ok := true
	known := append(append([]string{}, required...), optional...)
	for i, h := range header {
		if indexOf(known, h) < 0 {
			b.Problems = append(b.Problems, Problem{Severity: SeverityError, Key: "unknown_column", File: b.File, Row: 1,
				Column: h, Value: h, Message: "未知的列", Expected: strings.Join(known, ", ")})
			ok = false
			continue
		}
		if _, dup := col[h]; dup {
			b.Problems = append(b.Problems, Problem{Severity: SeverityError, Key: "duplicate_column", File: b.File, Row: 1,
				Column: h, Value: h, Message: "列重复"})
			ok = false
		}
		col[h] = i
	}
	for _, c := range required {
		if _, have := col[c]; !have {
			b.Problems = append(b.Problems, Problem{Severity: SeverityError, Key: "missing_column", File: b.File, Row: 1,
				Column: c, Message: "缺少必需的列", Expected: strings.Join(required, ",")})
			ok = false
		}
	}
	return col, ok
}

func (b *Batch) addf(line int, column, value, key, expected, hint, format string, args ...any) {
	b.Problems = append(b.Problems, Problem{Severity: SeverityError, Key: key, File: b.File, Row: line,
		Column: column, Value: value, Message: fmt.Sprintf(format, args...), Expected: expected, Hint: hint})
}

func csvProblem(file string, err error) Problem {
	p := Problem{Severity: SeverityError, Key: "bad_csv", File: file, Message: "CSV 格式错误: " + err.Error(),
		Expected: "RFC 4180 CSV（引号成对）"}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		p.Row = pe.Line
		p.Message = "CSV 格式错误: " + pe.Err.Error()
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
