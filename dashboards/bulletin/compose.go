package bulletin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// Part is a numbered part of the narrative.
type Part struct {
	Heading   string
	Sentences []Sentence
}

// Compose writes the narrative: the city on every headline indicator, the
// targets against 序时进度, and the counties.
func Compose(d *Data) []Part {
	overall := Part{Heading: "一、总体情况"}
	for _, s := range d.Sections {
		overall.Sentences = append(overall.Sentences, CitySentence(s.Indicator, s.City, s.Tier))
	}
	targets := Part{Heading: "二、目标任务完成情况"}
	for _, t := range d.Targets {
		targets.Sentences = append(targets.Sentences, TargetSentence(t))
	}
	if len(d.Targets) == 0 {
		targets.Sentences = append(targets.Sentences, Sentence{Text: "本年度目标任务暂缺。"})
	}
	if d.Registers != nil {
		targets.Sentences = append(targets.Sentences, RegistersSentences(d.Registers)...)
	}
	counties := Part{Heading: "三、县区和开发区情况"}
	for _, s := range d.Sections {
		counties.Sentences = append(counties.Sentences, CountySentence(s.Indicator, s.Counties))
	}
	return []Part{overall, targets, counties}
}

// Table is an indicator's table: the city, then counties and zones.
type Table struct {
	Caption string
	Header  []string
	Rows    []TableRow
}

// TableRow is a formatted row; Class is city, county or zone.
type TableRow struct {
	Cells   []string
	Class   string
	Missing bool
}

// Tables lays out one table per headline indicator.
func Tables(d *Data) []Table {
	var out []Table
	for _, s := range d.Sections {
		in := s.Indicator
		// An annual figure changes 比上年, a month's 同比.
		yoyHeader := versus(s.Period) + "（%）"
		if in.Kind == string(innowatch.KindRatio) {
			yoyHeader = versus(s.Period) + "（百分点）"
		}
		t := Table{
			Caption: in.Name + "（" + in.Unit + "，" + asOfLabel(in, s.Period) + "）",
			Header:  []string{"地区", "数值", yoyHeader, "位次", "位次变化", "备注"},
		}
		if s.City != nil {
			r := tableRow(s.City)
			r.Cells[0] = s.City.Name + "（全省位次）"
			t.Rows = append(t.Rows, r)
		}
		for i := range s.Counties {
			t.Rows = append(t.Rows, tableRow(&s.Counties[i]))
		}
		out = append(out, t)
	}
	return out
}

func tableRow(r *Row) TableRow {
	row := TableRow{Class: r.Level, Cells: []string{r.Name, "—", "—", "—", "—", ""}}
	if !r.Value.Valid {
		row.Missing = true
		row.Cells[5] = "数据暂缺"
		if r.Reason != "" {
			row.Cells[5] += "：" + r.Reason
		}
		return row
	}
	row.Cells[1] = fixed(r.Value.Float64, r.Decimals)
	if r.Yoy.Valid {
		dec := growthDecimals
		if r.YoyUnit == "百分点" {
			dec = r.Decimals
		}
		row.Cells[2] = signed(r.Yoy.Float64, dec)
	}
	if r.Rank.Valid {
		row.Cells[3] = strconv.FormatInt(r.Rank.Int64, 10)
		if r.Peers.Valid {
			row.Cells[3] += "/" + strconv.FormatInt(r.Peers.Int64, 10)
		}
		if r.Tied {
			row.Cells[3] = "并列" + row.Cells[3]
		}
	} else if r.RankNote != "" {
		row.Cells[5] = "无可比较的单位，不排位次"
	}
	switch {
	case !r.RankChange.Valid && r.Rank.Valid && r.Yoy.Valid && r.ChangeNote != "":
		row.Cells[4] = "不可比"
	case !r.RankChange.Valid:
	case r.RankChange.Int64 > 0:
		row.Cells[4] = "前移" + strconv.FormatInt(r.RankChange.Int64, 10)
	case r.RankChange.Int64 < 0:
		row.Cells[4] = "后移" + strconv.FormatInt(-r.RankChange.Int64, 10)
	default:
		row.Cells[4] = "持平"
	}
	if r.Gap.Valid && r.Level != "city" && !roundsToZero(r.Gap.Float64, r.Decimals) && r.Gap.Float64 > 0 {
		row.Cells[5] = "高于" + provinceRef(r.Basis, r.Level)
	}
	return row
}

