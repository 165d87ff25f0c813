package excel

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStreamCells: the sheet scanner reads each cell kind as Excel, WPS and
// LibreOffice write it, with namespace prefixes and entities.
func TestStreamCells(t *testing.T) {
	w := &Workbook{sst: []string{"兰山区", "R&D"}}
	xml := `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="urn"><x:sheetData>` +
		`<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="C2" s="3"><x:v>0.1</x:v></x:c>` +
		`<x:c r="D2" t="b"><x:v>1</x:v></x:c><x:c r="E2"><x:f>A1+1</x:f></x:c><x:c r="F2" t="e"><x:v>#DIV/0!</x:v></x:c>` +
		`<x:c r="G2" t="inlineStr"><x:is><x:t>a &amp; b</x:t></x:is></x:c><x:c r="H2" t="str"><x:f>"x"</x:f><x:v>&#20116;</x:v></x:c></x:row>` +
		`<row r="4"><c r="B4" t="s"><v>1</v></c><c r="C4"/></row>` +
		`</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A2:B3"/></x:mergeCells></x:worksheet>`
	type row struct {
		R     int
		Cells []Cell
	}
	var got []row
	merges, err := w.stream(strings.NewReader(xml), func(r int, cells []Cell) error {
		got = append(got, row{r, append([]Cell(nil), cells...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{1, []Cell{{"兰山区", Text, 0}, {}, {"0.1", Number, 3}, {"TRUE", Bool, 0}, {"", FormulaNoValue, 0}, {"#DIV/0!", Error, 0},
			{"a & b", Text, 0}, {"五", Text, 0}}},
		{3, []Cell{{}, {"R&D", Text, 0}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Merge{{Top: 1, Left: 0, Bottom: 2, Right: 1}}, merges); diff != "" {
		t.Errorf("merges (-want +got):\n%s", diff)
	}
}

// FuzzStream: the scanner never panics on any sheet text.
func FuzzStream(f *testing.F) {
	for _, s := range []string{
		`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`,
		`<row r="1"><c r="ZZZZZZ1" s="x" t="s"><v>99</v></c></row>`,
		`<row><c><v>1<`, `<c r="A1`, `<<<>>>`, `<row r="-5"><c r="A0"/></row>`, `<!-- > --><?x?><row/>`,
		`<c r="A1" t="inlineStr"><is><t>&#xFFFFFFFF;&bogus;&amp</t></is></c>`,
	} {
		f.Add(s)
	}
	w := &Workbook{sst: []string{"a"}}
	f.Fuzz(func(t *testing.T, s string) {
		w.stream(strings.NewReader(s), func(int, []Cell) error { return nil })
	})
}
