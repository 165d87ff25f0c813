package bulletin

import (
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
)

// The narrative is written by data-driven sentence templates: each function
// below turns one row of a mart into one sentence, choosing its words from
// the data (提高/下降/持平, 高于/低于, 快于/慢于, 前移/后移, 暂缺) and
// recording every number it prints with the mart cell it came from.

// Sentence is one sentence of the narrative and the numbers in it.
type Sentence struct {
	Text string
	Nums []Num
}

// Num is a number as printed and where it came from, so that a test can
// check every number of the narrative against the warehouse.
type Num struct {
	Text string
	// Mart and Column name the cell; Key identifies its row. Calendar
	// numbers have no Mart: Column is "year" or "month" (the period's),
	// "first_month" (the 1 of "1-10月") or "months" (the 12 of "10/12").
	Mart, Column string
	Key          []KeyValue
	Decimals     int
	Abs          bool // printed without its sign (the words carry it)
	// IsText marks a text cell quoted as it is (a target's description, a
	// missing reason): digits in it are the warehouse's, not computed.
	IsText bool
}

// KeyValue is one column of a row's key.
type KeyValue struct {
	Column string
	Value  string
}

type writer struct {
	b    strings.Builder
	nums []Num
}

func (w *writer) str(s ...string) {
	for _, x := range s {
		w.b.WriteString(x)
	}
}

func (w *writer) num(n Num) { w.b.WriteString(n.Text); w.nums = append(w.nums, n) }

func (w *writer) sentence() Sentence { return Sentence{Text: w.b.String(), Nums: w.nums} }

// cell is a number read from a mart row, ready to be printed.
func (r *Row) cell(column string, v float64, dec int, abs bool) Num {
	if abs && v < 0 {
		v = -v
	}
	return Num{Text: fixed(v, dec), Mart: r.Mart, Column: column, Decimals: dec, Abs: abs,
		Key: []KeyValue{{"region_code", r.Code}, {"period", r.Period.String()}, {"indicator", r.Indicator}}}
}

func (r *Row) text(column, v string) Num {
	n := r.cell(column, 0, 0, false)
	n.Text, n.IsText = v, true
	return n
}

func calendar(column string, v int) Num {
	return Num{Text: strconv.Itoa(v), Column: column}
}

// periodLead opens a sentence with the period it speaks of: "1-10月，"
// for a year-to-date flow, "10月末，" for a stock, "1月，" in January,
// "2019年，" for an annual figure.
func (w *writer) periodLead(in Indicator, p innowatch.Period) {
	switch {
	case p.Annual():
		w.num(calendar("year", p.Year))
		w.str("年，")
	case in.Flow && p.Month > 1:
		w.num(calendar("first_month", 1))
		w.str("-")
		w.num(calendar("month", p.Month))
		w.str("月，")
	case in.Flow:
		w.num(calendar("month", p.Month))
		w.str("月，")
	default:
		w.num(calendar("month", p.Month))
		w.str("月末，")
	}
}

// provinceRef names what a region is compared with: the province's own
// ratio, or the provincial total per city or per county-level unit.
func provinceRef(basis, level string) string {
	switch {
	case basis == string(innowatch.BasisRatio):
		return "全省平均"
	case level == "city":
		return "全省市均水平"
	default:
		return "全省县均水平"
	}
}

