package dashboards

import (
	"database/sql"
	"strconv"
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

// pages builds every page of the site, in a fixed order.
func (s *site) pages() []*page {
	out := []*page{s.overview()}
	for _, in := range s.w.catalog {
		out = append(out, s.indicatorPage(in))
	}
	for _, g := range s.w.units() {
		out = append(out, s.regionPage(g))
	}
	if s.w.registers != nil {
		out = append(out, s.registersPage())
	}
	out = append(out, s.targetsPage(), s.methodPage())
	return out
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

// mark says, in one line, how far a target is and whether it is ahead of
// the time elapsed: "完成目标的75.0%，快于序时进度（9/12 = 75.0%）0.0个百分点".
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
	case "behind":
		m.Mark = tr("target.behind")
		if t.Kind == "above_province" {
			// No race against time: the city is above the province or not.
			m.Mark = tr("target.notMet")
		}
	default:
		m.Mark = tr("target.missing")
	}
	switch {
	case m.Class == "missing":
		reason := tr("missing.notReported")
		if t.Reason.Valid && t.Reason.String != "" {
			reason = same(t.Reason.String)
		}
		m.Text = desc.plus(tr("sep.colon"), reason)
	case t.Completion.Valid && t.TimeProgress.Valid && t.Ahead.Valid:
		key := "target.sentenceAhead"
		if t.Ahead.Float64 < 0 {
			key = "target.sentenceBehind"
		}
		m.Text = desc.plus(tr("sep.colon"), tf(key, formatNumber(t.Completion.Float64, 1), t.Month,
			formatNumber(t.TimeProgress.Float64, 1), formatNumber(abs(t.Ahead.Float64), 1)))
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
	en := tf("tkind."+kind, in.Name, v(target), v(max), unitName(in.Unit)).En
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
	return withUnit(t.Actual.Float64, in.Decimals, in.Unit)
}

func mapFile(m *cityMap) string {
	if m == nil {
		return ""
	}
	return m.File
}
