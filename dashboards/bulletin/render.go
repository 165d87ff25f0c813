package bulletin

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/linyi-sti/innowatch"
	"github.com/linyi-sti/innowatch/dashboards"
)

//go:embed templates/*
var templateFS embed.FS

// templates are html/template: every value from the data is escaped where
// it lands, the chart options included.
var templates = template.Must(template.New("").Funcs(template.FuncMap{"keep": keep}).ParseFS(templateFS, "templates/*.html"))

// keepTogether matches a number with its unit (and 以上), or a month span:
// "0.20个百分点", "100项以上", "212.7万平方米", "1-12月".
var keepTogether = regexp.MustCompile(`(?:\d+-)?[+-]?\d[\d,.]*(?:个百分点|百分点|%|万平方米|万亿元|亿元|万元|家|个|项|位|月|年)(?:以上)?|[+-]?\d[\d,.]*以上`)

// keep escapes s for HTML and keeps each number with its unit on one line
// (issue 14, item 13: on a phone "0.20个百分 / 点" and "100项以 / 上"
// broke): each match goes in a <span class="nw">, white-space: nowrap.
func keep(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range keepTogether.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		b.WriteString(`<span class="nw">` + template.HTMLEscapeString(s[m[0]:m[1]]) + `</span>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}

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
// for pasting into official documents. Every text from the data (names,
// notes, missing reasons, a revision's reason) is escaped for Markdown as
// the HTML is for HTML: markup in a note stays text, a "|" stays in its
// cell, a line break cannot end a list item or a table row.
func markdown(p pageData) []byte {
	var b strings.Builder
	b.WriteString("# " + mdText(p.Title) + "\n\n")
	b.WriteString(mdText(p.Issue) + "　" + mdText(p.Org) + "　" + mdText(p.Date) + "\n")
	if p.Sample {
		b.WriteString("\n> 示例数据（模拟），不代表实际统计结果。\n")
	}
	if p.Notice != "" {
		b.WriteString("\n> " + mdText(p.Notice) + "\n")
	}
	b.WriteString(mdRule)
	for _, part := range p.Parts {
		b.WriteString("\n## " + mdText(part.Heading) + "\n\n")
		for _, s := range part.Sentences {
			b.WriteString(mdText(s.Text) + "\n\n")
		}
	}
	if len(p.Charts) > 0 {
		b.WriteString("## " + mdText(p.FiguresHeading) + "\n\n")
		for _, c := range p.Charts {
			b.WriteString("- " + mdText(c.Caption) + "（图见HTML版和PDF版）\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("## " + mdText(p.TablesHeading) + "\n")
	for _, t := range p.Tables {
		b.WriteString("\n**" + mdText(t.Caption) + "**\n\n")
		header := make([]string, len(t.Header))
		for i, h := range t.Header {
			header[i] = mdText(h)
		}
		b.WriteString("| " + strings.Join(header, " | ") + " |\n")
		b.WriteString("|" + strings.Repeat(" --- |", len(t.Header)) + "\n")
		for _, r := range t.Rows {
			cells := make([]string, len(r.Cells))
			for i, c := range r.Cells {
				cells[i] = mdText(c)
			}
			b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		}
	}
	b.WriteString("\n## 附注\n\n")
	for i, n := range p.Notes {
		b.WriteString(strconv.Itoa(i+1) + ". " + mdText(n) + "\n")
	}
	return []byte(b.String())
}

// mdText escapes s for Markdown running text and table cells: the ASCII
// punctuation that starts markup (CommonMark lets a backslash escape any
// of it), HTML's "<" and an entity's "&" included, and line breaks folded to a space.
// The punctuation of numbers and periods ("1-10月", "+1.20", "10/12",
// "（%）") is left as it is: it makes no markup inside a line.
func mdText(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '>', '|', '#', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '_':
			// Inside a word ("facts_annual") "_" makes no emphasis; only
			// at a word's edge it could.
			if i == 0 || i == len(s)-1 || !isWordByte(s[i-1]) || !isWordByte(s[i+1]) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '&':
			// "R&D" stays as it is; only an entity ("&lt;") would be markup.
			if mdEntity.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '\r':
		case '\n', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// mdEntity is an HTML character reference at the start of a string.
var mdEntity = regexp.MustCompile(`^&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)

// contentOf is a bulletin's Markdown without its header: two revisions
// with equal content differ only in date and notice.
func contentOf(md string) string {
	if _, after, ok := strings.Cut(md, mdRule); ok {
		return after
	}
	return md
}
