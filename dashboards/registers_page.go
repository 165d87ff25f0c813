package dashboards

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/linyi-sti/innowatch/dashboards/internal/echartsext"
)

// The 高企与平台 page: what the rosters say, in aggregates only. The rosters
// themselves (names, credit codes, financial figures) are confidential and
// never read here: every query of this file reads a mart that is already
// counted by region (docs/REGISTERS.md).

type flowRow struct {
	Region, Name, Level                                  string
	Year                                                 int
	Start, New, Renewed, Expired, Revoked, Returned, End int64
}

type outlookRow struct {
	Region, Name, Level, AsOf string
	Year                      int
	Base, Now, Expiring       int64
	RenewalRate               sql.NullFloat64
	Renewals                  sql.NullInt64
	Ready                     int64
	RecognitionRate           sql.NullFloat64
	New, End, Net             sql.NullInt64
	TargetTotal, TargetNet    sql.NullFloat64
	Assumptions               string
	Reported, Difference      sql.NullFloat64
	Note                      sql.NullString
}

type platformRow struct {
	Year                   int
	Indicator, Level, Type string
	Active, New, Revoked   int64
}

type platformUnitRow struct {
	Region, Name, Period                             string
	PlatformsNew, PlatformsActive, IncNew, IncActive sql.NullInt64
}

// registerData is what the rosters' marts hold for the focus city; nil when
// no roster is loaded (or the marts are not built).
type registerData struct {
	flows     []flowRow
	outlook   []outlookRow
	platforms []platformRow
	units     []platformUnitRow
}