// CitySentence states where the city stands on one headline indicator:
// value, 同比, against the province, rank among the province's cities and
// its change, and the tier.
//
//	1-10月，全市高新技术产业产值占比45.60%，同比提高1.20个百分点，高于全省平均0.80个百分点，
//	居全省第7位，比上年同期前移2位，处于全省第二梯队，距第一梯队3.10个百分点。
func CitySentence(in Indicator, city *Row, tier *Tier) Sentence {
	var w writer
	if city == nil {
		w.str("全市", in.Name, "数据暂缺。")
		return w.sentence()
	}
	w.periodLead(in, city.Period)
	w.str("全市", in.Name)
	if !city.Value.Valid {
		w.str("数据暂缺")
		if city.Reason != "" {
			w.str("（")
			w.num(city.text("missing_reason", city.Reason))
			w.str("）")
		}
		w.str("。")
		return w.sentence()
	}
	w.num(city.cell("value", city.Value.Float64, city.Decimals, false))
	w.str(in.Unit, "，")
	w.yoy(city)
	w.str("，")
	w.versusProvince(city)
	switch {
	case city.Rank.Valid:
		w.str("，")
		if city.Tied {
			w.str("并列")
		} else {
			w.str("居")
		}
		w.str("全省第")
		w.num(city.cell("rank", float64(city.Rank.Int64), 0, false))
		w.str("位，")
		w.rankChange(city)
	case city.RankNote != "":
		// No peers: no rank and no tier, and the reader is told why.
		w.str("，全省其他城市数据暂缺，不排位次")
	}
	switch {
	case tier != nil && tier.Tier.Valid:
		w.str("，处于全省", tier.Name)
		if tier.Tier.Int64 > 1 && tier.GapToFirst.Valid {
			w.str("，距第一梯队")
			w.num(tier.Row.cell("gap_to_first_tier", tier.GapToFirst.Float64, city.Decimals, true))
			w.str(pointsWord(in.Unit))
		}
	case tier != nil && city.Rank.Valid && tier.Note != "":
		w.str("，各市数值并列较多，本期不划分梯队")
	}
	w.str("。")
	return w.sentence()
}

// lastYear names the base of a comparison a year back: 上年同期 for a
// month (1-N月 against 1-N月), 上年 for a year.
func lastYear(p innowatch.Period) string {
	if p.Annual() {
		return "上年"
	}
	return "上年同期"
}

// versus opens a change on a year earlier: 同比 for a month, 比上年 for a year.
func versus(p innowatch.Period) string {
	if p.Annual() {
		return "比上年"
	}
	return "同比"
}

// yoy is the change on the same period a year earlier: in 百分点 for a
// ratio, in percent for an amount or a count.
func (w *writer) yoy(r *Row) {
	if !r.Yoy.Valid {
		w.str(lastYear(r.Period), "数据暂缺")
		return
	}
	points := r.YoyUnit == "百分点"
	dec := growthDecimals
	if points {
		dec = r.Decimals
	}
	switch v := r.Yoy.Float64; {
	case roundsToZero(v, dec):
		w.str("与", lastYear(r.Period), "持平")
	case v > 0 && points:
		w.str(versus(r.Period), "提高")
	case v > 0:
		w.str(versus(r.Period), "增长")
	default:
		w.str(versus(r.Period), "下降")
	}
	if roundsToZero(r.Yoy.Float64, dec) {
		return
	}
	w.num(r.cell("yoy", r.Yoy.Float64, dec, true))
	if points {
		w.str("个百分点")
	} else {
		w.str("%")
	}
}

// versusProvince compares with the province on the indicator's basis.
func (w *writer) versusProvince(r *Row) {
	ref := provinceRef(r.Basis, r.Level)
	if !r.Gap.Valid {
		w.str(ref, "数据暂缺")
		return
	}
	switch g := r.Gap.Float64; {
	case roundsToZero(g, r.Decimals):
		w.str("与", ref, "持平")
		return
	case g > 0:
		w.str("高于", ref)
	default:
		w.str("低于", ref)
	}
	w.num(r.cell("gap", r.Gap.Float64, r.Decimals, true))
	w.str(pointsWord(r.Unit))
}

// rankChange compares the rank with the same period a year earlier
// (rank_change = previous rank − rank: positive moved up).
func (w *writer) rankChange(r *Row) {
	last := lastYear(r.Period)
	switch {
	case !r.RankChange.Valid && r.ChangeNote != "" && r.Yoy.Valid:
		// Ranked both years, but not among the same regions: no change.
		w.str("参与排名的范围与", last, "不同，位次不作比较")
	case !r.RankChange.Valid:
		w.str(last, "无位次")
	case r.RankChange.Int64 > 0:
		w.str("比", last, "前移")
		w.num(r.cell("rank_change", float64(r.RankChange.Int64), 0, true))
		w.str("位")
	case r.RankChange.Int64 < 0:
		w.str("比", last, "后移")
		w.num(r.cell("rank_change", float64(r.RankChange.Int64), 0, true))
		w.str("位")
	default:
		w.str("位次与", last, "持平")
	}
}

