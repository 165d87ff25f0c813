package bulletin

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards"
)

//go:embed templates/*
var templateFS embed.FS

// templates are html/template: every value from the data is escaped where
// it lands, the chart options included.
var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))

// echartsFile is the vendored ECharts the dashboard site uses; a bulletin
// inlines it so that the one HTML file is complete offline.
const echartsFile = "assets/vendor/echarts.min.js"

// noticeSlot marks where WriteArchive puts the notice that a later
// revision supersedes this one; the stored HTML keeps the bare marker.
const noticeSlot = "<!--revision-notice-->"

// mdRule separates the Markdown header (title, date, notices) from the
// content, which is what two revisions are compared on.
const mdRule = "\n---\n"

type pageData struct {
	Title, Issue, Org, Date, Notice string
	Sample                          bool
	NoticeSlot                      template.HTML
	Parts                           []Part
	FiguresHeading, TablesHeading   string
	Charts                          []Chart
	Specs                           []Chart
	Tables                          []Table
	Notes                           []string
	CSS                             template.CSS
	ECharts                         template.JS
}

// Render writes the bulletin of d: the same data and meta give the same
// bytes (no clock is read; chart IDs are fixed; maps marshal sorted).
func Render(d *Data, meta Meta) (*Document, error) {
	doc := &Document{
		Month:   d.Month,
		Title:   d.CityName + "科技创新主要指标月报（" + periodLabel(d.Month) + "）",
		Issue:   d.Month.Month,
		Parts:   Compose(d),
		Vintage: d.Vintage,
	}
	css, err := templateFS.ReadFile("templates/bulletin.css")
	if err != nil {
		return nil, fmt.Errorf("render bulletin: %w", err)
	}
	js, err := dashboards.Assets.ReadFile(echartsFile)
	if err != nil {
		return nil, fmt.Errorf("render bulletin: %w: %w", dashboards.ErrAssetsMissing, err)
	}
	if bytes.Contains(bytes.ToLower(js), []byte("</script")) {
		return nil, fmt.Errorf("render bulletin: %s contains </script and cannot be inlined", echartsFile)
	}
	p := pageData{
		Title:          doc.Title,
		Issue:          issueLabel(d.Month),
		Org:            d.CityName + "科学技术局",
		Date:           dateLabel(meta.PublishedAt),
		Notice:         revisionNotice(meta),
		Sample:         d.Sample,
		NoticeSlot:     template.HTML(noticeSlot),
		Parts:          doc.Parts,
		FiguresHeading: "四、图表",
		TablesHeading:  "五、主要指标分县区情况",
		Charts:         Charts(d),
		Tables:         Tables(d),
		Notes:          Notes(d),
		CSS:            template.CSS(css),
		ECharts:        template.JS(js),
	}
	if len(p.Charts) == 0 {
		p.TablesHeading = "四、主要指标分县区情况"
	}
	p.Specs = p.Charts
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "bulletin.html", p); err != nil {
		return nil, fmt.Errorf("render bulletin: %w", err)
	}
	doc.HTML = buf.Bytes()
	doc.Markdown = markdown(p)
	return doc, nil
}

// issueLabel is the issue number: one issue a month, so 第N期 is the month.
func issueLabel(m innowatch.Period) string {
	return strconv.Itoa(m.Year) + "年第" + strconv.Itoa(m.Month) + "期"
}

// markdown is the text version: the narrative, the tables and the notes,
// for pasting into official documents.
func markdown(p pageData) []byte {
	var b strings.Builder
	b.WriteString("# " + p.Title + "\n\n")
	b.WriteString(p.Issue + "　" + p.Org + "　" + p.Date + "\n")
	if p.Sample {
		b.WriteString("\n> 示例数据（模拟），不代表实际统计结果。\n")
	}
	if p.Notice != "" {
		b.WriteString("\n> " + p.Notice + "\n")
	}
	b.WriteString(mdRule)
	for _, part := range p.Parts {
		b.WriteString("\n## " + part.Heading + "\n\n")
		for _, s := range part.Sentences {
			b.WriteString(s.Text + "\n\n")
		}
	}
	if len(p.Charts) > 0 {
		b.WriteString("## " + p.FiguresHeading + "\n\n")
		for _, c := range p.Charts {
			b.WriteString("- " + c.Caption + "（图见HTML版和PDF版）\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("## " + p.TablesHeading + "\n")
	for _, t := range p.Tables {
		b.WriteString("\n**" + t.Caption + "**\n\n")
		b.WriteString("| " + strings.Join(t.Header, " | ") + " |\n")
		b.WriteString("|" + strings.Repeat(" --- |", len(t.Header)) + "\n")
		for _, r := range t.Rows {
			cells := make([]string, len(r.Cells))
			for i, c := range r.Cells {
				cells[i] = strings.ReplaceAll(c, "|", "\\|")
			}
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
	}
	b.WriteString("\n## 附注\n\n")
	for i, n := range p.Notes {
		b.WriteString(strconv.Itoa(i+1) + ". " + n + "\n")
	}
	return []byte(b.String())
}

// contentOf is a bulletin's Markdown without its header: two revisions
// with equal content differ only in date and notice.
func contentOf(md string) string {
	if _, after, ok := strings.Cut(md, mdRule); ok {
		return after
	}
	return md
}
