package dashboards

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/models"
)

// site turns the warehouse into pages.
type site struct {
	w       *warehouse
	info    *siteInfo
	now     time.Time
	lineage []*models.Model
}

func newSite(w *warehouse, now time.Time, lineage []*models.Model, bulletins bool) *site {
	info := &siteInfo{
		Title:       tf("site.title", w.regionName(w.city)),
		Sample:      w.sample,
		MapFile:     mapFile(w.cityMap),
		UpdatedAt:   dash,
		GeneratedAt: formatTime(now),
		Bulletins:   bulletins,
		Registers:   w.registers != nil,
	}
	if !w.dataAsOf.IsZero() {
		info.UpdatedAt = formatTime(w.dataAsOf)
	}
	// The header's data period: the latest month when monthly data exist
	// (an annual period would hide them), else the latest year. It is
	// stated as a point in time (2020年12月), not as a year-to-date span.
	var latest innowatch.Period
	for _, in := range w.catalog {
		info.Indicators = append(info.Indicators, navLink{indicatorPath(in.Code), in.Name})
		if in.hasData {
			if latest.Year == 0 || (latest.Annual() != in.latest.Annual() && latest.Annual()) ||
				(latest.Annual() == in.latest.Annual() && latest.Before(in.latest)) {
				latest = in.latest
			}
		}
	}
	if latest.Year != 0 {
		info.DataPeriod = tf("meta.asOf", periodText(latest, false))
	}
	for _, g := range w.units() {
		info.Regions = append(info.Regions, navLink{regionPath(g.Code), w.name(g.Code, g.Name)})
	}
	return &site{w: w, info: info, now: now, lineage: lineage}
}

// pages lists how to build every page of the site, in a fixed order: each
// is built when its turn comes, so that a page's tables and charts are let
// go once it is written rather than all held until the last is.
func (s *site) pages() []func() *page {
	out := []func() *page{s.overview}
	for _, in := range s.w.catalog {
		out = append(out, func() *page { return s.indicatorPage(in) })
	}
	for _, g := range s.w.units() {
		out = append(out, func() *page { return s.regionPage(g) })
	}
	if s.w.registers != nil {
		out = append(out, s.registersPage)
	}
	return append(out, s.targetsPage, s.methodPage)
}

func indicatorPath(code string) string { return "indicators/" + code + ".html" }
func regionPath(code string) string    { return "regions/" + code + ".html" }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func itoaNull(v sql.NullInt64) string {
	if !v.Valid {
		return ""
	}
	return itoa(v.Int64)
}