// asOfLabel is the period of a figure as a caption says it: "2020年1-10月"
// for a flow, "2020年10月末" for a stock, "2019年" for a year.
func asOfLabel(in Indicator, p innowatch.Period) string {
	if p.Annual() || in.Flow {
		return periodLabel(p)
	}
	return strconv.Itoa(p.Year) + "年" + strconv.Itoa(p.Month) + "月末"
}

// signed prints a change with its sign: +1.20, -0.50, 0.00.
func signed(v float64, dec int) string {
	s := fixed(v, dec)
	if v > 0 && !roundsToZero(v, dec) {
		s = "+" + s
	}
	return s
}

// Notes are the definitions, bases, sources and vintage of a bulletin.
func Notes(d *Data) []string {
	var defs []string
	var annual []string
	for _, s := range d.Sections {
		in := s.Indicator
		if in.Definition != "" {
			defs = append(defs, in.Name+"："+in.Definition)
		}
		if in.Annual {
			annual = append(annual, in.Name+"为年度指标，采用"+periodLabel(s.Period)+"数据")
		}
	}
	notes := []string{"指标解释。" + strings.Join(defs, "；") + "。"}
	notes = append(notes, "比较口径。同比为与上年同期比较，累计指标为1-N月累计；比率指标的变化以百分点计，总量和数量指标的变化以百分比计。"+
		"与全省比较：比率指标与全省比率比较，总量和数量指标与全省平均水平（全省合计÷全省同级单位数）比较。"+
		"全市位次在全省各市中排列，县区位次在本市县区和开发区中排列，并列者同位次，数据暂缺者不参与排名；开发区与所在县区在地域上重叠，不相加。"+
		"序时进度为月份÷12。")
	if len(annual) > 0 {
		notes = append(notes, strings.Join(annual, "；")+"。")
	}
	notes = append(notes, "位次与梯队。数值相同者并列同一位次；仅一个单位有数据时不排位次；位次变化只在本期与上年同期参与排名的单位相同时给出，"+
		"否则注明不可比。梯队按规定的位次区间划分，数值并列跨越梯队界限时不划分梯队。"+
		"数值按四舍五入保留小数。")
	// The targets measured the same way, named together.
	var order []string
	byMeasure := map[string][]string{}
	for _, t := range d.Targets {
		if t.Measure != "" && t.Kind == "new_count" {
			if byMeasure[t.Measure] == nil {
				order = append(order, t.Measure)
			}
			byMeasure[t.Measure] = append(byMeasure[t.Measure], t.Description)
		}
	}
	var measures []string
	for _, m := range order {
		measures = append(measures, strings.Join(byMeasure[m], "、")+"："+m)
	}
	if len(measures) > 0 {
		notes = append(notes, "目标口径。"+strings.Join(measures, "；")+"；登记册提供年内新增数后改用新增数。"+
			"总量目标（如高新技术企业总数、孵化面积）按比上年末的增量与目标所需增量比较；占比提高的目标与上年同期比较，以全年数评价。")
	}
	src := "数据来源。" + strings.Join(d.Vintage.Sources, "、")
	if len(d.Vintage.TargetSources) > 0 {
		src += "；目标任务：" + strings.Join(d.Vintage.TargetSources, "、")
	}
	notes = append(notes, src+"。")
	ids := make([]string, len(d.Vintage.LoadIDs))
	for i, id := range d.Vintage.LoadIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	notes = append(notes, fmt.Sprintf("数据版本。本期使用入库批次（vintage）%s 的数据，最新版本 %d，共 %d 个指标值；以后入库的修订数据不改变本期月报，如需更正将发布修订版。",
		strings.Join(ids, "、"), d.Vintage.MaxVintage, d.Vintage.Values))
	if d.Sample {
		notes = append(notes, "示例数据（模拟）。本期月报的数据为模拟生成，仅用于演示，不代表实际统计结果。")
	}
	return notes
}

// revisionNotice is printed at the top of a revision.
func revisionNotice(m Meta) string {
	if m.Revision == 0 {
		return ""
	}
	return fmt.Sprintf("修订说明：本期月报于%s修订（第%d次修订），原因：%s。原版于%s发布，见 r0.html；以本修订版为准。",
		dateLabel(m.PublishedAt), m.Revision, m.Reason, dateLabel(m.OriginalPublishedAt))
}

// supersededNotice is put on an earlier revision when the archive is
// written: the stored bytes stay as published.
func supersededNotice(latest Stored) string {
	at := ""
	if latest.PublishedAt.Valid {
		at = dateLabel(latest.PublishedAt.Time)
	}
	return fmt.Sprintf("本期月报已于%s修订（第%d次修订），原因：%s。以修订版为准，见 index.html。", at, latest.Revision, latest.Reason)
}