// CountySentence summarises the counties and zones on one indicator: who
// is above the province, who leads, and whose data is missing — by name,
// never by silence.
//
//	各县区和开发区中，高于全省平均的有兰山区、河东区；居前三位的是…；蒙阴县数据暂缺。
func CountySentence(in Indicator, rows []Row) Sentence {
	var w writer
	var above, missing []string
	var top []Row
	valued, withGap := 0, 0
	ref := ""
	for _, r := range rows {
		if !r.Value.Valid {
			missing = append(missing, r.Name)
			continue
		}
		valued++
		ref = provinceRef(r.Basis, r.Level)
		if r.Gap.Valid {
			withGap++
			if r.Gap.Float64 > 0 && !roundsToZero(r.Gap.Float64, r.Decimals) {
				above = append(above, r.Name)
			}
		}
		if r.Rank.Valid && r.Rank.Int64 <= 3 {
			top = append(top, r)
		}
	}
	w.str(in.Name, "：")
	var clauses []string
	switch {
	case valued == 0:
		clauses = append(clauses, "各县区和开发区数据暂缺")
		missing = nil
	case withGap == 0:
		clauses = append(clauses, "全省数据暂缺，未作比较")
	case len(above) == 0:
		clauses = append(clauses, "各县区和开发区均未高于"+ref)
	case len(above) == withGap:
		clauses = append(clauses, "有数据的县区和开发区均高于"+ref)
	default:
		clauses = append(clauses, "高于"+ref+"的有"+strings.Join(above, "、"))
	}
	if len(top) > 0 && valued > 3 {
		clauses = append(clauses, topClause(top))
	}
	if len(missing) > 0 {
		clauses = append(clauses, strings.Join(missing, "、")+"数据暂缺")
	}
	w.str(strings.Join(clauses, "；"), "。")
	return w.sentence()
}

// topClause names the top three by rank; ties are said as ties (并列), and
// a tie that runs past the third place is counted, not listed.
func topClause(top []Row) string {
	sortByRank(top)
	if len(top) <= 3 {
		names := make([]string, len(top))
		for i, r := range top {
			names[i] = r.Name
		}
		s := "居前三位的是" + strings.Join(names, "、")
		for _, r := range top {
			if r.Tied {
				s += "（含并列）"
				break
			}
		}
		return s
	}
	// More than three share the first three places: name those above the
	// tie, count the tie.
	last := top[len(top)-1].Rank.Int64
	var above []string
	n := 0
	for _, r := range top {
		if r.Rank.Int64 < last {
			above = append(above, r.Name)
		} else {
			n++
		}
	}
	tie := strconv.Itoa(n) + "个单位并列第" + strconv.FormatInt(last, 10) + "位"
	if len(above) == 0 {
		return tie
	}
	return strings.Join(above, "、") + "居前，" + tie
}

// TargetSentence states a target's progress in the words of its kind:
// against 序时进度, the share of the year elapsed, for counts and totals;
// against the points promised, on the full year, for a point target:
//
//	净增高新技术企业100家以上：净增80家，完成目标的80.0%，慢于序时进度（10/12 = 83.3%）3.3个百分点。
//	高新技术企业总数达到630家以上：达到642家，比上年末增加112家（需增加100家），已完成全年目标（完成目标的112.0%）。
func TargetSentence(t Target) Sentence {
	var w writer
	w.num(Num{Text: t.Description, IsText: true, Mart: tableTargets, Column: "description_zh",
		Key: []KeyValue{{"region_code", t.Region}, {"year", strconv.Itoa(t.Year)}, {"indicator", t.Indicator}, {"target_kind", t.Kind}}})
	w.str("：")
	if t.Status == "" && t.Annual {
		w.str("年度指标，待年度统计数据发布后评价。")
		return w.sentence()
	}
	if t.Status == "" || t.Status == StatusMissing || !t.Actual.Valid {
		if t.Reason != "" {
			// The reason says what is missing itself ("2020年3月数据暂缺（…）").
			n := t.cell("missing_reason", 0, 0, false)
			n.Text, n.IsText = t.Reason, true
			w.num(n)
		} else {
			w.str("本期数据暂缺")
		}
		w.str("。")
		return w.sentence()
	}
	w.actual(t)
	switch {
	case t.Kind == "above_province" || !t.Completion.Valid:
		// Reached or not, as the mart's status says: no race against time.
		switch t.Status {
		case StatusMet:
			w.str("，已达到目标。")
		default:
			w.str("，尚未达到目标。")
		}
		return w.sentence()
	case t.Kind == "point_increase":
		switch t.Status {
		case StatusMet:
			w.str("，已完成全年目标。")
		case StatusNotMet:
			w.str("，未完成全年目标。")
		case StatusOnTrack:
			w.str("，已达到目标幅度（以全年数评价）。")
		default:
			w.str("，尚未达到目标幅度（以全年数评价）。")
		}
		return w.sentence()
	}
	switch t.Status {
	case StatusMet:
		w.str("，已完成全年目标（完成目标的")
		w.num(t.cell("completion_pct", t.Completion.Float64, progressDecimals, false))
		w.str("%）。")
		return w.sentence()
	case StatusNotMet:
		w.str("，未完成全年目标（完成目标的")
		w.num(t.cell("completion_pct", t.Completion.Float64, progressDecimals, false))
		w.str("%）。")
		return w.sentence()
	}
	w.str("，完成目标的")
	w.num(t.cell("completion_pct", t.Completion.Float64, progressDecimals, false))
	w.str("%，")
	if t.Status == StatusOnPace {
		w.str("与序时进度（")
		w.timeProgress(t)
		w.str("）持平。")
		return w.sentence()
	}
	if t.Status == StatusAhead {
		w.str("快于")
	} else {
		w.str("慢于")
	}
	w.str("序时进度（")
	w.timeProgress(t)
	w.str("）")
	w.num(t.cell("ahead_points", t.Ahead.Float64, progressDecimals, true))
	w.str("个百分点。")
	return w.sentence()
}

