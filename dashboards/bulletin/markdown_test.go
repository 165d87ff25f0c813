package bulletin

import (
	"regexp"
	"strings"
	"testing"
)

// Issue 14, item 12: the Markdown bulletin passed raw HTML from notes and
// correction reasons (`</td><svg onload=…>`), and a "|" in a note broke
// its table. Markdown output is escaped as carefully as the HTML.
func TestMarkdownEscapesDataText(t *testing.T) {
	evil := `</td><svg onload=alert(1)>`
	p := pageData{
		Title:  "临沂市科技创新主要指标月报（2020年1-10月）",
		Notice: "修订说明：原因：" + evil + "\n# 标题",
		Parts:  []Part{{Heading: "一、总体情况", Sentences: []Sentence{{Text: "蒙阴县数据暂缺（" + evil + "）。"}}}},
		Tables: []Table{{Caption: "表", Header: []string{"地区", "备注"},
			Rows: []TableRow{{Cells: []string{"蒙阴县", "数据暂缺：a|b *强调* [链接](http://x) &lt; R&D facts_annual _x_"}}}}},
		Notes: []string{"来源：" + evil + "\n2. 伪造的条目"},
	}
	md := string(markdown(p))
	if raw := regexp.MustCompile(`(^|[^\\])<`).FindString(md); raw != "" {
		t.Errorf("raw HTML (%q) in the Markdown:\n%s", raw, md)
	}
	for _, want := range []string{
		`\</td\>\<svg onload=alert(1)\>`,              // shown as text
		`a\|b`, `\*强调\*`, `\[链接\](http://x)`, `\&lt;`, // no markup, no entity
		"R&D facts_annual \\_x\\_", // "&" and an inner "_" left alone
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	// Every table row has as many cell separators as the header: an
	// unescaped "|" would add a column.
	sep := regexp.MustCompile(`(^|[^\\])\|`)
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| 蒙阴县") {
			if n := len(sep.FindAllString(line, -1)); n != 3 {
				t.Errorf("row %q has %d unescaped separators, want 3", line, n)
			}
		}
	}
	// A line break in a note or notice cannot start a heading or a new
	// list item.
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "# 标题") || strings.HasPrefix(line, "2. 伪造") {
			t.Errorf("a line break in the data made markup: %q", line)
		}
	}
}
