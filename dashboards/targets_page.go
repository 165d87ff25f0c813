package dashboards

import (
	"database/sql"
	"strconv"

	"github.com/linyi-sti/innowatch"
)

// targetsBody is the 目标 page: each target of the year with its baseline,
// actual, completion against the time elapsed (序时进度), and what is
// missing.
type targetsBody struct {
	Note     string // target_progress not built
	AsOf     bi
	Marks    []targetMark
	Progress *table
	Plain    *table // the targets as loaded, when progress is not built
	HasChart bool
}

func (s *site) targetsPage() *page {
	w := s.w
	p := &page{Kind: "targets", Path: "targets.html", Section: "targets", Title: tr("page.targets"), Site: s.info}
	b := &targetsBody{}
	p.Body = b
	p.Lead = tr("targets.lead")
	if !w.has("target_progress") {
		b.Note = "target_progress"
		b.Plain = p.addTable(s.plainTargets())
		return p
	}
	rows := s.latestTargets(w.city, "")
	// The page's as-of period is the latest month with progress: an
	// annual target (measured at year end) would hide the months.
	var asOf innowatch.Period
	for _, t := range rows {
		if asOf.Year == 0 || (asOf.Annual() && !t.AsOf.Annual()) ||
			(asOf.Annual() == t.AsOf.Annual() && asOf.Before(t.AsOf)) {
			asOf = t.AsOf
		}
	}
	t := &table{ID: "progress", CSV: "progress.csv", Caption: tr("targets.caption"),
		Columns: []column{{Name: tr("col.target")}, {Name: tr("col.indicator")}, {Name: tr("col.asOf")},
			{Name: tr("col.baseline"), Num: true}, {Name: tr("col.current"), Num: true}, {Name: tr("col.actual"), Num: true},
			{Name: tr("col.targetValue"), Num: true}, {Name: tr("col.completion"), Num: true},
			{Name: tr("col.timeProgress"), Num: true}, {Name: tr("col.ahead"), Num: true}, {Name: tr("col.status")}}}
	var bars []targetBar
	timePct := 0.0
	for _, r := range rows {
		in := w.indicators[r.Indicator]
		if in == nil {
			continue
		}
		m := mark(r, in)
		b.Marks = append(b.Marks, m)
		desc := targetDesc(r.Kind, r.Target, r.TargetMax, r.Description, in)
		baseline := same(dash)
		if r.Baseline.Valid {
			baseline = same(formatNumber(r.Baseline.Float64, in.Decimals))
			if r.BaselinePeriod.Valid {
				baseline = baseline.plus(same("（" + r.BaselinePeriod.String + "）"))
			}
		}
		status := cell{Text: m.Mark, Class: "status " + m.Class}
		switch {
		case m.Class == "missing":
			reason := tr("missing.notReported")
			if r.Reason.Valid && r.Reason.String != "" {
				reason = same(r.Reason.String)
			}
			status.Reason = reason
		case r.Measure.Valid && r.Measure.String != "":
			// How it was measured (a "new" count from a stock is its net
			// change; a total is judged on the increase).
			status.Reason = same(r.Measure.String)
		}
		target := same(dash)
		if r.Target.Valid {
			target = same(formatNumber(r.Target.Float64, in.Decimals))
			if r.TargetMax.Valid {
				target = same(formatNumber(r.Target.Float64, in.Decimals) + "–" + formatNumber(r.TargetMax.Float64, in.Decimals))
			}
		}
		aheadCell := cell{Text: same(dash), Class: "num"}
		if r.Ahead.Valid {
			cls := "up"
			if r.Ahead.Float64 < 0 {
				cls = "down"
			}
			aheadCell = cell{Text: same(formatSigned(r.Ahead.Float64, 1)), Class: "num " + cls, Sort: rawNumber(r.Ahead), Raw: plain(formatSigned(r.Ahead.Float64, 1))}
		}
		t.Rows = append(t.Rows, tableRow{Class: m.Class, Cells: []cell{
			textCell(desc),
			{Text: in.Name, Href: indicatorPath(in.Code)},
			{Text: periodText(r.AsOf, in.Flow), Sort: r.AsOf.String(), Raw: r.AsOf.String()},
			{Text: baseline, Class: "num", Sort: rawNumber(r.Baseline), Raw: plainNull(r.Baseline, in.Decimals)},
			numCell(nullNumber(r.Current, in.Decimals), rawNumber(r.Current)),
			{Text: actualText(r, in), Class: "num", Sort: rawNumber(r.Actual), Raw: plainNull(r.Actual, in.Decimals)},
			{Text: target, Class: "num", Sort: rawNumber(r.Target), Raw: plainNull(r.Target, in.Decimals)},
			pctCell(r.Completion), pctCell(r.TimeProgress), aheadCell, status,
		}})
		bars = append(bars, targetBar{Name: desc, Rate: r.Completion.Float64, HasRate: r.Completion.Valid, Class: m.Class})
		if r.TimeProgress.Valid && r.AsOf == asOf {
			timePct = r.TimeProgress.Float64
		}
	}
	b.Progress = p.addTable(t)
	if asOf.Year != 0 {
		b.AsOf = tf("targets.asOf", periodText(asOf, false), monthOf(asOf), formatNumber(timePct, 1))
	}
	if len(bars) > 0 {
		b.HasChart = true
		p.Charts = append(p.Charts, single("chart_targets", func(l string) obj {
			return targetBars(bars, timePct, l)
		}))
	}
	return p
}

func monthOf(p innowatch.Period) int {
	if p.Annual() {
		return 12
	}
	return p.Month
}

// pctCell is a percentage with one decimal.
func pctCell(v sql.NullFloat64) cell {
	if !v.Valid {
		return cell{Text: same(dash), Class: "num"}
	}
	return cell{Text: same(formatNumber(v.Float64, 1) + "%"), Class: "num", Sort: rawNumber(v), Raw: plainNull(v, 1)}
}

// plainTargets lists the targets as loaded, without progress.
func (s *site) plainTargets() *table {
	w := s.w
	t := &table{ID: "targets", CSV: "targets.csv", Caption: tr("targets.plainCaption"),
		Columns: []column{{Name: tr("col.region")}, {Name: tr("col.year")}, {Name: tr("col.target")}, {Name: tr("col.indicator")},
			{Name: tr("col.baselinePeriod")}, {Name: tr("col.source")}}}
	for _, x := range w.targets {
		in := w.indicators[x.Indicator]
		if in == nil {
			continue
		}
		base := same(dash)
		if x.BaselinePeriod != "" {
			base = same(x.BaselinePeriod)
		}
		t.Rows = append(t.Rows, tableRow{Cells: []cell{
			textCell(w.regionName(x.Region)),
			{Text: same(strconv.Itoa(x.Year)), Sort: strconv.Itoa(x.Year), Raw: strconv.Itoa(x.Year)},
			textCell(targetDesc(x.Kind, x.Target, x.TargetMax, x.Description, in)),
			{Text: in.Name, Href: indicatorPath(in.Code)},
			textCell(base), textCell(same(x.Source)),
		}})
	}
	return t
}