// timeProgress is "10/12 = 83.3%".
func (w *writer) timeProgress(t Target) {
	w.num(t.cell("as_of_month", float64(t.AsOfMonth), 0, false))
	w.str("/")
	w.num(calendar("months", 12))
	w.str(" = ")
	w.num(t.cell("time_progress_pct", t.TimeProgress.Float64, progressDecimals, false))
	w.str("%")
}

// actual is what has been achieved, in the words of the target's kind.
func (w *writer) actual(t Target) {
	v := t.Actual.Float64
	unit := t.Unit
	verb := ""
	switch t.Kind {
	case "total":
		// A stock to reach: its level, then the increase the target is
		// measured on (since the prior year-end) and what it asks for.
		if t.Current.Valid {
			w.str("达到")
			w.num(t.cell("current_value", t.Current.Float64, t.Decimals, false))
			w.str(unit, "，")
		}
		verb = "比上年末增加"
		if v < 0 {
			verb = "比上年末减少"
		}
		w.str(verb)
		w.num(t.cell("actual_value", v, t.Decimals, true))
		w.str(unit)
		if t.Needed.Valid && t.Needed.Float64 > 0 {
			w.str("（需增加")
			w.num(t.cell("needed_value", t.Needed.Float64, t.Decimals, false))
			w.str(unit, "）")
		}
		return
	case "net_increase":
		verb = "净增"
		if v < 0 {
			verb = "净减少"
		}
	case "new_count":
		verb = "新增"
		if t.Measure != "" && strings.HasPrefix(t.Measure, "按存量净变化") {
			// No register of additions: the stock's net change, said so.
			verb = "净增"
		}
		if v < 0 {
			verb = "净减少"
		}
	case "point_increase":
		verb, unit = "同比提高", "个百分点"
		if v < 0 {
			verb = "同比下降"
		}
	case "ytd_count":
		verb = "累计"
	case "count_this_year":
		if roundsToZero(v, t.Decimals) {
			w.str("年内尚无")
			return
		}
		verb = "年内已有"
	case "above_province":
		verb, unit = "高于全省", "个百分点"
		if v < 0 {
			verb = "低于全省"
		}
	}
	w.str(verb)
	w.num(t.cell("actual_value", v, t.Decimals, true))
	w.str(unit)
}

func (t Target) cell(column string, v float64, dec int, abs bool) Num {
	if abs && v < 0 {
		v = -v
	}
	return Num{Text: fixed(v, dec), Mart: martTargets, Column: column, Decimals: dec, Abs: abs,
		Key: []KeyValue{{"region_code", t.Region}, {"as_of_period", t.AsOf}, {"indicator", t.Indicator}, {"target_kind", t.Kind}}}
}