// loadRegisters reads the register marts; it returns nil when they are not
// built or empty, so the site simply has no such page.
func loadRegisters(ctx context.Context, db *sql.DB, city string) (*registerData, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM duckdb_tables() WHERE table_name IN
		('hitech_enterprise_flows', 'hitech_outlook', 'hitech_reconciliation', 'platform_counts', 'platform_new_ytd')`).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("look for the register marts: %w", err)
	}
	if n < 5 {
		return nil, nil
	}
	d := &registerData{}
	if err := scanAll(ctx, db, query("registers_flows"), []any{city, city, city}, func(r *sql.Rows) error {
		var f flowRow
		d.flows = append(d.flows, f)
		p := &d.flows[len(d.flows)-1]
		return r.Scan(&p.Region, &p.Name, &p.Level, &p.Year, &p.Start, &p.New, &p.Renewed, &p.Expired, &p.Revoked, &p.Returned, &p.End)
	}); err != nil {
		return nil, err
	}
	if err := scanAll(ctx, db, query("registers_outlook"), []any{city, city, city}, func(r *sql.Rows) error {
		d.outlook = append(d.outlook, outlookRow{})
		o := &d.outlook[len(d.outlook)-1]
		return r.Scan(&o.Region, &o.Name, &o.Level, &o.Year, &o.AsOf, &o.Base, &o.Now, &o.Expiring, &o.RenewalRate, &o.Renewals,
			&o.Ready, &o.RecognitionRate, &o.New, &o.End, &o.Net, &o.TargetTotal, &o.TargetNet, &o.Assumptions,
			&o.Reported, &o.Difference, &o.Note)
	}); err != nil {
		return nil, err
	}
	if err := scanAll(ctx, db, query("registers_platforms"), []any{city}, func(r *sql.Rows) error {
		d.platforms = append(d.platforms, platformRow{})
		p := &d.platforms[len(d.platforms)-1]
		return r.Scan(&p.Year, &p.Indicator, &p.Level, &p.Type, &p.Active, &p.New, &p.Revoked)
	}); err != nil {
		return nil, err
	}
	if err := scanAll(ctx, db, query("registers_platform_units"), []any{city, city, city}, func(r *sql.Rows) error {
		d.units = append(d.units, platformUnitRow{})
		u := &d.units[len(d.units)-1]
		return r.Scan(&u.Region, &u.Name, &u.Period, &u.PlatformsNew, &u.PlatformsActive, &u.IncNew, &u.IncActive)
	}); err != nil {
		return nil, err
	}
	if len(d.flows) == 0 && len(d.units) == 0 {
		return nil, nil
	}
	return d, nil
}

func scanAll(ctx context.Context, db *sql.DB, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read register marts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("read register marts: %w", err)
		}
	}
	return rows.Err()
}

// registersBody is the page's content.
type registersBody struct {
	Headline, Outlook bi
	Assumptions       string
	HasChart          bool
	Flows, Forecast   *table
	Platforms, Units  *table
}

const registersPath = "registers.html"

func (s *site) registersPage() *page {
	d := s.w.registers
	p := &page{Kind: "registers", Path: registersPath, Section: "registers", Title: tr("page.registers"), Site: s.info,
		Lead: tr("registers.lead")}
	b := &registersBody{}
	p.Body = b
	city := s.w.city
	var cityFlows []flowRow
	latest := 0
	for _, f := range d.flows {
		if f.Region == city {
			cityFlows = append(cityFlows, f)
		}
		latest = max(latest, f.Year)
	}
	for _, f := range cityFlows {
		if f.Year == latest {
			b.Headline = tf("registers.headline", f.Year, f.End, f.Start, f.New, f.Renewed, f.Expired, f.Revoked, f.End-f.Start)
		}
	}
	if len(cityFlows) > 0 {
		b.HasChart = true
		p.Charts = append(p.Charts, single("chart_hitech_flows", func(l string) obj { return flowChart(cityFlows, l) }))
	}
	ft := &table{ID: "flows", CSV: "flows.csv", Caption: tf("registers.flowsCaption", latest),
		Columns: []column{{Name: tr("col.region")}, {Name: tr("reg.start"), Num: true}, {Name: tr("reg.new"), Num: true},
			{Name: tr("reg.renewed"), Num: true}, {Name: tr("reg.expired"), Num: true}, {Name: tr("reg.revoked"), Num: true},
			{Name: tr("reg.end"), Num: true}, {Name: tr("reg.net"), Num: true}}}
	for _, f := range d.flows {
		if f.Year != latest {
			continue
		}
		ft.Rows = append(ft.Rows, tableRow{Class: map[bool]string{true: "focus"}[f.Region == city], Cells: []cell{
			textCell(s.w.name(f.Region, f.Name)), intCell(f.Start), intCell(f.New), intCell(f.Renewed),
			intCell(f.Expired), intCell(f.Revoked), intCell(f.End), signedCell(f.End - f.Start)}})
	}
	ft.Note = tr("registers.flowsNote")
	b.Flows = p.addTable(ft)

	ot := &table{ID: "outlook", CSV: "outlook.csv",
		Columns: []column{{Name: tr("col.region")}, {Name: tr("reg.now"), Num: true}, {Name: tr("reg.expiring"), Num: true},
			{Name: tr("reg.expRenewals"), Num: true}, {Name: tr("reg.ready"), Num: true}, {Name: tr("reg.expNew"), Num: true},
			{Name: tr("reg.expEnd"), Num: true}, {Name: tr("reg.expNet"), Num: true}, {Name: tr("reg.reported"), Num: true},
			{Name: tr("reg.difference"), Num: true}}}
	for _, o := range d.outlook {
		if o.Region == city {
			ot.Caption = tf("registers.outlookCaption", o.AsOf, o.Year)
			b.Assumptions = o.Assumptions
			if o.End.Valid {
				b.Outlook = tf("registers.outlook", o.AsOf, o.Year, o.End.Int64, o.Net.Int64)
				if o.TargetTotal.Valid && o.TargetNet.Valid {
					b.Outlook = b.Outlook.plus(tf("registers.vsTargets", formatNumber(o.TargetTotal.Float64, 0),
						formatSigned(float64(o.End.Int64)-o.TargetTotal.Float64, 0), formatNumber(o.TargetNet.Float64, 0),
						formatSigned(float64(o.Net.Int64)-o.TargetNet.Float64, 0)))
				}
			}
		}
		diff := cell{Text: same(dash), Class: "num"}
		if o.Difference.Valid {
			diff = numCell(formatSigned(o.Difference.Float64, 0), fmt.Sprint(o.Difference.Float64))
		}
		if o.Note.Valid && o.Note.String != "" {
			diff.Reason = same(o.Note.String)
		}
		ot.Rows = append(ot.Rows, tableRow{Class: map[bool]string{true: "focus"}[o.Region == city], Cells: []cell{
			textCell(s.w.name(o.Region, o.Name)), intCell(o.Now), intCell(o.Expiring), nullIntCell(o.Renewals),
			intCell(o.Ready), nullIntCell(o.New), nullIntCell(o.End), nullSignedCell(o.Net),
			numCell(nullNumber(o.Reported, 0), rawNumber(o.Reported)), diff}})
	}
	ot.Note = tr("registers.outlookNote")
	b.Forecast = p.addTable(ot)

	if len(d.platforms) > 0 {
		pt := &table{ID: "platforms", CSV: "platforms.csv", Caption: tf("registers.platformsCaption", d.platforms[0].Year),
			Columns: []column{{Name: tr("reg.category")}, {Name: tr("reg.level")}, {Name: tr("reg.type")},
				{Name: tr("reg.active"), Num: true}, {Name: tr("reg.newInYear"), Num: true}, {Name: tr("reg.revokedInYear"), Num: true}}}
		for _, r := range d.platforms {
			// The type's family, not the indicator's name: 市级 rows count towards no 省级以上 indicator.
			in := tr("reg.catPlatforms")
			if r.Indicator == "incubators" {
				in = tr("reg.catIncubators")
			}
			pt.Rows = append(pt.Rows, tableRow{Cells: []cell{textCell(in), textCell(platformLevels[r.Level]), textCell(same(r.Type)),
				intCell(r.Active), intCell(r.New), intCell(r.Revoked)}})
		}
		b.Platforms = p.addTable(pt)
	}
	if len(d.units) > 0 {
		ut := &table{ID: "platform-units", CSV: "platform-units.csv", Caption: tf("registers.unitsCaption", d.units[0].Period),
			Columns: []column{{Name: tr("col.region")}, {Name: tr("reg.platformsNew"), Num: true}, {Name: tr("reg.platformsActive"), Num: true},
				{Name: tr("reg.incubatorsNew"), Num: true}, {Name: tr("reg.incubatorsActive"), Num: true}}}
		for _, u := range d.units {
			ut.Rows = append(ut.Rows, tableRow{Class: map[bool]string{true: "focus"}[u.Region == city], Cells: []cell{
				textCell(s.w.name(u.Region, u.Name)), nullIntCell(u.PlatformsNew), nullIntCell(u.PlatformsActive),
				nullIntCell(u.IncNew), nullIntCell(u.IncActive)}})
		}
		ut.Note = tr("registers.unitsNote")
		b.Units = p.addTable(ut)
	}
	return p
}

// platformLevels names the levels of platform_register.
var platformLevels = map[string]bi{
	"national": tr("plevel.national"), "provincial": tr("plevel.provincial"), "city": tr("plevel.city"),
}

func intCell(v int64) cell { return numCell(formatNumber(float64(v), 0), itoa(v)) }

func signedCell(v int64) cell { return numCell(formatSigned(float64(v), 0), itoa(v)) }

func nullIntCell(v sql.NullInt64) cell {
	if !v.Valid {
		return missingCell(bi{})
	}
	return intCell(v.Int64)
}

func nullSignedCell(v sql.NullInt64) cell {
	if !v.Valid {
		return missingCell(bi{})
	}
	return signedCell(v.Int64)
}

// flowChart: new recognitions up, expiries and revocations down, the stock
// at each year end as a line.
func flowChart(rows []flowRow, lang string) obj {
	var years []string
	var nw, ex, rv, end []any
	for _, r := range rows {
		years = append(years, fmt.Sprint(r.Year))
		nw = append(nw, r.New)
		ex = append(ex, -r.Expired)
		rv = append(rv, -r.Revoked)
		end = append(end, r.End)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Trigger: "axis"}), charts.WithLegendOpts(opts.Legend{Bottom: px(0)}),
		grid(8, 8, 30, 34), charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: years}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: tr("reg.unitJia").pick(lang)}))
	bar.ExtendYAxis(opts.YAxis{Type: "value", Name: tr("reg.end").pick(lang), SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	flow := func(name string, data []any, color string) echartsext.Series {
		return echartsext.Series{SingleSeries: charts.SingleSeries{Type: "bar", Name: tr(name).pick(lang), Stack: "f", Data: data,
			ItemStyle: &opts.ItemStyle{Color: color}}}
	}
	return option(&bar.BaseConfiguration, echartsext.Extra{Legend: true, Series: []echartsext.Series{
		flow("reg.new", nw, colorAbove), flow("reg.expired", ex, colorBelow), flow("reg.revoked", rv, colorProvince),
		{SingleSeries: charts.SingleSeries{Type: "line", Name: tr("reg.end").pick(lang), YAxisIndex: 1, Data: end,
			ItemStyle: &opts.ItemStyle{Color: colorCity}}},
	}})
}
