package dashboards

import (
	"bytes"
	"database/sql"
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"path"
	"strings"
	"sync"
)

//go:embed templates/*.html
var templateFS embed.FS

// Each page kind is its own template set: layout.html (head, navigation,
// footer, the shared table) plus the kind's file, which defines "content".
// html/template escapes everything from the data for where it lands, the
// chart options included (JSON inside the <script>, with <, > and &
// escaped). Parsed on first use, not at start: every command of the
// binary would otherwise pay for it (2 ms of each process's start).
var pageTemplates = sync.OnceValue(func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, kind := range []string{"overview", "indicator", "region", "targets", "method", "registers"} {
		out[kind] = template.Must(template.New("layout.html").Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+kind+".html"))
	}
	return out
})

// page is one HTML file of the site.
type page struct {
	Kind    string // template set
	Path    string // relative to the site root: "indicators/rd_intensity.html"
	Root    string // from the page's folder back to the root: "" or "../"
	Section string // the navigation entry lit up
	Title   bi
	Lead    bi // one sentence under the title
	Site    *siteInfo
	Charts  []chartSpec
	Map     bool // loads the focus city's map script
	Body    any
	tables  []*table
}

// siteInfo is what every page shows in its header, navigation and footer.
type siteInfo struct {
	Title       bi
	Sample      bool
	DataPeriod  bi     // "数据截至2020年12月": the latest period with data
	UpdatedAt   string // when the latest data were loaded
	GeneratedAt string
	Bulletins   bool
	Registers   bool   // the 高企与平台 page exists (registers_page.go)
	MapFile     string // the focus city's map script under assets/, "" when none
	Indicators  []navLink
	Regions     []navLink
}

type navLink struct {
	Href string // from the site root
	Name bi
}

// table is a table of a page and the CSV file beside it: the same cells
// serve both, so the download holds exactly what the page shows.
type table struct {
	ID      string
	Caption bi
	Columns []column
	Rows    []tableRow
	CSV     string // file name beside the page; "" for none
	Note    bi
}

type column struct {
	Name bi
	Num  bool
}

type tableRow struct {
	Class string // tier-N tier-start focus: row colours travel with the row when sorted
	Cells []cell
}

// cell is one table cell. Text is shown; Sort orders the column (numbers
// at full precision); Raw is the CSV value when it differs from the
// Chinese text (a number as shown, without separators or units); Reason
// explains a missing value.
type cell struct {
	Text   bi
	Sort   string
	Raw    string
	Reason bi
	Class  string
	Href   string // relative to the page
}

func textCell(b bi) cell { return cell{Text: b} }

// numCell is a formatted number, sorted by its raw value and exported as
// shown (without separators): the CSV holds what the page shows.
func numCell(s string, raw string) cell {
	return cell{Text: same(s), Sort: raw, Raw: plain(s), Class: "num"}
}

// plain is a formatted number for a CSV file: no separators, no plus sign.
func plain(s string) string {
	if s == dash {
		return ""
	}
	return strings.TrimPrefix(strings.ReplaceAll(s, ",", ""), "+")
}

// plainNull is v with decimals as a CSV value, "" when missing.
func plainNull(v sql.NullFloat64, decimals int) string {
	if !v.Valid {
		return ""
	}
	return plain(formatNumber(v.Float64, decimals))
}

// missingCell is the dash with the reason beside it.
func missingCell(reason bi) cell {
	if reason.IsZero() {
		reason = tr("missing.notReported")
	}
	return cell{Text: same(dash), Reason: reason, Class: "num missing", Raw: ""}
}

// addTable registers t for the page and names its CSV file after the page
// (indicators/rd_intensity-units.csv), so pages of one folder never clash.
func (p *page) addTable(t *table) *table {
	if t.CSV != "" {
		t.CSV = strings.TrimSuffix(path.Base(p.Path), ".html") + "-" + t.CSV
	}
	p.tables = append(p.tables, t)
	return t
}

// html executes the page's template.
func (p *page) html() ([]byte, error) {
	t := pageTemplates()[p.Kind]
	if t == nil {
		return nil, fmt.Errorf("no template for page kind %q", p.Kind)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, fmt.Errorf("render %s: %w", p.Path, err)
	}
	return buf.Bytes(), nil
}

// Scripts are the page's scripts, relative to the page.
func (p *page) Scripts() []string {
	s := []string{p.Root + "assets/echarts.min.js"}
	if p.Map {
		s = append(s, p.Root+"assets/"+p.Site.MapFile)
	}
	return append(s, p.Root+"assets/site.js")
}

// Href makes a root-relative link relative to the page.
func (p *page) Href(rootRel string) string { return p.Root + rootRel }

// Active reports whether link is this page, for aria-current.
func (p *page) Active(rootRel string) bool { return p.Path == rootRel }

// csvFiles renders the page's tables as CSV: UTF-8 with a byte-order mark,
// so Excel on a Chinese Windows opens it correctly. Headers and texts are
// Chinese; numbers are raw; a row's missing reasons go to a last column.
func (p *page) csvFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, t := range p.tables {
		if t.CSV == "" {
			continue
		}
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		cw := csv.NewWriter(&buf)
		head := make([]string, 0, len(t.Columns)+1)
		for _, c := range t.Columns {
			head = append(head, c.Name.Zh)
		}
		head = append(head, tr("csv.note").Zh)
		if err := cw.Write(head); err != nil {
			return nil, err
		}
		for _, r := range t.Rows {
			rec := make([]string, 0, len(r.Cells)+1)
			var notes []string
			for i, c := range r.Cells {
				v := c.Raw
				if v == "" && c.Text.Zh != dash {
					v = c.Text.Zh
				}
				rec = append(rec, v)
				if !c.Reason.IsZero() {
					notes = append(notes, t.Columns[i].Name.Zh+"："+c.Reason.Zh)
				}
			}
			rec = append(rec, strings.Join(notes, "；"))
			if err := cw.Write(rec); err != nil {
				return nil, err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return nil, err
		}
		out[path.Join(path.Dir(p.Path), t.CSV)] = buf.Bytes()
	}
	return out, nil
}