// latestTargets are a region's targets for an indicator at their latest
// as-of period (the most recent progress the data allows).
func (s *site) latestTargets(region, indicator string) []*targetRow {
	latest := map[string]*targetRow{}
	var order []string
	for _, t := range s.w.progress {
		if t.Region != region || (indicator != "" && t.Indicator != indicator) {
			continue
		}
		k := strconv.Itoa(t.Year) + t.Indicator + t.Kind
		prev, ok := latest[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || prev.AsOf.Before(t.AsOf) {
			latest[k] = t
		}
	}
	var out []*targetRow
	for _, k := range order {
		out = append(out, latest[k])
	}
	return out
}

// mark says, in one line, how far a target is, in the words of its kind
// (docs/SITE.md): a paced target against 序时进度 ("完成目标的75.0%，与序时
// 进度（9/12 = 75.0%）持平"), a met one "已完成" without a pace, a point
// target 同比 against the points promised, "above the province" reached or
// not.
func mark(t *targetRow, in *indicator) targetMark {
	m := targetMark{Class: "missing"}
	if t.Status.Valid {
		m.Class = t.Status.String
	}
	desc := targetDesc(t.Kind, t.Target, t.TargetMax, t.Description, in)
	switch m.Class {
	case "met":
		m.Mark = tr("target.met")
	case "ahead":
		m.Mark = tr("target.ahead")
	case "on_pace":
		m.Mark = tr("target.onPace")
	case "behind":
		m.Mark = tr("target.behind")
	case "not_met":
		m.Mark = tr("target.notMet")
	case "on_track":
		m.Mark = tr("target.onTrack")
	case "off_track":
		m.Mark = tr("target.offTrack")
	default:
		m.Class = "missing"
		m.Mark = tr("target.missing")
	}
	pct := func(v sql.NullFloat64) string { return formatNumber(v.Float64, 1) }
	switch {
	case m.Class == "missing":
		reason := tr("missing.notReported")
		if t.Reason.Valid && t.Reason.String != "" {
			reason = same(t.Reason.String)
		}
		m.Text = desc.plus(tr("sep.colon"), reason)
	case t.Kind == "above_province" && t.Actual.Valid:
		// actual = city − province, in 百分点: "低于全省0.20个百分点".
		gap := formatNumber(abs(t.Actual.Float64), in.Decimals)
		vs := tr("vs.level")
		switch {
		case gap == formatNumber(0, in.Decimals):
		case t.Actual.Float64 > 0:
			vs = tf("vs.above", gap)
		default:
			vs = tf("vs.below", gap)
		}
		m.Text = desc.plus(tr("sep.colon"), vs)
	case t.Kind == "point_increase" && t.Actual.Valid:
		pts := formatNumber(abs(t.Actual.Float64), in.Decimals)
		text := tf("target.pointUp", pts)
		if t.Actual.Float64 < 0 {
			text = tf("target.pointDown", pts)
		}
		switch m.Class {
		case "met":
			text = text.plus(tr("target.pointMet"))
		case "not_met":
			text = text.plus(tr("target.pointNotMet"))
		case "on_track":
			text = text.plus(tr("target.pointOnTrack"))
		case "off_track":
			text = text.plus(tr("target.pointOffTrack"))
		}
		m.Text = desc.plus(tr("sep.colon"), text)
	case m.Class == "met" && !t.Completion.Valid && t.Kind != "point_increase":
		// Reached already at the baseline: nothing was asked of the year.
		m.Text = desc.plus(tr("sep.colon"), tr("target.done"))
	case m.Class == "met" && t.Completion.Valid:
		m.Text = desc.plus(tr("sep.colon"), tf("target.sentenceMet", pct(t.Completion)))
	case m.Class == "not_met" && t.Completion.Valid:
		m.Text = desc.plus(tr("sep.colon"), tf("target.sentenceNotMet", pct(t.Completion)))
	case m.Class == "on_pace" && t.Completion.Valid && t.TimeProgress.Valid:
		m.Text = desc.plus(tr("sep.colon"), tf("target.sentenceOnPace", pct(t.Completion), t.Month, pct(t.TimeProgress)))
	case t.Completion.Valid && t.TimeProgress.Valid && t.Ahead.Valid:
		key := "target.sentenceAhead"
		if m.Class == "behind" {
			key = "target.sentenceBehind"
		}
		m.Text = desc.plus(tr("sep.colon"), tf(key, pct(t.Completion), t.Month,
			pct(t.TimeProgress), formatNumber(abs(t.Ahead.Float64), 1)))
	case t.Actual.Valid:
		m.Text = desc.plus(tr("sep.colon"), tf("target.actual", actualText(t, in)))
	default:
		m.Text = desc
	}
	return m
}

// targetDesc is the target's text: the policy's own words in Chinese, a
// description built from its kind in English.
func targetDesc(kind string, target, max sql.NullFloat64, zh string, in *indicator) bi {
	v := func(x sql.NullFloat64) string {
		if !x.Valid {
			return dash
		}
		return formatNumber(x.Float64, in.Decimals)
	}
	// The unit after the number (issue 14, item 14: "210.0 10,000 m²", not
	// a bare "210.0"); counts have no English unit.
	u := unitName(in.Unit)
	if u.En != "" {
		u.En = " " + u.En
	}
	en := tf("tkind."+kind, in.Name, v(target), v(max), u).En
	return bi{zh, en}
}

// actualText is the achieved amount with its unit: points for point
// targets and the gap to the province, the indicator's unit otherwise.
func actualText(t *targetRow, in *indicator) bi {
	if !t.Actual.Valid {
		return same(dash)
	}
	if t.Kind == "point_increase" || t.Kind == "above_province" {
		return tf("fmt.points", formatSigned(t.Actual.Float64, in.Decimals))
	}
	if t.Kind == "total" && t.Needed.Valid && t.Needed.Float64 > 0 {
		// A stock to reach is judged on its increase: "+80家（需110家）".
		inc := withUnit(t.Actual.Float64, in.Decimals, in.Unit)
		if strings.HasPrefix(formatSigned(t.Actual.Float64, in.Decimals), "+") {
			inc = same("+").plus(inc)
		}
		return tf("target.totalIncrease", inc, withUnit(t.Needed.Float64, in.Decimals, in.Unit))
	}
	return withUnit(t.Actual.Float64, in.Decimals, in.Unit)
}

func mapFile(m *cityMap) string {
	if m == nil {
		return ""
	}
	return m.File
}
